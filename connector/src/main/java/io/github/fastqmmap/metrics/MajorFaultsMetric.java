/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MAJOR_FAULTS}. */
public final class MajorFaultsMetric extends FastqCustomMetric {
  public MajorFaultsMetric() {
    super(ReadMetric.MAJOR_FAULTS);
  }
}
