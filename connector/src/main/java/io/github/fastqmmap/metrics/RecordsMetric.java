/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#RECORDS}. */
public final class RecordsMetric extends FastqCustomMetric {
  public RecordsMetric() {
    super(ReadMetric.RECORDS);
  }
}
