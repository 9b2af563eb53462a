/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_SKIPPED}. */
public final class BytesSkippedMetric extends FastqCustomMetric {
  public BytesSkippedMetric() {
    super(ReadMetric.BYTES_SKIPPED);
  }
}
