/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#DROPPED_RECORDS}. */
public final class DroppedRecordsMetric extends FastqCustomMetric {
  public DroppedRecordsMetric() {
    super(ReadMetric.DROPPED_RECORDS);
  }
}
