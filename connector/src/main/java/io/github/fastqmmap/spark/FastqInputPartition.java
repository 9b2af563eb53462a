/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The ranges one task reads, in order, and the hosts that hold most of their bytes. */
final class FastqInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  final int index;
  final List<FileRange> ranges;
  private final String[] preferredLocations;

  /** Each range's first record ordinal, from the counting pass; null when not asked for. */
  private final long[] firstOrdinals;

  /** For pairs, what each range reads of its mate files (parallel to ranges); else null. */
  final List<PairSpan> pairs;

  FastqInputPartition(int index, List<FileRange> ranges, String[] preferredLocations) {
    this(index, ranges, preferredLocations, null, null);
  }

  private FastqInputPartition(
      int index,
      List<FileRange> ranges,
      String[] preferredLocations,
      long[] firstOrdinals,
      List<PairSpan> pairs) {
    this.index = index;
    this.ranges = ranges;
    this.preferredLocations = preferredLocations;
    this.firstOrdinals = firstOrdinals;
    this.pairs = pairs;
  }

  /** The same partition, with each range's first record ordinal. */
  FastqInputPartition withOrdinals(long[] ordinals) {
    return new FastqInputPartition(index, ranges, preferredLocations, ordinals.clone(), null);
  }

  /** The same partition, reading pairs: one span per range. */
  FastqInputPartition withPairs(List<PairSpan> spans) {
    return new FastqInputPartition(index, ranges, preferredLocations, null, List.copyOf(spans));
  }

  /** The ordinal of range {@code i}'s first record, or 0 when ordinals were not counted. */
  long firstOrdinal(int i) {
    return firstOrdinals == null ? 0 : firstOrdinals[i];
  }

  @Override
  public String[] preferredLocations() {
    return preferredLocations.clone();
  }

  long bytes() {
    long sum = 0;
    for (FileRange r : ranges) {
      sum += r.length();
    }
    return sum;
  }

  @Override
  public String toString() {
    return "FastqInputPartition " + index + " " + ranges;
  }
}
