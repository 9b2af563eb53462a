/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Direct-mapped calls into libdeflate (the jar's build, or the system's {@code libdeflate.so.0},
 * Debian package {@code libdeflate0}; see {@link NativeCodecs}): whole-buffer raw deflate, which
 * suits BGZF's 64 KiB blocks. Pointers and {@code size_t} are passed as {@code long} (LP64), so no
 * JNA object is created per call.
 */
final class LibDeflate {
  static final int SUCCESS = 0;

  private LibDeflate() {}

  static void register(NativeLibrary library) {
    Native.register(LibDeflate.class, library);
  }

  static native long libdeflate_alloc_decompressor();

  static native void libdeflate_free_decompressor(long decompressor);

  /**
   * Inflates a whole raw deflate stream; with {@code actualOut} (a pointer to a size_t) non-zero,
   * the stream may end before {@code outAvail} bytes.
   */
  static native int libdeflate_deflate_decompress(
      long decompressor, long in, long inBytes, long out, long outAvail, long actualOut);

  static native long libdeflate_alloc_compressor(int level);

  static native void libdeflate_free_compressor(long compressor);

  /** The compressed size, or 0 when it does not fit in {@code outAvail}. */
  static native long libdeflate_deflate_compress(
      long compressor, long in, long inBytes, long out, long outAvail);
}
