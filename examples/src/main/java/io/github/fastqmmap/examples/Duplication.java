/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sequence duplication over all reads, counted exactly by Spark (FastQC samples the first 100,000
 * sequences; a cluster can count them all): how many distinct sequences there are, how many reads
 * repeat an earlier one, how many sequences occur once, twice, ..., and the most frequent ones.
 */
public final class Duplication implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<Long, Long> levels;
  private final List<SequenceCount> top;

  Duplication(TreeMap<Long, Long> levels, List<SequenceCount> top) {
    this.levels = levels;
    this.top = List.copyOf(top);
  }

  /**
   * Counts the sequences of {@code reads} (a DataFrame with a {@code sequence} column) and keeps
   * the {@code topN} most frequent among those seen more than once; ties are ordered by sequence,
   * so the list is the same on every run.
   */
  public static Duplication compute(Dataset<Row> reads, int topN) {
    // Two queries over the same counts. Persisting the counts would save the second scan, but a
    // cached plan keeps spark.sql.shuffle.partitions (200) partitions that adaptive execution
    // cannot coalesce, which costs more than reading the mapped files again.
    Dataset<Row> counts = reads.groupBy("sequence").count();
    TreeMap<Long, Long> levels = new TreeMap<>();
    for (Row r : counts.groupBy("count").agg(count(lit(1)).as("sequences")).collectAsList()) {
      levels.put(r.getLong(0), r.getLong(1));
    }
    List<SequenceCount> top = new ArrayList<>();
    if (topN > 0) {
      for (Row r :
          counts
              .where(col("count").gt(1))
              .orderBy(col("count").desc(), col("sequence").asc())
              .limit(topN)
              .collectAsList()) {
        top.add(new SequenceCount(r.getString(0), r.getLong(1)));
      }
    }
    return new Duplication(levels, top);
  }

  /**
   * The same figures from sequence counts gathered without Spark (for tests and small inputs); ties
   * in the top list are ordered by sequence, as {@link #compute} orders them.
   */
  public static Duplication of(Map<String, Long> sequenceCounts, int topN) {
    TreeMap<Long, Long> levels = new TreeMap<>();
    List<SequenceCount> repeated = new ArrayList<>();
    for (Map.Entry<String, Long> e : sequenceCounts.entrySet()) {
      levels.merge(e.getValue(), 1L, Long::sum);
      if (e.getValue() > 1) {
        repeated.add(new SequenceCount(e.getKey(), e.getValue()));
      }
    }
    repeated.sort(
        Comparator.comparingLong((SequenceCount c) -> -c.count).thenComparing(c -> c.sequence));
    return new Duplication(levels, repeated.subList(0, Math.min(topN, repeated.size())));
  }

  /** Occurrences to the number of distinct sequences that occur that many times. */
  public Map<Long, Long> levels() {
    return Collections.unmodifiableMap(levels);
  }

  public long distinctSequences() {
    long d = 0;
    for (long v : levels.values()) {
      d += v;
    }
    return d;
  }

  /** The most frequent sequences seen more than once, most frequent first. */
  public List<SequenceCount> top() {
    return top;
  }

  /** A sequence and how many reads have it. */
  public static final class SequenceCount implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String sequence;
    public final long count;

    public SequenceCount(String sequence, long count) {
      this.sequence = sequence;
      this.count = count;
    }
  }
}
