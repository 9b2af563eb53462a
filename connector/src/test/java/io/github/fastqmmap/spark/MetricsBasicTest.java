/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After one action, the {@code fastq-mmap.*} accumulators and the scan node's SQL metrics equal
 * what is known about a generated file: records, bases, malformed records, bytes parsed, the
 * longest record.
 */
class MetricsBasicTest {
  @TempDir static Path dir;
  private static Path file;
  private static long length;
  private static List<Read> truth;
  private static long bases;
  private static long longestRecord;

  @BeforeAll
  static void writeFile() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(33)
            .readLengths(0, 300)
            .longReads(0.02, 12_000) // records of several pages
            .trickyHeaders(true)
            .qualityLinesStartingWith(0.2, 0.2)
            .records(600)
            .generate();
    file = g.writeTo(dir.resolve("reads.fastq"));
    length = Files.size(file);
    truth = g.reads();
    for (int i = 0; i < truth.size(); i++) {
      bases += truth.get(i).sequence().length();
      long end = i + 1 < truth.size() ? truth.get(i + 1).offset() : length;
      longestRecord = Math.max(longestRecord, end - truth.get(i).offset());
    }
  }

  @Test
  void accumulatorsAndSqlMetricsEqualTheTruth() {
    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "8192"), file).select("name", "sequence");
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> df.collectAsList());

    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BASES)).isEqualTo(bases);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_MAPPED))
        .isPositive()
        .isGreaterThanOrEqualTo(length);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MALFORMED_RECORDS)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.DROPPED_RECORDS)).isZero();
    // Ranges tile the file and each reader parses from its first record to its successor's.
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(length);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MAX_RECORD_BYTES)).isEqualTo(longestRecord);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_MAPPED))
        .isGreaterThanOrEqualTo(length / 8192);
    assertThat(acc).containsKey(ReadMetric.PARSE_NANOS.accumulatorName());

    Map<String, Long> sql = ScanMetrics.sql(df);
    assertThat(sql.get(ReadMetric.RECORDS.metricName())).isEqualTo(truth.size());
    assertThat(sql.get(ReadMetric.BASES.metricName())).isEqualTo(bases);
    assertThat(sql.get(ReadMetric.MALFORMED_RECORDS.metricName())).isZero();
    assertThat(sql.get(ReadMetric.BYTES_PARSED.metricName())).isEqualTo(length);
    assertThat(sql.get(ReadMetric.BYTES_MAPPED.metricName())).isGreaterThanOrEqualTo(length);
    long names = truth.stream().mapToLong(r -> r.name().length()).sum();
    assertThat(sql.get(ReadMetric.VALUE_BYTES.metricName())).isEqualTo(names + bases);
    // Spark's own row count agrees.
    assertThat(sql.get("numOutputRows")).isEqualTo(truth.size());
  }

  /**
   * Column batches of the sequence and the quality point into copied windows instead of copying
   * their values out of mapped ones: under windowRead=auto every window is copied, without a probe;
   * windowRead=map still maps. The rows are the same.
   */
  @Test
  void batchesOfSequenceAndQualityReadCopiedWindows() {
    Dataset<Row> auto =
        SparkReads.load(Map.of("columnar", "true"), file).select("name", "sequence", "quality");
    List<Row> rows = new ArrayList<>();
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> rows.addAll(auto.collectAsList()));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_MAPPED)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_COPIED)).isPositive();
    assertThat(rows).hasSize(truth.size());
    assertThat(rows.get(7).getString(1)).isEqualTo(truth.get(7).sequence());

    Dataset<Row> map =
        SparkReads.load(Map.of("columnar", "true", "windowRead", "map"), file)
            .select("name", "sequence", "quality");
    List<Row> mappedRows = new ArrayList<>();
    Map<String, Long> mapped =
        ScanMetrics.accumulatorsDuring(() -> mappedRows.addAll(map.collectAsList()));
    assertThat(ScanMetrics.accumulator(mapped, ReadMetric.WINDOWS_COPIED)).isZero();
    assertThat(ScanMetrics.accumulator(mapped, ReadMetric.WINDOWS_MAPPED)).isPositive();
    assertThat(mappedRows).isEqualTo(rows);
  }

  /**
   * Batches of pairs whose records are long (over FastqInputPartition.LONG_PAIR_RECORD_BYTES) map
   * their windows or copy them all, as earlier tasks measured cheaper (LongPairWindows): mapped,
   * they give way to the probe, and windows this short (under 3 MiB) are mapped without one. Pairs
   * of short records, and single reads of the long ones, copy every window. The rows are the same
   * either way.
   */
  @Test
  void batchesOfLongPairsReadWindowsTheWayEarlierTasksMeasuredCheaper() throws Exception {
    PairedFastq longData = PairedFastq.generate(150, 35, 8_000, 4_000, 8_000, 4_000);
    Path long1 = Files.write(dir.resolve("long_R1.fastq"), longData.r1Bytes());
    Path long2 = Files.write(dir.resolve("long_R2.fastq"), longData.r2Bytes());
    String[] pairColumns = {"name", "sequence1", "quality1", "sequence2", "quality2"};
    Map<String, String> pairs = Map.of("columnar", "true", "paired", "true");
    PairedFastq.Pair seventh = longData.pairs().get(7);
    assertThat(List.of(Files.size(long1), Files.size(long2)))
        .allSatisfy(size -> assertThat(size).isBetween(2L << 20, 4L << 20));

    try {
      // Mapping measured cheaper: the task maps; copying cheaper: it copies. Same rows each way.
      for (boolean copyCheaper : new boolean[] {false, true}) {
        LongPairWindows.JVM.reset(copyCheaper ? 1.0 : 0.5, copyCheaper ? 0.5 : 1.0);
        Dataset<Row> longPairs = SparkReads.load(pairs, long1, long2).selectExpr(pairColumns);
        List<Row> rows = new ArrayList<>();
        Map<String, Long> acc =
            ScanMetrics.accumulatorsDuring(() -> rows.addAll(longPairs.collectAsList()));
        String way = copyCheaper ? "long pairs, copying cheaper" : "long pairs, mapping cheaper";
        // Each file (2 to 4 MiB) takes one mapped window, or two copied ones of up to 2 MiB.
        assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_COPIED))
            .as(way)
            .isEqualTo(copyCheaper ? 4 : 0);
        assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_MAPPED))
            .as(way)
            .isEqualTo(copyCheaper ? 0 : 2);
        assertThat(rows).hasSize(150);
        assertThat(rows.stream().filter(r -> r.getString(0).equals(seventh.name())).findFirst())
            .hasValueSatisfying(
                r -> {
                  assertThat(r.getString(1)).isEqualTo(seventh.sequence1());
                  assertThat(r.getString(2)).isEqualTo(seventh.quality1());
                  assertThat(r.getString(3)).isEqualTo(seventh.sequence2());
                  assertThat(r.getString(4)).isEqualTo(seventh.quality2());
                });
      }
    } finally {
      LongPairWindows.JVM.reset(Double.NaN, Double.NaN);
    }

    Map<String, Long> single =
        ScanMetrics.accumulatorsDuring(
            () ->
                SparkReads.load(Map.of("columnar", "true"), long1)
                    .select("name", "sequence", "quality")
                    .collectAsList());
    assertThat(ScanMetrics.accumulator(single, ReadMetric.WINDOWS_MAPPED))
        .as("single reads of the long file")
        .isZero();
    assertThat(ScanMetrics.accumulator(single, ReadMetric.WINDOWS_COPIED)).isPositive();

    PairedFastq shortData = PairedFastq.generate(400, 36);
    Path short1 = Files.write(dir.resolve("short_R1.fastq"), shortData.r1Bytes());
    Path short2 = Files.write(dir.resolve("short_R2.fastq"), shortData.r2Bytes());
    Map<String, Long> shortPairs =
        ScanMetrics.accumulatorsDuring(
            () -> SparkReads.load(pairs, short1, short2).selectExpr(pairColumns).collectAsList());
    assertThat(ScanMetrics.accumulator(shortPairs, ReadMetric.WINDOWS_MAPPED))
        .as("short pairs")
        .isZero();
    assertThat(ScanMetrics.accumulator(shortPairs, ReadMetric.WINDOWS_COPIED)).isPositive();
  }

  /**
   * Live values reach Spark only every 64th time it asks (6,400 rows); a task stopped early by a
   * limit still ends with final values, given when the task completes.
   */
  @Test
  void aTaskStoppedByALimitEndsWithFinalSqlMetrics() throws Exception {
    Path many =
        FastqFileGenerator.builder(34)
            .readLengths(20, 20)
            .records(20_000)
            .generate()
            .writeTo(dir.resolve("many.fastq"));
    Dataset<Row> df = SparkReads.load(Map.of(), many).select("name").limit(7_000);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> df.collectAsList());
    long records = ScanMetrics.accumulator(acc, ReadMetric.RECORDS);
    assertThat(records).isBetween(7_000L, 19_999L);
    assertThat(ScanMetrics.sql(df, ReadMetric.RECORDS)).isEqualTo(records);
    assertThat(ScanMetrics.sql(df, ReadMetric.VALUE_BYTES))
        .isEqualTo(ScanMetrics.accumulator(acc, ReadMetric.VALUE_BYTES));
  }

  @Test
  void everyMetricIsOnTheScanNode() {
    Dataset<Row> df = SparkReads.load(Map.of(), file).select("name");
    df.collectAsList();
    Map<String, Long> sql = ScanMetrics.sql(df);
    for (ReadMetric m : ReadMetric.values()) {
      assertThat(sql).as("SQL metric %s", m.metricName()).containsKey(m.metricName());
    }
    assertThat(sql.get(ReadMetric.RECORDS.metricName())).isEqualTo(truth.size());
    // One range from offset 0: nothing skipped, nothing read past the end.
    assertThat(sql.get(ReadMetric.BYTES_SKIPPED.metricName())).isZero();
    assertThat(sql.get(ReadMetric.BYTES_OVERHANG.metricName())).isZero();
  }

  @Test
  void theSqlTabShowsTheCustomMetrics() {
    Dataset<Row> df = SparkReads.load(Map.of(), file).select("name");
    df.collectAsList();
    Map<String, String> shown = ScanMetrics.sqlTab(df);
    // One task: the plain total, formatted by the metric's own class.
    assertThat(shown.get(ReadMetric.RECORDS.metricName()))
        .isEqualTo(String.format(Locale.ROOT, "%,d", truth.size()));
    assertThat(shown.get(ReadMetric.BASES.metricName()))
        .isEqualTo(String.format(Locale.ROOT, "%,d", bases));
    assertThat(shown.get(ReadMetric.MALFORMED_RECORDS.metricName())).isEqualTo("0");
    assertThat(shown.get(ReadMetric.BYTES_PARSED.metricName())).endsWith("KiB");
    assertThat(shown.get(ReadMetric.PARSE_NANOS.metricName())).matches("[0-9.]+ (µs|ms|s)");

    // Several tasks: total (min, med, max); the longest record is a maximum.
    Dataset<Row> split = SparkReads.load(Map.of("maxPartitionBytes", "65536"), file).select("name");
    split.collectAsList();
    Map<String, String> shownSplit = ScanMetrics.sqlTab(split);
    assertThat(shownSplit.get(ReadMetric.RECORDS.metricName()))
        .startsWith(String.format(Locale.ROOT, "%,d (min ", truth.size()));
    assertThat(shownSplit.get(ReadMetric.MAX_RECORD_BYTES.metricName()))
        .isEqualTo(shown.get(ReadMetric.MAX_RECORD_BYTES.metricName()))
        .doesNotContain("min");
  }

  @Test
  void malformedAndDroppedRecordsAreCounted() throws Exception {
    String good = "@r1\nACGT\n+\nIIII\n";
    String bad1 = "@bad1\nACGT\n+\nIII\n";
    String bad2 = "@bad2\nAC\nGT\n+\nIIII\n";
    Path malformed =
        SparkReads.write(dir.resolve("malformed.fastq"), good + bad1 + good + bad2 + good);
    Dataset<Row> df = SparkReads.load(Map.of("mode", "DROPMALFORMED"), malformed);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> df.collectAsList());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(3);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BASES)).isEqualTo(12);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MALFORMED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.DROPPED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.sql(df, ReadMetric.MALFORMED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.sql(df, ReadMetric.DROPPED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.sql(df, ReadMetric.RECORDS)).isEqualTo(3);

    // PERMISSIVE counts them as malformed but drops none.
    Dataset<Row> permissive = SparkReads.load(Map.of("mode", "PERMISSIVE"), malformed);
    Map<String, Long> acc2 = ScanMetrics.accumulatorsDuring(() -> permissive.collectAsList());
    assertThat(ScanMetrics.accumulator(acc2, ReadMetric.MALFORMED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.accumulator(acc2, ReadMetric.DROPPED_RECORDS)).isZero();
    assertThat(ScanMetrics.sql(permissive, ReadMetric.MALFORMED_RECORDS)).isEqualTo(2);
    assertThat(ScanMetrics.sql(permissive, "numOutputRows")).isEqualTo(5);
  }

  @Test
  void aSecondActionOnTheSameDatasetAddsToTheAccumulatorsAgain() {
    // DESIGN section 9 and the README: accumulators are cumulative, SQL metrics are per query.
    Dataset<Row> df = SparkReads.load(Map.of(), file).select("sequence");
    Map<String, Long> first = ScanMetrics.accumulatorsDuring(() -> df.collectAsList());
    Map<String, Long> second = ScanMetrics.accumulatorsDuring(() -> df.collectAsList());
    assertThat(ScanMetrics.accumulator(first, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.accumulator(second, ReadMetric.RECORDS)).isEqualTo(2L * truth.size());
    // A new Dataset plans a new scan with its own accumulators.
    Dataset<Row> again = SparkReads.load(Map.of(), file).select("sequence");
    Map<String, Long> fresh = ScanMetrics.accumulatorsDuring(() -> again.collectAsList());
    assertThat(ScanMetrics.accumulator(fresh, ReadMetric.RECORDS)).isEqualTo(truth.size());
  }
}
