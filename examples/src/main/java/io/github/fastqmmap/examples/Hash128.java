/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.nio.ByteOrder;
import org.apache.spark.unsafe.Platform;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm, seed 0) of a byte range, for
 * counting sequences by a fixed-size key. Among n distinct sequences the chance that any two share
 * a hash is at most n(n-1)/2 / 2^128: below 1.5e-19 for ten billion sequences.
 */
final class Hash128 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Hash128() {}

  /** Hashes {@code b[0..len)}; the two halves go to {@code out[0]} and {@code out[1]}. */
  static void hash(byte[] b, int len, long[] out) {
    long h1 = 0;
    long h2 = 0;
    int blocks = len / 16;
    for (int i = 0; i < blocks; i++) {
      long k1 = getLong(b, i * 16);
      long k2 = getLong(b, i * 16 + 8);
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = blocks * 16;
    long k1 = 0;
    long k2 = 0;
    int rem = len & 15;
    for (int i = rem - 1; i >= 8; i--) {
      k2 ^= (b[tail + i] & 0xffL) << ((i - 8) * 8);
    }
    if (rem > 8) {
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
    }
    for (int i = Math.min(rem, 8) - 1; i >= 0; i--) {
      k1 ^= (b[tail + i] & 0xffL) << (i * 8);
    }
    if (rem > 0) {
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    out[0] = h1;
    out[1] = h2;
  }

  /**
   * The bytes {@link #getLong} needs from {@code i} to take its one-load path: 8 on a little-endian
   * machine; on a big-endian one more than any array holds, so that every call takes {@link
   * #getLongChecked} (MurmurHash3 and the callers' byte lanes read little-endian).
   */
  private static final int FAST_SPAN =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 : Integer.MAX_VALUE / 2;

  /**
   * The little-endian long at {@code b[i..i+8)}: one unaligned load (the JIT's C1, which the QC job
   * runs on, does not merge eight byte loads into one as C2 does). Kept under C1's inlining limit
   * of 35 bytes of bytecode ({@code -XX:C1MaxInlineSize}): a call per load cost more than the load.
   */
  static long getLong(byte[] b, int i) {
    if (i < 0 || b.length - i < FAST_SPAN) {
      return getLongChecked(b, i);
    }
    return Platform.getLong(b, Platform.BYTE_ARRAY_OFFSET + i);
  }

  /** {@link #getLong}'s other path: out of the array, or a big-endian machine. */
  private static long getLongChecked(byte[] b, int i) {
    if (i < 0 || i + 8 > b.length) {
      throw new ArrayIndexOutOfBoundsException(i);
    }
    return getLongBytes(b, i);
  }

  /** The little-endian long at {@code b[i..i+8)}, byte by byte (for tests). */
  static long getLongBytes(byte[] b, int i) {
    return (b[i] & 0xffL)
        | (b[i + 1] & 0xffL) << 8
        | (b[i + 2] & 0xffL) << 16
        | (b[i + 3] & 0xffL) << 24
        | (b[i + 4] & 0xffL) << 32
        | (b[i + 5] & 0xffL) << 40
        | (b[i + 6] & 0xffL) << 48
        | (b[i + 7] & 0xffL) << 56;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
