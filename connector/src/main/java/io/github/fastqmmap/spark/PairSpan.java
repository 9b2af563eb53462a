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
 * Planned on the driver from the counting pass; pair ordinals start at {@code firstPair}. {@code
 * windowEnd1} and {@code windowEnd2} are where each file's records of the span start at the latest
 * (the next index entry, a byte offset in plain files; -1 when unknown), so that the readers'
 * windows stop there instead of mapping or copying a whole window past the span.
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
  final long windowEnd1;
  final long windowEnd2;

  PairSpan(
      FastqFile first,
      FastqFile second,
      OrdinalIndex.Entry entry1,
      OrdinalIndex.Entry entry2,
      OrdinalIndex.Entry fallback2,
      long from,
      long to,
      long firstPair,
      long windowEnd1,
      long windowEnd2) {
    this.first = first;
    this.second = second;
    this.entry1 = entry1;
    this.entry2 = entry2;
    this.fallback2 = fallback2;
    this.from = from;
    this.to = to;
    this.firstPair = firstPair;
    this.windowEnd1 = windowEnd1;
    this.windowEnd2 = windowEnd2;
  }

  /** A span of range {@code r} that reads nothing (its pair is skipped). */
  static PairSpan none(FileRange r, FastqFile mate) {
    OrdinalIndex.Entry start = new OrdinalIndex.Entry(0, r.start, -1);
    return new PairSpan(r.file, mate, start, start, start, 0, 0, 0, -1, -1);
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
