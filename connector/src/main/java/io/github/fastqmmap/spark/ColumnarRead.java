/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.OptionValue;
import java.util.Locale;

/**
 * The {@code columnar} option: whether single reads reach Spark as column batches ({@link
 * ColumnarPartitionReader}) or as rows. Batches are used only where they cover the scan ({@link
 * FastqBatchWriter#covers}; for pairs {@link FastqBatchWriter#coversPairs}, the pair's own strings
 * and header fields); count() always reads rows.
 */
enum ColumnarRead implements OptionValue {
  /**
   * The default: batches wherever they cover the scan (chosen by measurement:
   * docs/measurements/read-benchmark.md, "Columnar reads").
   */
  AUTO,
  /** Batches wherever they cover the scan. */
  TRUE,
  /** Rows always. */
  FALSE;

  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a scan of {@code columns} reads batches (decided once per scan). */
  boolean uses(FastqOptions options, FastqColumn[] columns, boolean countOnly) {
    return this != FALSE
        && !countOnly
        && (options.pairs()
            ? FastqBatchWriter.coversPairs(columns)
            : FastqBatchWriter.covers(columns));
  }
}
