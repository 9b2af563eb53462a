/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#LOCK_FAILURES}. */
public final class LockFailuresMetric extends FastqCustomMetric {
  public LockFailuresMetric() {
    super(ReadMetric.LOCK_FAILURES);
  }
}
