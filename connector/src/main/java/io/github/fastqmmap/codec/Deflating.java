/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

/** A compressing stream's account of its deflate work, for the write metrics. */
public interface Deflating {
  /** Uncompressed bytes deflated so far (all of them once the stream is closed). */
  long bytesDeflated();

  /** Whether libdeflate deflated them; else the JDK's zlib. */
  boolean deflatesNatively();
}
