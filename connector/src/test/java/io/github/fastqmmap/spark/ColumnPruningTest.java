/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the columns a query needs are materialised: {@code valueBytes}, the bytes copied into row
 * strings, is 0 for {@code count()} and exactly the selected fields' bytes otherwise. Structure is
 * still checked when nothing is selected. Metadata columns appear only when selected.
 */
class ColumnPruningTest {
  @TempDir static Path dir;
  private static Path file;
  private static List<Read> truth;

  @BeforeAll
  static void writeFile() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(21)
            .allTricky()
            .readLengths(0, 200)
            .commentFraction(0.6)
            .records(2000)
            .generate();
    file = g.writeTo(dir.resolve("reads.fastq"));
    truth = g.reads();
  }

  private static Dataset<Row> load() {
    // Several partitions, so that pruning holds in every reader.
    return SparkReads.load(Map.of("maxPartitionBytes", "16384"), file);
  }

  private static long bytes(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void countBuildsNoStrings() {
    Dataset<Row> counted = load().agg(count(lit(1)));
    assertThat(counted.collectAsList().get(0).getLong(0)).isEqualTo(truth.size());
    assertThat(ScanMetrics.sql(counted, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.sql(counted, ReadMetric.VALUE_BYTES)).isZero();
    // count() is answered inside the scan: every record parsed and checked, no row per record.
    assertThat(counted.queryExecution().executedPlan().toString())
        .contains("pushed aggregation: COUNT(*)");
    assertThat(load().count()).isEqualTo(truth.size());
  }

  @Test
  void aScanWithoutColumnsBuildsNoStringsEither() {
    // A limit keeps COUNT(*) above the scan, so the scan reads rows without columns.
    Dataset<Row> counted = load().limit(Integer.MAX_VALUE).agg(count(lit(1)));
    assertThat(counted.collectAsList().get(0).getLong(0)).isEqualTo(truth.size());
    assertThat(counted.queryExecution().executedPlan().toString()).contains("columns=[]");
    assertThat(ScanMetrics.sql(counted, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.sql(counted, ReadMetric.VALUE_BYTES)).isZero();
  }

  @Test
  void rowsOfEqualRecordsAreEqualRows() throws Exception {
    // UnsafeRows compare and hash their bytes, padding included: equal records, equal rows.
    String record = "@dup some comment\nACGTACGTA\n+\nIIIIIIIII\n";
    String other = "@other\nAC\n+\nII\n";
    Path dups = SparkReads.write(dir.resolve("dups.fastq"), record + other + record + record);
    Dataset<Row> rows = SparkReads.load(Map.of(), dups);
    assertThat(rows.count()).isEqualTo(4);
    assertThat(rows.distinct().count()).isEqualTo(2);
    assertThat(rows.select("sequence").distinct().count()).isEqualTo(2);
    assertThat(rows.groupBy("name", "comment", "sequence", "quality").count().collectAsList())
        .extracting(r -> r.getString(0) + "=" + r.getLong(4))
        .containsExactlyInAnyOrder("dup=3", "other=1");
  }

  @Test
  void selectingSequenceCopiesOnlyTheBases() {
    Dataset<Row> sequences = load().select("sequence");
    List<Row> rows = sequences.collectAsList();
    long bases = 0;
    List<String> expected = new ArrayList<>();
    for (Read r : truth) {
      bases += bytes(r.sequence());
      expected.add(r.sequence());
    }
    assertThat(rows).extracting(r -> r.getString(0)).containsExactlyElementsOf(expected);
    assertThat(ScanMetrics.sql(sequences, ReadMetric.VALUE_BYTES)).isEqualTo(bases);
    assertThat(ScanMetrics.sql(sequences, ReadMetric.BASES)).isEqualTo(bases);
    assertThat(sequences.queryExecution().executedPlan().toString()).contains("columns=[sequence]");
  }

  @Test
  void selectingNameAndCommentCopiesOnlyThem() {
    Dataset<Row> headers = load().select("name", "comment");
    List<Row> rows = headers.collectAsList();
    long expectedBytes = 0;
    for (int i = 0; i < truth.size(); i++) {
      Read r = truth.get(i);
      expectedBytes += bytes(r.name()) + bytes(r.comment());
      assertThat(rows.get(i).getString(0)).isEqualTo(r.name());
      assertThat(rows.get(i).getString(1)).isEqualTo(r.comment());
    }
    assertThat(ScanMetrics.sql(headers, ReadMetric.VALUE_BYTES)).isEqualTo(expectedBytes);
  }

  @Test
  void selectingEverythingCopiesEveryField() {
    Dataset<Row> all = load();
    all.collectAsList();
    long expectedBytes = 0;
    for (Read r : truth) {
      expectedBytes +=
          bytes(r.name()) + bytes(r.comment()) + bytes(r.sequence()) + bytes(r.quality());
    }
    assertThat(ScanMetrics.sql(all, ReadMetric.VALUE_BYTES)).isEqualTo(expectedBytes);
  }

  @Test
  void metadataColumnsOnlyWhenSelected() {
    Dataset<Row> df = load();
    assertThat(df.columns()).containsExactly("name", "comment", "sequence", "quality");
    assertThat(df.select("*").columns()).containsExactly("name", "comment", "sequence", "quality");

    Dataset<Row> offsets = df.select("_offset");
    List<Row> rows = offsets.collectAsList();
    assertThat(rows)
        .extracting(r -> r.getLong(0))
        .containsExactlyElementsOf(truth.stream().map(Read::offset).toList());
    assertThat(ScanMetrics.sql(offsets, ReadMetric.VALUE_BYTES)).isZero();

    Dataset<Row> files = df.select("_file", "name", "_offset");
    List<Row> fileRows = files.collectAsList();
    assertThat(fileRows).extracting(r -> r.getString(0)).containsOnly(SparkReads.fileUri(file));
    assertThat(fileRows)
        .extracting(r -> r.getString(1))
        .containsExactlyElementsOf(truth.stream().map(Read::name).toList());
    long names = truth.stream().mapToLong(r -> bytes(r.name())).sum();
    assertThat(ScanMetrics.sql(files, ReadMetric.VALUE_BYTES)).isEqualTo(names);

    // Spark does not expose metadata columns through a temporary view (its own file sources'
    // _metadata neither); selecting them into the view's columns makes them reachable in SQL.
    df.select(df.col("*"), df.col("_file"), df.col("_offset"))
        .createOrReplaceTempView("pruning_reads");
    List<Row> sql =
        SparkReads.spark()
            .sql("SELECT _offset, name FROM pruning_reads WHERE _offset = " + truth.get(7).offset())
            .collectAsList();
    assertThat(sql).hasSize(1);
    assertThat(sql.get(0).getString(1)).isEqualTo(truth.get(7).name());
  }

  @Test
  void limitReturnsTheFirstRecords() {
    List<Row> rows = load().select("name", "_offset").limit(5).collectAsList();
    assertThat(rows)
        .extracting(r -> r.getString(0) + "@" + r.getLong(1))
        .containsExactlyElementsOf(
            truth.subList(0, 5).stream().map(r -> r.name() + "@" + r.offset()).toList());
  }

  @Test
  void corruptRecordColumnAloneAndWithMetadata() throws Exception {
    Path bad = SparkReads.write(dir.resolve("corrupt-alone.fastq"), GOOD + BAD + GOOD);
    Dataset<Row> df =
        SparkReads.load(Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "raw"), bad);
    Dataset<Row> corrupt = df.select("raw", "_offset");
    List<Row> rows = corrupt.collectAsList();
    assertThat(rows).hasSize(5);
    assertThat(rows)
        .filteredOn(r -> !r.isNullAt(0))
        .extracting(r -> r.getString(0) + "@" + r.getLong(1))
        .containsExactly("@bad\nACGT\n+\nIII@" + GOOD.length());
    // Only the corrupt text is copied.
    assertThat(ScanMetrics.sql(corrupt, ReadMetric.VALUE_BYTES)).isEqualTo(BAD.length() - 1);
    assertThat(df.filter("raw IS NOT NULL").count()).isEqualTo(1);
    assertThat(df.filter("raw IS NULL").select("name").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("r1", "r2", "r1", "r2");
  }

  // ---- structure is still checked when no column is selected ---------------------------------

  private static final String GOOD = "@r1\nACGT\n+\nIIII\n@r2\nAC\n+\nII\n";
  private static final String BAD = "@bad\nACGT\n+\nIII\n"; // quality one short

  @Test
  void failFastStillFailsOnAMalformedRecordDuringCount() throws Exception {
    Path bad = SparkReads.write(dir.resolve("malformed.fastq"), GOOD + BAD + GOOD);
    long badOffset = GOOD.length();
    assertThatThrownBy(() -> SparkReads.load(Map.of(), bad).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(bad))
                    .contains("at byte offset " + badOffset + ":")
                    .contains("the quality has 3 characters but the sequence has 4"));
    // The other modes count what they return: DROPMALFORMED skips it, PERMISSIVE keeps a row.
    assertThat(SparkReads.load(Map.of("mode", "DROPMALFORMED"), bad).count()).isEqualTo(4);
    assertThat(SparkReads.load(Map.of("mode", "PERMISSIVE"), bad).count()).isEqualTo(5);
  }

  @Test
  void strictValidationStillAppliesDuringCount() throws Exception {
    Path bad = SparkReads.write(dir.resolve("bad-base.fastq"), GOOD + "@b\nAC1T\n+\nIIII\n");
    assertThatThrownBy(() -> SparkReads.load(Map.of(), bad).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("at byte offset " + GOOD.length() + ":")
                    .contains("sequence character '1' (0x31) is not a letter"));
    assertThat(SparkReads.load(Map.of("validation", "basic"), bad).count()).isEqualTo(3);
  }

  @Test
  void failFastDuringCountInALaterPartition() throws Exception {
    StringBuilder text = new StringBuilder();
    while (text.length() < 20_000) {
      text.append(GOOD);
    }
    long badOffset = text.length();
    text.append(BAD).append(GOOD);
    Path bad = SparkReads.write(dir.resolve("late-malformed.fastq"), text.toString());
    assertThatThrownBy(() -> SparkReads.load(Map.of("maxPartitionBytes", "4096"), bad).count())
        .satisfies(
            t -> assertThat(SparkReads.messages(t)).contains("at byte offset " + badOffset + ":"));
  }
}
