/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_COPIED}. */
public final class BytesCopiedMetric extends FastqCustomMetric {
  public BytesCopiedMetric() {
    super(ReadMetric.BYTES_COPIED);
  }
}
