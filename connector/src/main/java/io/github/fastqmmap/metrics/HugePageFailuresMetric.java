/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#HUGE_PAGE_FAILURES}. */
public final class HugePageFailuresMetric extends FastqCustomMetric {
  public HugePageFailuresMetric() {
    super(ReadMetric.HUGE_PAGE_FAILURES);
  }
}
