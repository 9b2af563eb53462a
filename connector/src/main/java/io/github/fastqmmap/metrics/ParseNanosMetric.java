/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#PARSE_NANOS}. */
public final class ParseNanosMetric extends FastqCustomMetric {
  public ParseNanosMetric() {
    super(ReadMetric.PARSE_NANOS);
  }
}
