/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import com.sun.jna.Pointer;
import io.github.fastqmmap.parse.NativeMemory;
import java.nio.ByteBuffer;

/**
 * Native memory that decompressors and positional reads fill through a direct {@link ByteBuffer}
 * view, and that the scanner reads by address. Outside the Java heap and the direct-memory limit,
 * like a mapping; freed by {@link #free()}.
 */
final class NativeBuffer {
  /** The largest buffer: a direct buffer's capacity is an int. */
  static final int MAX_CAPACITY = Integer.MAX_VALUE - 64;

  private NativeMemory memory;
  private long address;
  private int capacity;
  private ByteBuffer view;

  NativeBuffer(int capacity) {
    allocate(capacity);
  }

  private void allocate(int bytes) {
    memory = new NativeMemory(bytes);
    address = memory.address();
    capacity = bytes;
    // One JNI call per allocation, not per byte: a ByteBuffer over the native memory.
    view = new Pointer(address).getByteBuffer(0, Math.max(1, bytes));
  }

  long address() {
    return address;
  }

  int capacity() {
    return capacity;
  }

  /** A buffer over {@code [from, to)} of this memory, positioned at {@code from}. */
  ByteBuffer slice(int from, int to) {
    ByteBuffer b = view.duplicate();
    b.limit(to);
    b.position(from);
    return b;
  }

  /** Moves {@code [from, from + length)} to the start (regions may overlap). */
  void moveToFront(int from, int length) {
    if (from > 0 && length > 0) {
      memory.move(from, 0, length);
    }
  }

  /** Replaces the memory with a larger block that keeps the first {@code keep} bytes. */
  void grow(int newCapacity, int keep) {
    NativeMemory old = memory;
    allocate(newCapacity);
    old.copyTo(memory, keep);
    old.close();
  }

  void free() {
    if (address != 0) {
      memory.close();
      address = 0;
      view = null;
    }
  }
}
