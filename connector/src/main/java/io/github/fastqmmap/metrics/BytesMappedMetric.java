/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#BYTES_MAPPED}. */
public final class BytesMappedMetric extends FastqCustomMetric {
  public BytesMappedMetric() {
    super(ReadMetric.BYTES_MAPPED);
  }
}
