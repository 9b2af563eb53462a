/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MADVISE_CALLS}. */
public final class MadviseCallsMetric extends FastqCustomMetric {
  public MadviseCallsMetric() {
    super(ReadMetric.MADVISE_CALLS);
  }
}
