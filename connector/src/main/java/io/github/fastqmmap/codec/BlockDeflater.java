/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.util.zip.Deflater;

/**
 * Deflates whole blocks (BGZF's 64 KiB, gzip members of 1 MiB) into raw deflate: with libdeflate
 * when present, else with the JDK's zlib. libdeflate is given the level htslib gives it for the
 * same {@code bgzip} level, so that blocks are byte-identical to those of an htslib built with
 * libdeflate (as Debian's is) with the same libdeflate version. One instance per writer; not
 * thread-safe.
 */
public final class BlockDeflater implements AutoCloseable {
  /** htslib's map from zlib levels 0..9 to libdeflate levels (bgzf.c, bgzf_compress). */
  private static final int[] HTSLIB_LEVELS = {0, 1, 2, 3, 5, 6, 7, 8, 10, 12};

  /** htslib's level when none is given (-1). */
  private static final int HTSLIB_DEFAULT_LEVEL = 6;

  private final int level;

  /** Whether libdeflate deflates; kept after {@link #close} frees its compressor. */
  private final boolean libdeflate;

  private long compressor;
  private NativeBlock in;
  private NativeBlock out;
  private Deflater jdk;

  private BlockDeflater(int level, boolean useLibdeflate, int maxInput) {
    this.level = level;
    this.libdeflate = useLibdeflate;
    if (useLibdeflate) {
      int mapped = HTSLIB_LEVELS[level < 0 ? HTSLIB_DEFAULT_LEVEL : level];
      compressor = LibDeflate.libdeflate_alloc_compressor(mapped);
      if (compressor == 0) {
        throw new OutOfMemoryError("libdeflate_alloc_compressor(" + mapped + ") failed");
      }
      in = new NativeBlock(maxInput);
      out = new NativeBlock(outputBound(maxInput));
    } else {
      jdk = new Deflater(level, true);
    }
  }

  /**
   * Room for the deflate of {@code maxInput} bytes in libdeflate's worst case: 5 bytes per 5,000
   * input bytes, and a few more.
   */
  static int outputBound(int maxInput) {
    return maxInput + maxInput / 512 + 1024;
  }

  /**
   * A deflater at {@code level} (0 to 9, or -1 for the default) for inputs of at most {@code
   * maxInput} bytes: libdeflate when present and the level is not 0 (level 0 stays the JDK's stored
   * blocks), else the JDK.
   */
  public static BlockDeflater create(int level, int maxInput) {
    return create(level, NativeCodecs.useLibdeflate(), maxInput);
  }

  /** As {@link #create(int, int)}, libdeflate only when {@code libdeflate} says so. */
  static BlockDeflater create(int level, boolean libdeflate, int maxInput) {
    if (level < -1 || level > 9) {
      throw new IllegalArgumentException("deflate level must be -1 to 9: " + level);
    }
    return new BlockDeflater(level, libdeflate && level != 0, maxInput);
  }

  public boolean isNative() {
    return libdeflate;
  }

  /**
   * Deflates {@code data[0, length)} as one final raw deflate stream into {@code dst[off, off +
   * room)}.
   *
   * @return the compressed size, or -1 when it does not fit in {@code room}
   */
  public int deflate(byte[] data, int length, byte[] dst, int off, int room) {
    if (compressor != 0) {
      in.buffer().put(0, data, 0, length);
      long n =
          LibDeflate.libdeflate_deflate_compress(
              compressor, in.address(), length, out.address(), Math.min(room, out.length()));
      if (n <= 0) {
        return -1;
      }
      out.buffer().get(0, dst, off, (int) n);
      return (int) n;
    }
    jdk.reset();
    jdk.setInput(data, 0, length);
    jdk.finish();
    int size = 0;
    while (!jdk.finished() && size < room) {
      size += jdk.deflate(dst, off + size, room - size);
    }
    return jdk.finished() ? size : -1;
  }

  public int level() {
    return level;
  }

  @Override
  public void close() {
    if (compressor != 0) {
      LibDeflate.libdeflate_free_compressor(compressor);
      compressor = 0;
      in.close();
      out.close();
    }
    if (jdk != null) {
      jdk.end();
      jdk = null;
    }
  }
}
