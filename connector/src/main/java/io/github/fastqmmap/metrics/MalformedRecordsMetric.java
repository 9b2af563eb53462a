/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MALFORMED_RECORDS}. */
public final class MalformedRecordsMetric extends FastqCustomMetric {
  public MalformedRecordsMetric() {
    super(ReadMetric.MALFORMED_RECORDS);
  }
}
