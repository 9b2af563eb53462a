/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_READ}. */
public final class BytesReadMetric extends FastqCustomMetric {
  public BytesReadMetric() {
    super(ReadMetric.BYTES_READ);
  }
}
