/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where to reopen one file to reach a record by its ordinal (0-based, counting well-formed records
 * in file order), built from the {@link RangeCounter} counts of ranges that tile the file. Every
 * range start is an entry that is exact by the ownership rule; the counts' sparse entries inside
 * ranges shorten the records to skip and are checked when used ({@link OrdinalReader}).
 */
public final class OrdinalIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A place to open the file: the reader of {@code [position, ...)} returns the record of {@code
   * ordinal} first. {@code reportedOffset} is that record's {@code _offset}, checked when the
   * reader starts there, or -1 for a range start, which needs no check.
   */
  public record Entry(long ordinal, long position, long reportedOffset) implements Serializable {
    private static final long serialVersionUID = 1L;

    boolean isRangeStart() {
      return reportedOffset < 0;
    }
  }

  private final String file;
  private final long[] rangeStarts;
  private final long[] rangeFirstOrdinals;
  private final Entry[] entries;
  private final long records;
  private final long lastOffset;

  private OrdinalIndex(
      String file,
      long[] rangeStarts,
      long[] rangeFirstOrdinals,
      Entry[] entries,
      long records,
      long lastOffset) {
    this.file = file;
    this.rangeStarts = rangeStarts;
    this.rangeFirstOrdinals = rangeFirstOrdinals;
    this.entries = entries;
    this.records = records;
    this.lastOffset = lastOffset;
  }

  /** One range's start and what {@link RangeCounter} counted in it. */
  public record CountedRange(long start, RangeCounter.Result counted) {}

  /**
   * The index of a file from the counts of ranges that tile it (in any order).
   *
   * @param file how messages name the file
   */
  public static OrdinalIndex of(String file, List<CountedRange> ranges) {
    List<CountedRange> sorted = new ArrayList<>(ranges);
    if (sorted.isEmpty()) {
      // An empty file has no range: one empty range at 0 keeps lookups simple.
      sorted.add(new CountedRange(0, RangeCounter.Result.empty(null)));
    }
    sorted.sort(Comparator.comparingLong(CountedRange::start));
    long[] starts = new long[sorted.size()];
    long[] firsts = new long[sorted.size()];
    List<Entry> entries = new ArrayList<>();
    long ordinal = 0;
    long lastOffset = -1;
    for (int i = 0; i < sorted.size(); i++) {
      CountedRange r = sorted.get(i);
      starts[i] = r.start();
      firsts[i] = ordinal;
      entries.add(new Entry(ordinal, r.start(), -1));
      RangeCounter.Result c = r.counted();
      for (int k = 0; k < c.entryOrdinals().length; k++) {
        entries.add(
            new Entry(ordinal + c.entryOrdinals()[k], c.entryPositions()[k], c.entryOffsets()[k]));
      }
      ordinal += c.records();
      if (c.records() > 0) {
        lastOffset = c.lastOffset();
      }
    }
    return new OrdinalIndex(
        file, starts, firsts, entries.toArray(new Entry[0]), ordinal, lastOffset);
  }

  /** The file's name, as messages give it. */
  public String file() {
    return file;
  }

  /** The number of records in the file. */
  public long records() {
    return records;
  }

  /** The {@code _offset} of the file's last record (or malformed stretch), -1 if it has none. */
  public long lastOffset() {
    return lastOffset;
  }

  /** The ordinal of the first record of the range that starts at {@code start}. */
  public long firstOrdinalOfRange(long start) {
    int i = Arrays.binarySearch(rangeStarts, start);
    if (i < 0) {
      throw new IllegalArgumentException("No counted range of " + file + " starts at " + start);
    }
    return rangeFirstOrdinals[i];
  }

  /** The number of records of the range that starts at {@code start}. */
  public long recordsOfRange(long start) {
    int i = Arrays.binarySearch(rangeStarts, start);
    if (i < 0) {
      throw new IllegalArgumentException("No counted range of " + file + " starts at " + start);
    }
    return (i + 1 < rangeStarts.length ? rangeFirstOrdinals[i + 1] : records)
        - rangeFirstOrdinals[i];
  }

  /** The closest entry at or before {@code ordinal}: the fewest records to skip. */
  public Entry entryFor(long ordinal) {
    // Entries are in file order, so their ordinals never decrease: the last one <= ordinal.
    int lo = 0;
    int hi = entries.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (entries[mid].ordinal() <= ordinal) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return entries[lo];
  }

  /**
   * The position of the first entry whose ordinal is {@code ordinal} or more, or {@code
   * Long.MAX_VALUE} if none: the records before {@code ordinal} start before it. For a plain file
   * it is a byte offset, where a reader of records up to {@code ordinal} can stop its windows (a
   * record crossing it is still read whole).
   */
  public long positionAfter(long ordinal) {
    int lo = 0;
    int hi = entries.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries[mid].ordinal() < ordinal) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < entries.length ? entries[lo].position() : Long.MAX_VALUE;
  }

  /** The range start at or before {@code ordinal}: always exact, used when an entry fails. */
  public Entry rangeEntryFor(long ordinal) {
    int lo = 0;
    int hi = rangeStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (rangeFirstOrdinals[mid] <= ordinal) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return new Entry(rangeFirstOrdinals[lo], rangeStarts[lo], -1);
  }

  /** The number of entries, range starts included. */
  public int entries() {
    return entries.length;
  }
}
