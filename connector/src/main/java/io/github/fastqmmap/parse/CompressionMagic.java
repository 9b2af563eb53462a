/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * The magic numbers that tell compressed data from FASTQ text, written once: format detection
 * ({@code stream.Compression}) and the parser's hint for a compressed file read as text both ask
 * here. Lives in {@code parse} because the parser, the lowest layer, needs it.
 */
public final class CompressionMagic {
  /** gzip (RFC 1952), and so BGZF. */
  static final int[] GZIP = {0x1F, 0x8B};

  /** bzip2: "BZh" and a block-size digit '1' to '9'. */
  static final int[] BZIP2 = {'B', 'Z', 'h'};

  /** Zstandard frame magic 0xFD2FB528, little-endian. */
  static final int[] ZSTD = {0x28, 0xB5, 0x2F, 0xFD};

  /** xz. */
  static final int[] XZ = {0xFD, '7', 'z', 'X', 'Z', 0x00};

  /** The most leading bytes any check here looks at. */
  public static final int MAX_BYTES = 6;

  private CompressionMagic() {}

  public static boolean isGzip(byte[] head, int length) {
    return startsWith(head, length, GZIP);
  }

  public static boolean isBzip2(byte[] head, int length) {
    return startsWith(head, length, BZIP2) && length >= 4 && head[3] >= '1' && head[3] <= '9';
  }

  public static boolean isZstd(byte[] head, int length) {
    return startsWith(head, length, ZSTD);
  }

  public static boolean isXz(byte[] head, int length) {
    return startsWith(head, length, XZ);
  }

  /**
   * The lower-case name of the compression {@code head[0, length)} starts with ("gzip", "bzip2",
   * "zstd", "xz"), or null for anything else.
   */
  public static String name(byte[] head, int length) {
    if (isGzip(head, length)) {
      return "gzip";
    }
    if (isBzip2(head, length)) {
      return "bzip2";
    }
    if (isZstd(head, length)) {
      return "zstd";
    }
    if (isXz(head, length)) {
      return "xz";
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int length, int[] magic) {
    if (length < magic.length || head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
