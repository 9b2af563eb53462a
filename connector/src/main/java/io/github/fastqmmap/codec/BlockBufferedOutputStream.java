/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Gathers what is written into blocks of a fixed size and hands each full one to {@link
 * #writeBlock()}: the buffering that BGZF blocks and gzip members share, each deflated whole.
 */
public abstract class BlockBufferedOutputStream extends FilterOutputStream {
  /**
   * The block being filled: {@code data[0, dataLength)} (a subclass may hand it on, for another).
   */
  protected byte[] data;

  protected int dataLength;
  private boolean closed;

  protected BlockBufferedOutputStream(OutputStream out, int blockBytes) {
    super(out);
    this.data = new byte[blockBytes];
  }

  /** Writes {@code data[0, dataLength)} as one block into {@code out} and empties it. */
  protected abstract void writeBlock() throws IOException;

  /**
   * Writes the blocks {@link #writeBlock()} left in flight, if it leaves any (on flush and close).
   */
  protected void writeInFlight() throws IOException {}

  /** Writes what follows the last block (called once, on close). */
  protected abstract void finish() throws IOException;

  /** Frees what the stream holds besides {@code out} (called once, on close, also on failure). */
  protected abstract void release();

  @Override
  public void write(int b) throws IOException {
    if (dataLength == data.length) {
      writeBlock();
    }
    data[dataLength++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (dataLength == data.length) {
        writeBlock();
      }
      int n = Math.min(len, data.length - dataLength);
      System.arraycopy(b, off, data, dataLength, n);
      dataLength += n;
      off += n;
      len -= n;
    }
  }

  /** Writes the buffered bytes as a block (none when there are none) and flushes. */
  @Override
  public void flush() throws IOException {
    if (dataLength > 0) {
      writeBlock();
    }
    writeInFlight();
    out.flush();
  }

  /** Puts {@code v} into {@code b[at, at + 4)} little-endian, as gzip's trailer holds it. */
  protected static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  /** Writes the last block and what {@link #finish()} adds, and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (dataLength > 0) {
        writeBlock();
      }
      writeInFlight();
      finish();
      writeInFlight();
      out.flush();
    } finally {
      release();
      out.close();
    }
  }
}
