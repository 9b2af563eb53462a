/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MADVISE_FAILURES}. */
public final class MadviseFailuresMetric extends FastqCustomMetric {
  public MadviseFailuresMetric() {
    super(ReadMetric.MADVISE_FAILURES);
  }
}
