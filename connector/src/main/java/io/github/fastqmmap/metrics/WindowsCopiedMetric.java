/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

/** SQL metric {@link ReadMetric#WINDOWS_COPIED}. */
public final class WindowsCopiedMetric extends FastqCustomMetric {
  public WindowsCopiedMetric() {
    super(ReadMetric.WINDOWS_COPIED);
  }
}
