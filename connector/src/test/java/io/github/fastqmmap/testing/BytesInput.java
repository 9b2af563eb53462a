/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link RandomAccessInput} over a byte array, answering at most {@code maxRead} bytes per read
 * so that readers meet short reads; counts reads and whether it was closed.
 */
public final class BytesInput implements RandomAccessInput {
  private final byte[] bytes;
  private final int maxRead;
  private long reads;
  private boolean closed;

  public BytesInput(byte[] bytes, int maxRead) {
    this.bytes = bytes;
    this.maxRead = maxRead;
  }

  public BytesInput(byte[] bytes) {
    this(bytes, Integer.MAX_VALUE);
  }

  @Override
  public long length() {
    return bytes.length;
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (closed) {
      throw new IOException("read after close");
    }
    reads++;
    if (position >= bytes.length) {
      return -1;
    }
    int n = (int) Math.min(Math.min(dst.remaining(), maxRead), bytes.length - position);
    dst.put(bytes, (int) position, n);
    return n;
  }

  public long reads() {
    return reads;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
