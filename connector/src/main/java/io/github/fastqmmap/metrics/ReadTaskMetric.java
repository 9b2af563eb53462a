package io.github.fastqmmap.metrics;

import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** One reader's current value of one metric, as Spark collects it from the task. */
public final class ReadTaskMetric implements CustomTaskMetric {
  private final String name;
  private final long value;

  private ReadTaskMetric(String name, long value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long value() {
    return value;
  }

  /** The current values of every metric for one reader. */
  public static CustomTaskMetric[] of(ReadCounters counters) {
    ReadMetric[] metrics = ReadMetric.values();
    CustomTaskMetric[] values = new CustomTaskMetric[metrics.length];
    for (int i = 0; i < metrics.length; i++) {
      values[i] = new ReadTaskMetric(metrics[i].metricName(), metrics[i].valueOf(counters));
    }
    return values;
  }
}
