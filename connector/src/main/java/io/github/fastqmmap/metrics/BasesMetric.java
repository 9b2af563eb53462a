/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BASES}. */
public final class BasesMetric extends FastqCustomMetric {
  public BasesMetric() {
    super(ReadMetric.BASES);
  }
}
