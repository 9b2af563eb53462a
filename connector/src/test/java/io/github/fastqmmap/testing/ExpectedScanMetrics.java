/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a scan of one valid file must count, worked out from the record offsets alone: the file is
 * cut into ranges of {@code split} bytes (a page multiple), and each range {@code [s, e)} maps one
 * window from the page before {@code s} (from 0 when {@code s} is 0) to {@code e} plus {@link
 * ByteSource#OVERHANG_BYTES}, clipped to the file. That holds when records are short next to the
 * overhang, the window option is larger than a range plus the overhang, and {@code
 * prefetchBytes=0}, so that the read advice is the only {@code madvise} call per window.
 */
public final class ExpectedScanMetrics {
  private ExpectedScanMetrics() {}

  public static Map<ReadMetric, Long> forRanges(
      List<Read> reads, long length, long split, long pageSize) {
    if (split % pageSize != 0) {
      throw new IllegalArgumentException("ranges start on pages: " + split + " % " + pageSize);
    }
    long[] starts = reads.stream().mapToLong(Read::offset).toArray();
    long skipped = 0;
    long overhang = 0;
    long mapped = 0;
    long ranges = 0;
    for (long s = 0; s < length; s += split) {
      long end = Math.min(length, s + split);
      ranges++;
      if (s > 0) {
        skipped += Math.min(nextStart(starts, s, length), end) - s;
      }
      overhang += nextStart(starts, end, length) - end;
      mapped += Math.min(length, end + ByteSource.OVERHANG_BYTES) - (s == 0 ? 0 : s - pageSize);
    }
    Map<ReadMetric, Long> e = new EnumMap<>(ReadMetric.class);
    e.put(ReadMetric.RECORDS, (long) reads.size());
    e.put(ReadMetric.BASES, reads.stream().mapToLong(r -> r.sequence().length()).sum());
    e.put(ReadMetric.BYTES_PARSED, length);
    e.put(ReadMetric.BYTES_SKIPPED, skipped);
    e.put(ReadMetric.BYTES_OVERHANG, overhang);
    e.put(ReadMetric.BYTES_MAPPED, mapped);
    e.put(ReadMetric.BYTES_READ, mapped); // what a mapping reads from storage is what it maps
    e.put(ReadMetric.WINDOWS_MAPPED, ranges);
    e.put(ReadMetric.MADVISE_CALLS, ranges);
    e.put(ReadMetric.MADVISE_FAILURES, 0L);
    e.put(ReadMetric.MALFORMED_RECORDS, 0L);
    e.put(ReadMetric.DROPPED_RECORDS, 0L);
    e.put(ReadMetric.MAX_RECORD_BYTES, longestRecord(reads, length));
    return e;
  }

  /** The longest record, from its '@' to the next record's (or the file's end). */
  public static long longestRecord(List<Read> reads, long length) {
    long longest = 0;
    for (int i = 0; i < reads.size(); i++) {
      long end = i + 1 < reads.size() ? reads.get(i + 1).offset() : length;
      longest = Math.max(longest, end - reads.get(i).offset());
    }
    return longest;
  }

  /** The first record start at or after {@code offset}, or the file's end. */
  private static long nextStart(long[] starts, long offset, long length) {
    for (long s : starts) {
      if (s >= offset) {
        return s;
      }
    }
    return length;
  }
}
