/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#WINDOWS_MAPPED}. */
public final class WindowsMappedMetric extends FastqCustomMetric {
  public WindowsMappedMetric() {
    super(ReadMetric.WINDOWS_MAPPED);
  }
}
