/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

/**
 * One named accumulator per {@link ReadMetric} ({@code fastq-mmap.records}, ...), registered on the
 * driver when a scan is planned and filled by every reader of that scan. Accumulators are
 * cumulative: work that Spark repeats (a second action on the same plan, a retried task) is added
 * again. The SQL metrics of the scan node are the per-query truth.
 */
public final class ScanAccumulators implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<ReadMetric, AccumulatorV2<Long, Long>> accumulators;

  private ScanAccumulators(Map<ReadMetric, AccumulatorV2<Long, Long>> accumulators) {
    this.accumulators = accumulators;
  }

  /** Creates and registers the accumulators of one scan. */
  public static ScanAccumulators register(SparkContext sc) {
    Map<ReadMetric, AccumulatorV2<Long, Long>> map = new EnumMap<>(ReadMetric.class);
    for (ReadMetric m : ReadMetric.values()) {
      AccumulatorV2<Long, Long> acc =
          m.kind().isMax() ? new MaxLongAccumulator() : new LongAccumulator();
      sc.register(acc, m.accumulatorName());
      map.put(m, acc);
    }
    return new ScanAccumulators(map);
  }

  /** Adds one reader's counters (called on executors). */
  public void add(ReadCounters counters) {
    for (Map.Entry<ReadMetric, AccumulatorV2<Long, Long>> e : accumulators.entrySet()) {
      long v = e.getKey().valueOf(counters);
      AccumulatorV2<Long, Long> acc = e.getValue();
      if (acc instanceof LongAccumulator) {
        ((LongAccumulator) acc).add(v);
      } else {
        ((MaxLongAccumulator) acc).add(v);
      }
    }
  }

  /** The current value of one metric (on the driver, after an action). */
  public long value(ReadMetric metric) {
    return accumulators.get(metric).value();
  }

  /** The accumulator behind one metric. */
  public AccumulatorV2<Long, Long> accumulator(ReadMetric metric) {
    return accumulators.get(metric);
  }
}
