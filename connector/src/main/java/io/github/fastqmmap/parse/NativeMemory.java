/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.nio.ByteBuffer;

/**
 * Native memory for the other packages of this library, internal (no compatibility promise). An
 * instance owns one block outside the Java heap and frees it once, on {@link #close()}: raw
 * allocate and free stay in the package-private {@link RawMemory}, so no other package can free an
 * address twice or one it does not own. The static methods read memory that a live window, buffer
 * or mapping holds (the caller guarantees that), at {@link RawMemory}'s cost.
 */
public final class NativeMemory implements AutoCloseable {
  /** The offset of a {@code byte[]}'s first element, for code that reads heap and native alike. */
  public static final long BYTE_ARRAY_OFFSET = RawMemory.BYTE_ARRAY_OFFSET;

  private final long length;
  private long address;

  /** Allocates {@code bytes} bytes (at least one), uninitialized. */
  public NativeMemory(long bytes) {
    this.length = bytes;
    this.address = RawMemory.allocate(Math.max(1, bytes));
  }

  /** The block's first byte; 0 once closed. */
  public long address() {
    return address;
  }

  /** The size asked for. */
  public long length() {
    return length;
  }

  /** Copies {@code [from, from + bytes)} of this block to {@code to} (the regions may overlap). */
  public void move(long from, long to, long bytes) {
    RawMemory.copy(address + from, address + to, bytes);
  }

  /** Copies this block's first {@code bytes} bytes to the start of {@code dest}. */
  public void copyTo(NativeMemory dest, long bytes) {
    RawMemory.copy(address, dest.address, bytes);
  }

  @Override
  public void close() {
    if (address != 0) {
      RawMemory.freeMemory(address);
      address = 0;
    }
  }

  public static byte getByte(long address) {
    return RawMemory.getByte(address);
  }

  /** Copies native memory into a byte array. */
  public static void copyToArray(long address, byte[] dest, int destPos, int length) {
    RawMemory.copyToArray(address, dest, destPos, length);
  }

  /** The native address of a direct buffer's first byte. */
  public static long addressOf(ByteBuffer directBuffer) {
    return RawMemory.addressOf(directBuffer);
  }

  /** Releases a direct or mapped buffer now instead of at garbage collection. */
  public static void release(ByteBuffer directBuffer) {
    RawMemory.free(directBuffer);
  }
}
