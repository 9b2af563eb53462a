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

  /**
   * What a reader reports to Spark: the live views of the metrics that have ever been nonzero.
   * Spark 4.2 merges the reported metrics by name every hundred rows (a hash map built over them),
   * which cost about a quarter of the CPU time of reading all four columns of short reads with
   * every metric reported; most of them (failures, inflated bytes, malformed records) stay zero. A
   * metric never reported keeps its initial value, zero, so leaving zeros out changes no value
   * Spark shows; once reported, a metric stays in, so a value is never left stale.
   */
  public static final class Reported {
    private final CustomTaskMetric[] views;
    private final ReadCounters counters;

    /** Bit i: metric i has been nonzero. */
    private long everNonZero;

    private CustomTaskMetric[] reported = new CustomTaskMetric[0];

    public Reported(ReadCounters counters) {
      this.counters = counters;
      this.views = of(counters);
    }

    /** The views to give Spark now; the same array while no other metric turned nonzero. */
    public CustomTaskMetric[] current() {
      long mask = everNonZero;
      for (int i = 0; i < METRICS.length; i++) {
        if (METRICS[i].valueOf(counters) != 0) {
          mask |= 1L << i;
        }
      }
      if (mask != everNonZero) {
        everNonZero = mask;
        CustomTaskMetric[] next = new CustomTaskMetric[Long.bitCount(mask)];
        int n = 0;
        for (int i = 0; i < METRICS.length; i++) {
          if ((mask & (1L << i)) != 0) {
            next[n++] = views[i];
          }
        }
        reported = next;
      }
      return reported;
    }
  }

  static {
    if (METRICS.length > Long.SIZE) {
      throw new AssertionError("Reported keeps one bit per metric in a long");
    }
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
