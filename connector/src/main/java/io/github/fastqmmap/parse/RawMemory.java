/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * Native memory access through {@code sun.misc.Unsafe}: one call per byte or per 8-byte word, with
 * none of JNA's per-call cost. Callers guarantee that addresses lie inside live mappings or
 * buffers. A fault in a mapping whose file shrank surfaces as {@link InternalError}, which readers
 * turn into a "file changed" error. Package-private: other packages allocate through {@link
 * NativeMemory}, which owns and frees its block once.
 */
final class RawMemory {
  static final Unsafe UNSAFE;
  static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  static final long BYTE_ARRAY_OFFSET;
  private static final long BUFFER_ADDRESS_OFFSET;

  static {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      UNSAFE = (Unsafe) f.get(null);
      BYTE_ARRAY_OFFSET = UNSAFE.arrayBaseOffset(byte[].class);
      BUFFER_ADDRESS_OFFSET = UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RawMemory() {}

  static byte getByte(long address) {
    return UNSAFE.getByte(address);
  }

  /** Reads 8 bytes in native order; the address need not be aligned. */
  static long getLong(long address) {
    return UNSAFE.getLong(address);
  }

  /** A byte at an object and an offset ({@code base} null: a native address), as Unsafe reads. */
  static byte getByte(Object base, long offset) {
    return UNSAFE.getByte(base, offset);
  }

  /** Eight bytes in native order at an object and an offset, as {@link #getByte(Object, long)}. */
  static long getLong(Object base, long offset) {
    return UNSAFE.getLong(base, offset);
  }

  /** Copies native memory into a byte array. */
  static void copyToArray(long address, byte[] dest, int destPos, int length) {
    UNSAFE.copyMemory(null, address, dest, BYTE_ARRAY_OFFSET + destPos, length);
  }

  /** The native address of a direct buffer's first byte. */
  static long addressOf(ByteBuffer directBuffer) {
    if (!directBuffer.isDirect()) {
      throw new IllegalArgumentException("not a direct buffer");
    }
    return UNSAFE.getLong(directBuffer, BUFFER_ADDRESS_OFFSET);
  }

  /** Releases a direct or mapped buffer now instead of at garbage collection. */
  static void free(ByteBuffer directBuffer) {
    UNSAFE.invokeCleaner(directBuffer);
  }

  /** Allocates native memory; free it with {@link #freeMemory}. */
  static long allocate(long bytes) {
    return UNSAFE.allocateMemory(bytes);
  }

  static void freeMemory(long address) {
    UNSAFE.freeMemory(address);
  }

  static void copy(long from, long to, long bytes) {
    UNSAFE.copyMemory(from, to, bytes);
  }
}
