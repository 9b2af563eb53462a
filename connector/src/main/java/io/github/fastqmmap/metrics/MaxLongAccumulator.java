/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import org.apache.spark.util.AccumulatorV2;

/** An accumulator that keeps the largest value added, for metrics such as the longest record. */
public final class MaxLongAccumulator extends AccumulatorV2<Long, Long> {
  private static final long serialVersionUID = 1L;

  private long max;
  private boolean set;

  @Override
  public boolean isZero() {
    return !set;
  }

  @Override
  public AccumulatorV2<Long, Long> copy() {
    MaxLongAccumulator copy = new MaxLongAccumulator();
    copy.max = max;
    copy.set = set;
    return copy;
  }

  @Override
  public void reset() {
    max = 0;
    set = false;
  }

  @Override
  public void add(Long v) {
    add(v.longValue());
  }

  public void add(long v) {
    max = set ? Math.max(max, v) : v;
    set = true;
  }

  @Override
  public void merge(AccumulatorV2<Long, Long> other) {
    MaxLongAccumulator o = (MaxLongAccumulator) other;
    if (o.set) {
      add(o.max);
    }
  }

  @Override
  public Long value() {
    return max;
  }
}
