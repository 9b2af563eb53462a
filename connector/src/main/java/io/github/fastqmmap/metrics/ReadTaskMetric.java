/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * One reader's value of one metric, as Spark collects it from the task. A live view: {@link
 * #value()} reads the counters when Spark asks, so a reader makes its views once, and Spark's
 * collection every hundred rows allocates nothing.
 */
public final class ReadTaskMetric implements CustomTaskMetric {
  private static final ReadMetric[] METRICS = ReadMetric.values();

  private final ReadMetric metric;
  private final ReadCounters counters;

  private ReadTaskMetric(ReadMetric metric, ReadCounters counters) {
    this.metric = metric;
    this.counters = counters;
  }

  @Override
  public String name() {
    return metric.metricName();
  }

  @Override
  public long value() {
    return metric.valueOf(counters);
  }

  /** Live views of every metric of one reader's counters. */
  public static CustomTaskMetric[] of(ReadCounters counters) {
    CustomTaskMetric[] views = new CustomTaskMetric[METRICS.length];
    for (int i = 0; i < METRICS.length; i++) {
      views[i] = new ReadTaskMetric(METRICS[i], counters);
    }
    return views;
  }
}
