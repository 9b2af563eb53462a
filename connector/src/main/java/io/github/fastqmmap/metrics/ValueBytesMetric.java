/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#VALUE_BYTES}. */
public final class ValueBytesMetric extends FastqCustomMetric {
  public ValueBytesMetric() {
    super(ReadMetric.VALUE_BYTES);
  }
}
