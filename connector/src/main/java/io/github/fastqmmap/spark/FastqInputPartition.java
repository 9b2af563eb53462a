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

  /**
   * Mean bytes per record above which pairs are long: a column batch of them maps its windows
   * (probed as any reader's) or copies them all, whichever earlier tasks measured cheaper ({@link
   * LongPairWindows}), where other batches copy them all. Measured on the AVX-512 Intel host, 1 GiB
   * per mate, page cache read-ahead or as copied with {@code cp}: the tasks reading pairs of 10 kb
   * reads used 10 to 20% less CPU mapped than copied, single reads of them no less; pairs of 150 bp
   * reads the same either way (docs/measurements/paired-reads.md, "Long pairs map their windows");
   * on the AMD EPYC host copying was the cheaper.
   */
  static final long LONG_PAIR_RECORD_BYTES = 4 << 10;

  /**
   * Whether this partition reads pairs whose records are long ({@link #LONG_PAIR_RECORD_BYTES}):
   * its ranges' bytes over the records the counting pass found in them (R1's, or the interleaved
   * file's), or for pairs aligned by names the records their alignment estimated.
   */
  boolean holdsLongPairs() {
    if (pairs == null) {
      return false;
    }
    long records = 0;
    for (PairSpan s : pairs) {
      records += s.records;
    }
    return records > 0 && bytes() / records > LONG_PAIR_RECORD_BYTES;
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
