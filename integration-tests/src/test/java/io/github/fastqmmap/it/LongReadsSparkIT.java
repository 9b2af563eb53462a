/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.spark.ScanMetrics;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nanopore-like long reads through Spark: lognormal lengths plus reads of 1.1 Mbp (records of 2.2
 * MB, 540 pages), read with one-page partitions and 64 KiB windows. Every row is exact, in file
 * order; {@code maxRecordBytes} at the longest record reads everything, one byte less fails in
 * FAILFAST with a clear message and drops (and counts) exactly that record in DROPMALFORMED.
 */
class LongReadsSparkIT {
  private static Path dir;
  private static Path file;
  private static List<Read> truth;
  private static long longestBytes;
  private static long longestOffset;

  @BeforeAll
  static void generate() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-long-reads-");
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(2025)
            .records(120)
            .readLengths(0, 400_000)
            .lognormalLengths(8_000, 1.2)
            .longReads(0.05, 1_100_000)
            .qualityLinesStartingWith(0.3, 0.3)
            .trickyHeaders(true)
            .plusTitleFraction(0.3)
            .generate();
    file = gen.writeTo(dir.resolve("nanopore.fastq"));
    truth = gen.reads();
    long length = Files.size(file);
    for (int i = 0; i < truth.size(); i++) {
      long end = i + 1 < truth.size() ? truth.get(i + 1).offset() : length;
      if (end - truth.get(i).offset() > longestBytes) {
        longestBytes = end - truth.get(i).offset();
        longestOffset = truth.get(i).offset();
      }
    }
    assertThat(truth.stream().filter(r -> r.sequence().length() >= 1_000_000).count())
        .isGreaterThanOrEqualTo(3);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Test
  void onePagePartitionsGiveEveryBaseExactly() throws IOException {
    long t0 = System.nanoTime();
    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "4096", "windowBytes", "64k"), file);
    assertThat(df.rdd().getNumPartitions()).isEqualTo((int) ((Files.size(file) + 4095) / 4096));
    List<Read> actual = new ArrayList<>();
    Map<String, Long> metrics =
        ScanMetrics.accumulatorsDuring(() -> actual.addAll(SparkReads.reads(df)));
    SparkReads.assertSameReads(actual, truth, "one-page partitions");
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.BASES))
        .isEqualTo(truth.stream().mapToLong(r -> r.sequence().length()).sum());
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.BYTES_PARSED))
        .isEqualTo(Files.size(file));
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.MAX_RECORD_BYTES))
        .isEqualTo(longestBytes);
    System.out.printf(
        Locale.ROOT,
        "LongReadsSparkIT: %d records, %d one-page partitions, longest record %d bytes: %.1f s%n",
        truth.size(),
        df.rdd().getNumPartitions(),
        longestBytes,
        (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void maxRecordBytesIsTheOnlyBound() {
    String exact = Long.toString(longestBytes);
    String less = Long.toString(longestBytes - 1);
    assertThat(SparkReads.load(Map.of("maxRecordBytes", exact), file).count())
        .isEqualTo(truth.size());
    assertThatThrownBy(() -> SparkReads.load(Map.of("maxRecordBytes", less), file).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Malformed FASTQ record in "
                            + SparkReads.fileUri(file)
                            + " at byte offset "
                            + longestOffset
                            + ": the record is longer than maxRecordBytes ("
                            + less
                            + " bytes); raise maxRecordBytes if records this long are expected"));
    Dataset<Row> dropped =
        SparkReads.load(
                Map.of("maxRecordBytes", less, "mode", "DROPMALFORMED", "maxPartitionBytes", "1m"),
                file)
            .select("_offset");
    List<Row> offsets = dropped.collectAsList();
    assertThat(offsets).hasSize(truth.size() - 1);
    assertThat(offsets).extracting(r -> r.getLong(0)).doesNotContain(longestOffset);
    assertThat(ScanMetrics.sql(dropped, "droppedRecords")).isEqualTo(1);
    assertThat(ScanMetrics.sql(dropped, "malformedRecords")).isEqualTo(1);
  }
}
