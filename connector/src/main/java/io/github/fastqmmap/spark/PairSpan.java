/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.OrdinalIndex;
import java.io.Serializable;

/**
 * What one range of pairs reads: record ordinals {@code [from, to)} of the R1 (or interleaved)
 * file, opened at {@code entry1}, and for two files the same ordinals of R2, opened at {@code
 * entry2} (or {@code fallback2}, a range start, if that sparse entry does not find its record).
 * Planned on the driver from the counting pass; pair ordinals start at {@code firstPair}.
 */
final class PairSpan implements Serializable {
  private static final long serialVersionUID = 1L;

  final FastqFile first;
  final FastqFile second;
  final OrdinalIndex.Entry entry1;
  final OrdinalIndex.Entry entry2;
  final OrdinalIndex.Entry fallback2;
  final long from;
  final long to;
  final long firstPair;

  PairSpan(
      FastqFile first,
      FastqFile second,
      OrdinalIndex.Entry entry1,
      OrdinalIndex.Entry entry2,
      OrdinalIndex.Entry fallback2,
      long from,
      long to,
      long firstPair) {
    this.first = first;
    this.second = second;
    this.entry1 = entry1;
    this.entry2 = entry2;
    this.fallback2 = fallback2;
    this.from = from;
    this.to = to;
    this.firstPair = firstPair;
  }

  /** A span of range {@code r} that reads nothing (its pair is skipped). */
  static PairSpan none(FileRange r, FastqFile mate) {
    OrdinalIndex.Entry start = new OrdinalIndex.Entry(0, r.start, -1);
    return new PairSpan(r.file, mate, start, start, start, 0, 0, 0);
  }

  /** Whether the span holds no pair. */
  boolean isEmpty() {
    return from >= to;
  }

  @Override
  public String toString() {
    return "records ["
        + from
        + ", "
        + to
        + ") of "
        + first.uri
        + (second == null ? " (interleaved)" : " and " + second.uri);
  }
}
