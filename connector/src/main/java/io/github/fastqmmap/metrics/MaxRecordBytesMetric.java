/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MAX_RECORD_BYTES}. */
public final class MaxRecordBytesMetric extends FastqCustomMetric {
  public MaxRecordBytesMetric() {
    super(ReadMetric.MAX_RECORD_BYTES);
  }
}
