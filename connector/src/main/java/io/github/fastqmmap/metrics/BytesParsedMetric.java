/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_PARSED}. */
public final class BytesParsedMetric extends FastqCustomMetric {
  public BytesParsedMetric() {
    super(ReadMetric.BYTES_PARSED);
  }
}
