/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import org.apache.spark.sql.connector.metric.CustomMetric;

/**
 * A custom SQL metric of the scan node. Spark re-creates metric classes by name (also in the
 * History Server), so each metric is a small top-level subclass with a no-arg constructor.
 */
public abstract class FastqCustomMetric implements CustomMetric {
  private final ReadMetric metric;

  protected FastqCustomMetric(ReadMetric metric) {
    this.metric = metric;
  }

  /** One instance of every metric, in {@link ReadMetric} order, for {@code Scan}. */
  public static CustomMetric[] all() {
    return new CustomMetric[] {
      new RecordsMetric(),
      new BasesMetric(),
      new BytesMappedMetric(),
      new BytesReadMetric(),
      new BytesParsedMetric(),
      new BytesSkippedMetric(),
      new BytesOverhangMetric(),
      new MalformedRecordsMetric(),
      new DroppedRecordsMetric(),
      new WindowsMappedMetric(),
      new WindowsCopiedMetric(),
      new BytesCopiedMetric(),
      new MadviseCallsMetric(),
      new MadviseFailuresMetric(),
      new MinorFaultsMetric(),
      new MajorFaultsMetric(),
      new MapNanosMetric(),
      new ParseNanosMetric(),
      new MaxRecordBytesMetric(),
      new ValueBytesMetric(),
      new LockFailuresMetric(),
      new HugePageFailuresMetric(),
      new BytesInflatedNativelyMetric(),
      new BytesInflatedByJdkMetric()
    };
  }

  @Override
  public String name() {
    return metric.metricName();
  }

  @Override
  public String description() {
    return metric.description();
  }

  @Override
  public String aggregateTaskMetrics(long[] taskMetrics) {
    return metric.format(taskMetrics);
  }
}
