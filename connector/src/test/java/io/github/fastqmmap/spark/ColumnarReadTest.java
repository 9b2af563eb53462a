/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.FastqMutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The columnar path ({@code columnar=true}) gives exactly the rows, in the same order, and the same
 * scan metrics as the row path ({@code columnar=false}), for every column set, record mode and
 * split size, on varied files: tricky records, CRLF, long reads of several batches' bytes, many
 * small files packed into one partition, damaged files, Casava headers, partition folders.
 */
class ColumnarReadTest {
  @TempDir static Path dir;

  /** The metrics that count what was read (times, faults and window choices vary by run). */
  private static final List<ReadMetric> COUNTED =
      List.of(
          ReadMetric.RECORDS,
          ReadMetric.BASES,
          ReadMetric.BYTES_READ,
          ReadMetric.BYTES_PARSED,
          ReadMetric.BYTES_SKIPPED,
          ReadMetric.BYTES_OVERHANG,
          ReadMetric.MALFORMED_RECORDS,
          ReadMetric.DROPPED_RECORDS,
          ReadMetric.MAX_RECORD_BYTES,
          ReadMetric.VALUE_BYTES);

  /**
   * Well-formed files in partition folders (lane=1, lane=2), with reads of 1.1 MB (2.2 MB of values
   * each): a batch ends on its bytes, after two of them.
   */
  private static Path clean;

  /**
   * The same files with reads of 40,000 bases instead (20 pages), for one-page splits: thousands of
   * one-page tasks inside megabyte reads took 15 s a case and own nothing, as 64 KiB splits there
   * show.
   */
  private static Path pages;

  /** Damaged files: malformed stretches for PERMISSIVE and DROPMALFORMED. */
  private static Path damaged;

  /** Casava 1.8+ headers, one of them not Casava. */
  private static Path illumina;

  @BeforeAll
  static void writeFiles() throws IOException {
    clean = writeClean(dir.resolve("clean"), 1_100_000);
    pages = writeClean(dir.resolve("pages"), 40_000);

    damaged = Files.createDirectories(dir.resolve("damaged"));
    byte[] valid = FastqFileGenerator.builder(21).allTricky().records(3000).generate().bytes();
    for (int i = 0; i < 4; i++) {
      Files.write(
          damaged.resolve("mutant-" + i + ".fastq"), FastqMutator.mutate(valid, 31 + i, 6).bytes());
    }

    illumina = Files.createDirectories(dir.resolve("illumina"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      if (i % 997 == 5) {
        text.append("@SRR001666.").append(i).append(" not casava\nACGT\n+\nIIII\n");
      } else {
        text.append(
            String.format(
                Locale.ROOT,
                "@EAS139:136:FC706VJ:%d:2104:%d:%d %d:%s:%d:ATCACG\nACGTN\n+\nIIII#\n",
                1 + i % 8,
                i,
                i * 7,
                1 + i % 2,
                i % 5 == 0 ? "Y" : "N",
                i % 3));
      }
    }
    Files.write(illumina.resolve("casava.fastq"), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Well-formed files in partition folders: tricky records, CRLF without a final newline, long
   * reads of {@code longReadBases}, small files and an empty one.
   */
  private static Path writeClean(Path root, int longReadBases) throws IOException {
    Path lane1 = Files.createDirectories(root.resolve("lane=1"));
    Path lane2 = Files.createDirectories(root.resolve("lane=2"));
    Files.write(
        lane1.resolve("tricky.fastq"),
        FastqFileGenerator.builder(11).allTricky().records(5000).generate().bytes());
    Files.write(
        lane1.resolve("crlf.fastq"),
        FastqFileGenerator.builder(12)
            .allTricky()
            .crlf(true)
            .finalNewline(false)
            .records(3000)
            .generate()
            .bytes());
    Files.write(
        lane2.resolve("long.fastq"),
        FastqFileGenerator.builder(13)
            .readLengths(0, 300)
            .zeroLengthFraction(0.05)
            .longReads(0.04, longReadBases)
            .records(100)
            .generate()
            .bytes());
    for (int i = 0; i < 8; i++) {
      Files.write(
          lane2.resolve(String.format(Locale.ROOT, "small-%02d.fastq", i)),
          FastqFileGenerator.builder(100 + i).allTricky().records(10 + 7 * i).generate().bytes());
    }
    Files.write(lane2.resolve("empty.fastq"), new byte[0]);
    return root;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    String[] splits = {"4096", "65536", "1000000", "134217728"};
    for (String split : splits) {
      String wellFormed = split.equals("4096") ? "pages" : "clean";
      // Windows always mapped: where windowRead=auto copies them depends on timing, and so
      // bytesRead.
      Map<String, String> base =
          Map.of("maxPartitionBytes", split, "openCostInBytes", "4096", "windowRead", "map");
      all.add(Arguments.of(wellFormed, base, "name, comment, sequence, quality"));
      if (!split.equals("4096")) {
        // Narrower projections at one-page splits add nothing the others do not test there, and
        // each such case took 14 s (hundreds of ranges, read twice).
        all.add(Arguments.of(wellFormed, base, "quality, name"));
        all.add(Arguments.of(wellFormed, base, "sequence"));
      }
      all.add(
          Arguments.of(
              wellFormed,
              base,
              "lane, _file, _offset, name, _metadata.file_name, _metadata.file_block_start,"
                  + " _metadata.file_modification_time, input_file_name() AS f, comment"));
      all.add(Arguments.of(wellFormed, base, "_ordinal, _offset, sequence, lane"));
      all.add(Arguments.of("damaged", with(base, "mode", "PERMISSIVE"), "*, _offset, _ordinal"));
      all.add(Arguments.of("damaged", with(base, "mode", "PERMISSIVE"), "name, sequence"));
      all.add(
          Arguments.of("damaged", with(base, "mode", "DROPMALFORMED"), "*, _offset, _metadata"));
      all.add(
          Arguments.of(
              "illumina",
              with(with(base, "illuminaHeaders", "true"), "mode", "PERMISSIVE"),
              "*, _offset"));
      all.add(
          Arguments.of(
              "illumina",
              with(
                  with(with(base, "filterFailedQc", "true"), "illuminaHeaders", "true"),
                  "mode",
                  "DROPMALFORMED"),
              "tile, name, index, filtered, flowcell"));
    }
    // Copied windows: values point into them (held until the next batch); windows of one page make
    // a batch span many windows, whose buffers must not be reused before Spark has read it.
    for (String[] splitAndWindow : new String[][] {{"65536", "4096"}, {"134217728", "1m"}}) {
      Map<String, String> copied =
          Map.of(
              "maxPartitionBytes",
              splitAndWindow[0],
              "openCostInBytes",
              "4096",
              "windowRead",
              "copy",
              "windowBytes",
              splitAndWindow[1]);
      all.add(Arguments.of("clean", copied, "name, comment, sequence, quality"));
      all.add(Arguments.of("clean", copied, "sequence, _offset, name"));
      all.add(Arguments.of("damaged", with(copied, "mode", "PERMISSIVE"), "*, _ordinal"));
      all.add(
          Arguments.of(
              "illumina",
              with(with(copied, "illuminaHeaders", "true"), "mode", "PERMISSIVE"),
              "*, _offset"));
    }
    return all.stream();
  }

  private static Map<String, String> with(Map<String, String> options, String key, String value) {
    Map<String, String> out = new HashMap<>(options);
    out.put(key, value);
    return out;
  }

  private static Path files(String which) {
    switch (which) {
      case "clean":
        return clean;
      case "pages":
        return pages;
      case "damaged":
        return damaged;
      default:
        return illumina;
    }
  }

  private static Dataset<Row> read(
      String files, Map<String, String> options, String columnar, String select) {
    Map<String, String> o = with(options, "columnar", columnar);
    return SparkReads.load(o, files(files)).selectExpr(select.split(",\\s*(?![^()]*\\))"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1}: {2}")
  @MethodSource("cases")
  void givesTheRowsAndMetricsOfTheRowPath(
      String files, Map<String, String> options, String select) {
    Dataset<Row> rows = read(files, options, "false", select);
    Dataset<Row> batches = read(files, options, "true", select);
    List<Row> expected = rows.collectAsList();
    List<Row> actual = batches.collectAsList();

    assertThat(plan(batches)).as("columnar plan").contains("ColumnarToRow");
    assertThat(plan(rows)).as("row plan").doesNotContain("ColumnarToRow");
    assertThat(actual).as("rows of the columnar path").hasSize(expected.size());
    assertThat(actual).as("rows of the columnar path, in order").isEqualTo(expected);
    Map<String, Long> rowMetrics = ScanMetrics.sql(rows);
    Map<String, Long> batchMetrics = ScanMetrics.sql(batches);
    for (ReadMetric m : COUNTED) {
      assertThat(batchMetrics.get(m.metricName()))
          .as("SQL metric %s", m.metricName())
          .isEqualTo(rowMetrics.get(m.metricName()));
    }
    assertThat(batchMetrics.get("numOutputRows"))
        .as("Spark's numOutputRows")
        .isEqualTo(rowMetrics.get("numOutputRows"));
  }

  private static String plan(Dataset<Row> df) {
    return df.queryExecution().executedPlan().toString();
  }

  @Test
  void accumulatorsAreTheRowPaths() {
    Map<String, String> options =
        Map.of("maxPartitionBytes", "65536", "mode", "PERMISSIVE", "windowRead", "map");
    Map<String, Long> rows =
        ScanMetrics.accumulatorsDuring(
            () -> read("damaged", options, "false", "*, _offset").collectAsList());
    Map<String, Long> batches =
        ScanMetrics.accumulatorsDuring(
            () -> read("damaged", options, "true", "*, _offset").collectAsList());
    for (ReadMetric m : COUNTED) {
      assertThat(ScanMetrics.accumulator(batches, m))
          .as("accumulator %s", m.accumulatorName())
          .isEqualTo(ScanMetrics.accumulator(rows, m));
    }
  }

  @Test
  void failfastFailsAsTheRowPathDoes() {
    Path mutant = damaged.resolve("mutant-0.fastq");
    String rowError =
        SparkReads.messages(
            catchThrowable(
                () ->
                    SparkReads.load(Map.of("mode", "FAILFAST", "columnar", "false"), mutant)
                        .collectAsList()));
    assertThat(rowError).contains("Malformed FASTQ record in");
    assertThatThrownBy(
            () ->
                SparkReads.load(Map.of("mode", "FAILFAST", "columnar", "true"), mutant)
                    .collectAsList())
        .satisfies(e -> assertThat(SparkReads.messages(e)).contains(firstLine(rowError)));
  }

  private static String firstLine(String messages) {
    int i = messages.indexOf("Malformed FASTQ record");
    String from = i < 0 ? messages : messages.substring(i);
    int end = from.indexOf('\n');
    return end < 0 ? from : from.substring(0, end);
  }

  @Test
  void autoReadsBatchesFalseRowsAndCountIsTheSame() {
    Dataset<Row> auto = SparkReads.load(Map.of(), clean).select("name");
    assertThat(plan(auto)).contains("ColumnarToRow");
    Dataset<Row> off = SparkReads.load(Map.of("columnar", "false"), clean).select("name");
    assertThat(plan(off)).doesNotContain("ColumnarToRow");
    assertThat(SparkReads.load(Map.of("columnar", "true"), clean).count())
        .isEqualTo(SparkReads.load(Map.of("columnar", "false"), clean).count());
  }

  @Test
  void aBadValueIsRefusedNamingTheChoices() {
    assertThatThrownBy(
            () -> SparkReads.load(Map.of("columnar", "sometimes"), clean).collectAsList())
        .satisfies(
            e ->
                assertThat(SparkReads.messages(e))
                    .contains("columnar")
                    .contains("sometimes")
                    .contains("auto, true, false"));
  }
}
