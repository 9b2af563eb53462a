/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import java.io.IOException;

/**
 * A {@link ByteSource} over a file that cannot be mapped (HDFS, object stores): windows are native
 * buffers filled by positional reads, so the scanner runs over them exactly as over a mapping. Like
 * the mapped path it reads a range and an overhang of {@link ByteSource#OVERHANG_BYTES} past its
 * end unless a record needs more, and holds one buffer: a window that moves on keeps the tail of
 * the old one (the record in progress) and reads only what follows.
 */
public final class PositionalByteSource implements ByteSource {
  /** Default size of one read. */
  public static final int DEFAULT_READ_BYTES = 4 << 20;

  /**
   * The least one read fetches, also past the range's overhang (where a reader scans on for the
   * next record start): on HDFS every positional read opens a block reader, so reads of a few bytes
   * would cost a round trip each.
   */
  static final int MIN_READ_BYTES = 64 << 10;

  private final RandomAccessInput input;
  private final String name;
  private final long length;
  private final int readBytes;
  private final NativeBuffer buffer;
  private long bufferStart;
  private int filled;
  private long windowLimit = Long.MAX_VALUE;
  private long bytesRead;
  private long reads;
  private boolean closed;

  /**
   * @param input the file; closed with this source
   * @param name how messages name the file
   * @param readBytes the size of one read (the buffer grows past it only for longer records)
   */
  public PositionalByteSource(RandomAccessInput input, String name, int readBytes) {
    this.input = input;
    this.name = name;
    this.length = input.length();
    this.readBytes = Math.max(1, readBytes);
    // A small file gets a buffer of its size, not of one read (it grows for longer windows).
    this.buffer = new NativeBuffer((int) Math.max(1, Math.min(this.readBytes, this.length)));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public ByteWindow window(long pos, long minBytes) throws IOException {
    if (closed) {
      throw new IllegalStateException("window() after close() of " + name);
    }
    ByteSource.checkOffset(pos, length);
    long want = ByteSource.wantedEnd(pos, minBytes, length);
    long bufferEnd = bufferStart + filled;
    if (filled > 0 && bufferStart <= pos && want <= bufferEnd) {
      return new ByteWindow(buffer.address(), bufferStart, bufferEnd, bufferEnd == length);
    }
    if (pos == length) {
      return new ByteWindow(buffer.address(), length, length, true);
    }
    long start = Math.max(0, pos - LOOK_BACK_BYTES);
    long end =
        Math.max(
            want,
            Math.min(
                length,
                Math.max(
                    Math.min(windowLimit, start + readBytes),
                    start + Math.min(readBytes, MIN_READ_BYTES))));
    if (end - start > NativeBuffer.MAX_CAPACITY) {
      throw new IOException(
          "A record in "
              + name
              + " at byte offset "
              + pos
              + " needs a window of more than "
              + NativeBuffer.MAX_CAPACITY
              + " bytes; set maxRecordBytes lower to fail such records as malformed.");
    }
    int size = (int) (end - start);
    // Keep what the new window shares with the old one; read the rest.
    int kept = 0;
    if (filled > 0 && start >= bufferStart && start < bufferEnd) {
      kept = (int) (bufferEnd - start);
      buffer.moveToFront((int) (start - bufferStart), kept);
    }
    if (size > buffer.capacity()) {
      buffer.grow(
          Math.max(size, (int) Math.min(NativeBuffer.MAX_CAPACITY, 2L * buffer.capacity())), kept);
    }
    bufferStart = start;
    filled = kept;
    try {
      input.readFully(start + kept, buffer.slice(kept, size));
    } catch (IOException e) {
      filled = 0;
      throw e;
    }
    bytesRead += size - kept;
    reads++;
    filled = size;
    return new ByteWindow(buffer.address(), bufferStart, end, end == length);
  }

  @Override
  public void expectRange(long start, long end) {
    windowLimit = ByteSource.windowLimit(end);
  }

  /** Bytes read from the file. */
  @Override
  public long bytesRead() {
    return bytesRead;
  }

  /** Positional reads made. */
  public long reads() {
    return reads;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      input.close();
    } finally {
      buffer.free();
    }
  }
}
