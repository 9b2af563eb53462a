/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.parse.ParseCounters;

/** Everything one partition reader counts: parsing, mapping, and the bytes put into rows. */
public final class ReadCounters {
  public final ParseCounters parse = new ParseCounters();
  public final MappingCounters mapping = new MappingCounters();
  public final CodecCounters codec = new CodecCounters();

  /**
   * Bytes read from storage: mapped for a mapping, compressed bytes for a compressed file, read for
   * positional reads (HDFS, object stores).
   */
  public long bytesRead;

  /** Bytes copied into string values of rows; 0 when no string column is selected. */
  public long valueBytes;

  public long value(ReadMetric metric) {
    return metric.valueOf(this);
  }
}
