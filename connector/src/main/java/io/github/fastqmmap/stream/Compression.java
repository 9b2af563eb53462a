/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.parse.CompressionMagic;
import java.util.Locale;

/**
 * What a file's first bytes say it is. Formats are told by magic numbers, never by file names: a
 * {@code .fastq} that holds gzip is read as gzip, and a {@code .gz} that holds BGZF blocks is split
 * like any BGZF file.
 */
public enum Compression {
  /** Plain text: mapped (local files) or read by position (other file systems). */
  NONE(true),
  /** gzip (RFC 1952), one or more members: one streamed reader per file. */
  GZIP(false),
  /** BGZF, the blocked gzip of htslib ({@code bgzip}): split on block boundaries. */
  BGZF(true),
  /** bzip2: one streamed reader per file, decompressed by Hadoop's codec. */
  BZIP2(false),
  /**
   * Zstandard: one streamed reader per file, decompressed by zstd-jni ({@link ZstdStreams}); a
   * frame cannot be entered in the middle.
   */
  ZSTD(false),
  /** xz: recognised so that the error can name it; not read. */
  XZ(false);

  /**
   * How many leading bytes {@link #detect} wants to see (a BGZF header with a long extra field).
   */
  public static final int HEAD_BYTES = 512;

  private final boolean splittable;

  Compression(boolean splittable) {
    this.splittable = splittable;
  }

  /** Whether several readers can share one file of this kind. */
  public boolean splittable() {
    return splittable;
  }

  /** The lower-case name used in messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind of data that starts with {@code head[0, length)}: gzip whose first member carries the
   * BGZF extra subfield ({@code BC}) is {@link #BGZF}, other gzip is {@link #GZIP}.
   */
  public static Compression detect(byte[] head, int length) {
    if (CompressionMagic.isGzip(head, length)) {
      return Bgzf.blockSize(head, 0, length) > 0 ? BGZF : GZIP;
    }
    if (CompressionMagic.isBzip2(head, length)) {
      return BZIP2;
    }
    if (CompressionMagic.isZstd(head, length)) {
      return ZSTD;
    }
    if (CompressionMagic.isXz(head, length)) {
      return XZ;
    }
    return NONE;
  }
}
