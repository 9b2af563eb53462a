/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_OVERHANG}. */
public final class BytesOverhangMetric extends FastqCustomMetric {
  public BytesOverhangMetric() {
    super(ReadMetric.BYTES_OVERHANG);
  }
}
