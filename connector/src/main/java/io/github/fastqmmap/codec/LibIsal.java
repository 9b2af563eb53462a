/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Direct-mapped calls into ISA-L's inflate ({@code libisal.so.2}, Debian package {@code libisal2}).
 * The {@code struct inflate_state} is allocated by the caller; the offsets below are those of ISA-L
 * 2.x on LP64 (checked by {@link NativeCodecs}'s self-test before ISA-L is used).
 */
final class LibIsal {
  /** {@code sizeof(struct inflate_state)} in ISA-L 2.30 is 87,368 bytes; room for growth. */
  static final int STATE_BYTES = 128 << 10;

  static final int NEXT_OUT = 0;
  static final int AVAIL_OUT = 8;
  static final int TOTAL_OUT = 12;
  static final int NEXT_IN = 16;
  static final int AVAIL_IN = 32;
  static final int READ_IN_LENGTH = 36;
  static final int BLOCK_STATE = 21160;

  /** {@code ISAL_BLOCK_FINISH}: the final block's end was reached. */
  static final int BLOCK_FINISH = 5;

  /** {@code ISAL_DECOMP_OK}; negative results are errors. */
  static final int DECOMP_OK = 0;

  private LibIsal() {}

  static void register(NativeLibrary library) {
    Native.register(LibIsal.class, library);
  }

  /** Initialises a state for raw deflate ({@code crc_flag} 0, 32 KiB window). */
  static native void isal_inflate_init(long state);

  /** Readies an initialised state for a new stream, keeping its settings. */
  static native void isal_inflate_reset(long state);

  static native int isal_inflate(long state);

  /** ISA-L's text for an {@code isal_inflate} result. */
  static String describe(int result) {
    switch (result) {
      case -1:
        return "ISAL_INVALID_BLOCK";
      case -2:
        return "ISAL_INVALID_SYMBOL";
      case -3:
        return "ISAL_INVALID_LOOKBACK";
      default:
        return "isal_inflate result " + result;
    }
  }
}
