/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.NativeMemory;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** The fallback where libc cannot be reached: {@code FileChannel.map}, no advice. */
final class ChannelMappedFile extends MappedFile {
  private final FileChannel channel;
  private final MappingCounters counters;

  private ChannelMappedFile(
      Path path, BasicFileAttributes attributes, FileChannel channel, MappingCounters counters) {
    super(path, attributes);
    this.channel = channel;
    this.counters = counters;
  }

  static ChannelMappedFile openChannel(Path path, MappingCounters counters) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new ChannelMappedFile(
          path, Files.readAttributes(path, BasicFileAttributes.class), channel, counters);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  MappedWindow map(long start, long end, MappingOptions options) throws IOException {
    long length = end - start;
    if (length > Integer.MAX_VALUE) {
      throw new IOException(
          "Cannot map "
              + length
              + " bytes of "
              + path()
              + " at once without libc mapping (FileChannel.map stops at 2 GiB); lower"
              + " windowBytes or maxRecordBytes.");
    }
    long t0 = System.nanoTime();
    MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
    counters.mapNanos += System.nanoTime() - t0;
    counters.windowsMapped++;
    counters.bytesMapped += length;
    return new MappedWindow(
        NativeMemory.addressOf(buffer), length, start, start, end, end == length(), buffer);
  }

  @Override
  void unmap(MappedWindow window) {
    NativeMemory.release((MappedByteBuffer) window.keepAlive);
  }

  @Override
  boolean advise(MappedWindow window, long from, long to, int advice) {
    return true;
  }

  @Override
  void dropFromCache(long from, long to) {}

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
