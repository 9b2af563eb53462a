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
 *
 * <p>A span {@link #aligned} by names ({@link io.github.fastqmmap.open.PairAnchors}) knows no
 * ordinals: it reads the records R1's range owns and those of R2 in {@code [entry2, end2)}, byte
 * offsets of the records that R1's range and the next one start with; its {@code from} is 0 and its
 * {@code to} unbounded, and {@code records} is an estimate.
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

  /** Where each file's reader stops, exclusive ({@code Long.MAX_VALUE}: at {@code to}). */
  final long end1;

  final long end2;

  /** The pairs of the span: exact when counted, estimated when aligned by names. */
  final long records;

  /** Whether the span was aligned by names rather than counted. */
  final boolean aligned;

  /**
   * @param end1 where R1's reader stops ({@code Long.MAX_VALUE}: at {@code to}), and {@code end2}
   *     R2's
   * @param records the span's pairs ({@code to - from} when counted)
   */
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
      long windowEnd2,
      long end1,
      long end2,
      long records,
      boolean aligned) {
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
    this.end1 = end1;
    this.end2 = end2;
    this.records = records;
    this.aligned = aligned;
  }

  /**
   * The span of R1's range {@code r} aligned by names: R2's records from {@code start2} up to
   * {@code end2} ({@code Long.MAX_VALUE}: to its end), about {@code records} pairs.
   */
  static PairSpan aligned(FileRange r, FastqFile mate, long start2, long end2, long records) {
    return new PairSpan(
        r.file,
        mate,
        new OrdinalIndex.Entry(0, r.start, -1),
        new OrdinalIndex.Entry(0, start2, -1),
        new OrdinalIndex.Entry(0, start2, -1),
        0,
        Long.MAX_VALUE, // never empty: even an empty stretch is read, to check its mate's
        0,
        -1,
        -1,
        r.end,
        end2,
        records,
        true);
  }

  /** A span of range {@code r} that reads nothing (its pair is skipped). */
  static PairSpan none(FileRange r, FastqFile mate) {
    OrdinalIndex.Entry start = new OrdinalIndex.Entry(0, r.start, -1);
    return new PairSpan(
        r.file,
        mate,
        start,
        start,
        start,
        0,
        0,
        0,
        -1,
        -1,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        0,
        false);
  }

  /** Whether the span holds no pair. */
  boolean isEmpty() {
    return from >= to;
  }

  @Override
  public String toString() {
    if (aligned) {
      return "the range of "
          + first.uri
          + " from "
          + entry1.position()
          + " and "
          + second.uri
          + " from "
          + entry2.position()
          + " (aligned by names)";
    }
    return "records ["
        + from
        + ", "
        + to
        + ") of "
        + first.uri
        + (second == null ? " (interleaved)" : " and " + second.uri);
  }
}
