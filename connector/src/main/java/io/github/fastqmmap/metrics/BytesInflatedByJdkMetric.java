/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_INFLATED_BY_JDK}. */
public final class BytesInflatedByJdkMetric extends FastqCustomMetric {
  public BytesInflatedByJdkMetric() {
    super(ReadMetric.BYTES_INFLATED_BY_JDK);
  }
}
