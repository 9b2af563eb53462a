/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_INFLATED_NATIVELY}. */
public final class BytesInflatedNativelyMetric extends FastqCustomMetric {
  public BytesInflatedNativelyMetric() {
    super(ReadMetric.BYTES_INFLATED_NATIVELY);
  }
}
