/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MINOR_FAULTS}. */
public final class MinorFaultsMetric extends FastqCustomMetric {
  public MinorFaultsMetric() {
    super(ReadMetric.MINOR_FAULTS);
  }
}
