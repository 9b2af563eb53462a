/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.bgzf.Bgzf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a file's compressed bytes in order through a direct buffer, in large positional reads, and
 * knows the file offset of every byte it holds. {@link #buffer()} is positioned at the next unread
 * byte with its limit at the last one read.
 */
final class CompressedReader implements java.io.Closeable {
  static final int DEFAULT_CHUNK = 1 << 20;

  private final RandomAccessInput input;
  private final NativeBuffer memory;
  private final ByteBuffer buffer;

  /** File offset of the buffer's index 0. */
  private long bufferOffset;

  private long bytesRead;

  CompressedReader(RandomAccessInput input, long position, int chunk) {
    this.input = input;
    // Native memory freed on close (not a direct buffer left to the garbage collector), no larger
    // than the file needs, and always large enough for one BGZF block.
    long rest = Math.max(0, input.length() - position);
    int size = (int) Math.max(Bgzf.MAX_BLOCK_SIZE + 64, Math.min(chunk, rest));
    this.memory = new NativeBuffer(size);
    this.buffer = memory.slice(0, size);
    this.buffer.order(ByteOrder.LITTLE_ENDIAN);
    this.bufferOffset = position;
    this.buffer.limit(0);
  }

  RandomAccessInput input() {
    return input;
  }

  /** The buffer: position at the next unread byte, limit after the last byte read. */
  ByteBuffer buffer() {
    return buffer;
  }

  /** File offset of the next unread byte. */
  long position() {
    return bufferOffset + buffer.position();
  }

  int remaining() {
    return buffer.remaining();
  }

  /** Compressed bytes read from the file. */
  long bytesRead() {
    return bytesRead;
  }

  /**
   * Makes at least {@code n} unread bytes available (n at most the buffer's capacity), reading more
   * as needed.
   *
   * @return false when the file ends first (what there is stays available)
   */
  boolean ensure(int n) throws IOException {
    if (buffer.remaining() >= n) {
      return true;
    }
    if (buffer.capacity() - buffer.position() < n) {
      bufferOffset += buffer.position();
      buffer.compact(); // now position = bytes kept
      buffer.flip();
    }
    int unread = buffer.position();
    int limit = buffer.limit();
    int idle = 0;
    while (limit - unread < n) {
      long at = bufferOffset + limit;
      if (at >= input.length()) {
        return false;
      }
      ByteBuffer dst = buffer.duplicate();
      dst.limit(buffer.capacity());
      dst.position(limit);
      int got = input.read(at, dst);
      if (got < 0) {
        return false;
      }
      if (got == 0 && ++idle > 100) {
        throw new IOException("no progress reading " + input + " at byte offset " + at);
      }
      bytesRead += got;
      limit += got;
      buffer.limit(limit);
    }
    return true;
  }

  /** The unread byte at {@code index} past the position (which must be available). */
  int get(int index) {
    return buffer.get(buffer.position() + index) & 0xFF;
  }

  int getShortLE(int index) {
    return buffer.getShort(buffer.position() + index) & 0xFFFF;
  }

  long getIntLE(int index) {
    return buffer.getInt(buffer.position() + index) & 0xFFFFFFFFL;
  }

  void skip(int n) {
    buffer.position(buffer.position() + n);
  }

  /** Whether the file has no byte at or after the position. */
  boolean atEnd() throws IOException {
    return !ensure(1);
  }

  /** Closes the input and frees the buffer. */
  @Override
  public void close() throws IOException {
    try {
      input.close();
    } finally {
      memory.free();
    }
  }
}
