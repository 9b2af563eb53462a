/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Every metric a FASTQ scan reports, under one name both as an accumulator ({@code
 * fastq-mmap.<name>}) and as a custom SQL metric on the scan node.
 */
public enum ReadMetric {
  RECORDS("records", "records read", Kind.COUNT, c -> c.parse.records),
  BASES("bases", "bases read", Kind.COUNT, c -> c.parse.bases),
  BYTES_MAPPED("bytesMapped", "bytes mapped", Kind.SIZE, c -> c.mapping.bytesMapped),
  BYTES_READ("bytesRead", "bytes read from storage", Kind.SIZE, c -> c.bytesRead),
  BYTES_PARSED("bytesParsed", "bytes parsed", Kind.SIZE, c -> c.parse.bytesParsed),
  BYTES_SKIPPED(
      "bytesSkipped", "bytes skipped to the first record", Kind.SIZE, c -> c.parse.bytesSkipped),
  BYTES_OVERHANG(
      "bytesOverhang", "bytes read past range ends", Kind.SIZE, c -> c.parse.bytesOverhang),
  MALFORMED_RECORDS(
      "malformedRecords", "malformed records", Kind.COUNT, c -> c.parse.malformedRecords),
  DROPPED_RECORDS(
      "droppedRecords", "malformed records dropped", Kind.COUNT, c -> c.parse.droppedRecords),
  WINDOWS_MAPPED("windowsMapped", "windows mapped", Kind.COUNT, c -> c.mapping.windowsMapped),
  WINDOWS_COPIED(
      "windowsCopied",
      "windows copied by pread instead of mapped",
      Kind.COUNT,
      c -> c.mapping.windowsCopied),
  BYTES_COPIED("bytesCopied", "bytes copied by pread", Kind.SIZE, c -> c.mapping.bytesCopied),
  MADVISE_CALLS("madviseCalls", "madvise calls", Kind.COUNT, c -> c.mapping.madviseCalls),
  MADVISE_FAILURES(
      "madviseFailures", "madvise calls refused", Kind.COUNT, c -> c.mapping.madviseFailures),
  MINOR_FAULTS("minorFaults", "minor page faults", Kind.COUNT, c -> c.mapping.minorFaults),
  MAJOR_FAULTS("majorFaults", "major page faults", Kind.COUNT, c -> c.mapping.majorFaults),
  MAP_NANOS("mapNanos", "time mapping and advising", Kind.NANOS, c -> c.mapping.mapNanos),
  PARSE_NANOS("parseNanos", "time parsing", Kind.NANOS, c -> c.parse.parseNanos),
  MAX_RECORD_BYTES("maxRecordBytes", "longest record", Kind.MAX_SIZE, c -> c.parse.maxRecordBytes),
  VALUE_BYTES("valueBytes", "bytes copied into rows", Kind.SIZE, c -> c.valueBytes),
  LOCK_FAILURES("lockFailures", "mlock calls refused", Kind.COUNT, c -> c.mapping.lockFailures),
  HUGE_PAGE_FAILURES(
      "hugePageFailures", "huge-page advice refused", Kind.COUNT, c -> c.mapping.hugePageFailures),
  BYTES_INFLATED_NATIVELY(
      "bytesInflatedNatively",
      "bytes inflated by ISA-L or libdeflate",
      Kind.SIZE,
      c -> c.codec.bytesInflatedNatively),
  BYTES_INFLATED_BY_JDK(
      "bytesInflatedByJdk",
      "bytes inflated by the JDK's zlib",
      Kind.SIZE,
      c -> c.codec.bytesInflatedByJdk);

  /** How task values combine and how the total is shown. */
  public enum Kind {
    COUNT,
    SIZE,
    NANOS,
    MAX_SIZE;

    public boolean isMax() {
      return this == MAX_SIZE;
    }
  }

  /** Prefix of accumulator names. */
  public static final String ACCUMULATOR_PREFIX = "fastq-mmap.";

  private final String metricName;
  private final String description;
  private final Kind kind;
  private final ToLongFunction<ReadCounters> extractor;

  ReadMetric(
      String metricName, String description, Kind kind, ToLongFunction<ReadCounters> extractor) {
    this.metricName = metricName;
    this.description = description;
    this.kind = kind;
    this.extractor = extractor;
  }

  /** The name, such as {@code records}. */
  public String metricName() {
    return metricName;
  }

  /** The accumulator's name, such as {@code fastq-mmap.records}. */
  public String accumulatorName() {
    return ACCUMULATOR_PREFIX + metricName;
  }

  public String description() {
    return description;
  }

  public Kind kind() {
    return kind;
  }

  long valueOf(ReadCounters counters) {
    return extractor.applyAsLong(counters);
  }

  /** Combines task values into a total: the sum, or the maximum for {@link Kind#MAX_SIZE}. */
  public long combine(long[] taskValues) {
    return kind.isMax()
        ? Arrays.stream(taskValues).max().orElse(0)
        : Arrays.stream(taskValues).sum();
  }

  /** The SQL tab's text: the total, and for sums over several tasks their min, median and max. */
  String format(long[] taskValues) {
    String total = formatValue(combine(taskValues));
    if (kind.isMax() || taskValues.length < 2) {
      return total;
    }
    long[] sorted = taskValues.clone();
    Arrays.sort(sorted);
    return total
        + " (min "
        + formatValue(sorted[0])
        + ", med "
        + formatValue(sorted[sorted.length / 2])
        + ", max "
        + formatValue(sorted[sorted.length - 1])
        + ")";
  }

  String formatValue(long value) {
    switch (kind) {
      case SIZE:
      case MAX_SIZE:
        return formatBytes(value);
      case NANOS:
        return formatNanos(value);
      default:
        return String.format(Locale.ROOT, "%,d", value);
    }
  }

  static String formatBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String formatNanos(long nanos) {
    if (nanos < 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    if (nanos < 60_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
    return String.format(Locale.ROOT, "%.1f min", nanos / 6e10);
  }
}
