/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#MAP_NANOS}. */
public final class MapNanosMetric extends FastqCustomMetric {
  public MapNanosMetric() {
    super(ReadMetric.MAP_NANOS);
  }
}
