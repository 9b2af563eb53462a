/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read by position through its channel (no mapping). */
final class FileChannelInput implements RandomAccessInput {
  private final FileChannel channel;
  private final long length;

  private FileChannelInput(FileChannel channel) throws IOException {
    this.channel = channel;
    this.length = channel.size();
  }

  /**
   * Opens a local file.
   *
   * @throws java.nio.file.NoSuchFileException if it does not exist
   */
  public static FileChannelInput open(Path path) throws IOException {
    try {
      return new FileChannelInput(FileChannel.open(path, StandardOpenOption.READ));
    } catch (AccessDeniedException e) {
      // Worded as a mapped open's failure is (PosixMappedFile), so the message does not depend on
      // which way the file was opened.
      throw new IOException(
          "Cannot open " + path + " for reading: errno 13 (Permission denied).", e);
    }
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    return channel.read(dst, position);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
