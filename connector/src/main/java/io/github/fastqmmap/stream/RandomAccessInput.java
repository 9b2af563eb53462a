/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file read by position: a local file's channel, or a Hadoop {@code FSDataInputStream} for HDFS
 * and object stores. Every reader that does not map a file reads through one.
 */
public interface RandomAccessInput extends Closeable {
  /** The file's length in bytes. */
  long length();

  /**
   * Reads bytes at {@code position} into {@code dst} (from its position to its limit), advancing
   * its position.
   *
   * @return the number of bytes read, at least 1, or -1 at the end of the file
   */
  int read(long position, ByteBuffer dst) throws IOException;

  /** Reads exactly {@code dst.remaining()} bytes at {@code position}. */
  default void readFully(long position, ByteBuffer dst) throws IOException {
    long at = position;
    int idle = 0;
    while (dst.hasRemaining()) {
      int n = read(at, dst);
      if (n < 0) {
        throw new EOFException(
            "end of file at byte offset " + at + " of " + length() + " while reading");
      }
      if (n == 0 && ++idle > 100) {
        throw new IOException("no progress reading at byte offset " + at + " of " + length());
      }
      at += n;
    }
  }

  /** Reads exactly {@code length} bytes at {@code position} into a new array. */
  default byte[] readFully(long position, int length) throws IOException {
    byte[] bytes = new byte[length];
    readFully(position, ByteBuffer.wrap(bytes));
    return bytes;
  }
}
