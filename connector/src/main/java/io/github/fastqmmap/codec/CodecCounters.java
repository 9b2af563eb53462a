/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

/** What one reader's decompressors did. Plain fields: one reader, one thread. */
public final class CodecCounters {
  /** Uncompressed bytes produced by ISA-L or libdeflate. */
  public long bytesInflatedNatively;

  /** Uncompressed bytes produced by the JDK's zlib. */
  public long bytesInflatedByJdk;

  public void add(CodecCounters other) {
    bytesInflatedNatively += other.bytesInflatedNatively;
    bytesInflatedByJdk += other.bytesInflatedByJdk;
  }
}
