/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import com.sun.jna.Pointer;
import io.github.fastqmmap.parse.NativeMemory;
import java.nio.ByteBuffer;

/** Native memory owned by one codec object, freed on {@link #close()}. */
final class NativeBlock implements AutoCloseable {
  private final int length;
  private final Pointer pointer;
  private final NativeMemory memory;
  private long address;
  private ByteBuffer view;

  NativeBlock(int length) {
    this.length = length;
    this.memory = new NativeMemory(length);
    this.address = memory.address();
    this.pointer = new Pointer(address);
  }

  /** A block holding {@code data} followed by {@code slack} more bytes. */
  static NativeBlock of(byte[] data, int slack) {
    NativeBlock b = new NativeBlock(data.length + slack);
    b.pointer.write(0, data, 0, data.length);
    return b;
  }

  long address() {
    return address;
  }

  int length() {
    return length;
  }

  /** A direct buffer over the whole block (one, made once: use absolute gets and puts). */
  ByteBuffer buffer() {
    if (view == null) {
      view = pointer.getByteBuffer(0, Math.max(1, length));
    }
    return view;
  }

  byte[] bytes(int n) {
    return pointer.getByteArray(0, n);
  }

  long getLong(long offset) {
    return pointer.getLong(offset);
  }

  int getInt(long offset) {
    return pointer.getInt(offset);
  }

  void setLong(long offset, long value) {
    pointer.setLong(offset, value);
  }

  void setInt(long offset, int value) {
    pointer.setInt(offset, value);
  }

  @Override
  public void close() {
    if (address != 0) {
      memory.close();
      address = 0;
      view = null;
    }
  }
}
