/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The {@code _ordinal} metadata column: every record's 0-based position in its file, exact at every
 * split size down to one page, for plain, wrapped, gzip, BGZF and bzip2 files, against a sequential
 * reference parse; shown in EXPLAIN and in the counting pass's metrics.
 */
class OrdinalTest {
  @TempDir static Path dir;

  private static Path plain;
  private static Path wrapped;
  private static Path compressed;
  private static final Map<String, List<Read>> TRUTH = new TreeMap<>();

  @BeforeAll
  static void writeFiles() throws IOException {
    plain = Files.createDirectories(dir.resolve("plain"));
    wrapped = Files.createDirectories(dir.resolve("wrapped"));
    compressed = Files.createDirectories(dir.resolve("compressed"));
    add(plain, "phase.fastq", BoundarySweepTest.phaseFile("\n", false), false);
    add(
        plain,
        "tricky-crlf.fastq",
        FastqFileGenerator.builder(21).allTricky().crlf(true).records(3000).generate().bytes(),
        false);
    add(
        plain,
        "long.fastq",
        FastqFileGenerator.builder(22)
            .readLengths(0, 300)
            .longReads(0.03, 20_000)
            .records(300)
            .generate()
            .bytes(),
        false);
    add(plain, "small.fastq", FastqFileGenerator.builder(23).records(7).generate().bytes(), false);
    add(
        wrapped,
        "wrapped.fastq",
        FastqFileGenerator.builder(24).allTricky().wrapWidth(9).records(3000).generate().bytes(),
        true);
    byte[] data = FastqFileGenerator.builder(25).allTricky().records(4000).generate().bytes();
    List<Read> reads = parse(data, false);
    put(compressed, "reads.fastq.gz", CompressedReadTest.gzip(data), reads);
    put(compressed, "reads.fastq.bz2", CompressedReadTest.bzip2(data), reads);
    put(compressed, "reads.fastq.bgz", BgzfTestFiles.randomBlocks(data, 3000, 0.1, 26), reads);
  }

  private static void add(Path in, String name, byte[] bytes, boolean multiLine)
      throws IOException {
    put(in, name, bytes, parse(bytes, multiLine));
  }

  private static void put(Path in, String name, byte[] bytes, List<Read> reads) throws IOException {
    Path file = in.resolve(name);
    Files.write(file, bytes);
    TRUTH.put(SparkReads.fileUri(file), reads);
  }

  private static List<Read> parse(byte[] bytes, boolean multiLine) {
    ReferenceFastqParser.Result r =
        new ReferenceFastqParser(
                multiLine, true, QualityEncoding.PHRED33, ParseOptions.DEFAULT_MAX_RECORD_BYTES)
            .parse(bytes);
    assertThat(r.malformed()).isEmpty();
    return r.reads();
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("one page", Map.of("maxPartitionBytes", "4096")),
        Arguments.of(
            "one page, packed", Map.of("maxPartitionBytes", "4096", "openCostInBytes", "0")),
        Arguments.of("three pages", Map.of("maxPartitionBytes", "12288")),
        Arguments.of("64 KiB", Map.of("maxPartitionBytes", "65536", "windowBytes", "8192")),
        Arguments.of("default", Map.of()));
  }

  @ParameterizedTest(name = "plain, {0}")
  @MethodSource("splits")
  void plainFilesNumberEveryRecordInFileOrder(String label, Map<String, String> options) {
    check(SparkReads.load(options, plain), plain);
  }

  @ParameterizedTest(name = "compressed, {0}")
  @MethodSource("splits")
  void compressedFilesNumberEveryRecordInFileOrder(String label, Map<String, String> options) {
    check(SparkReads.load(options, compressed), compressed);
  }

  @Test
  void wrappedFilesAtOnePage() {
    check(
        SparkReads.load(Map.of("maxPartitionBytes", "4096", "multiLine", "true"), wrapped),
        wrapped);
  }

  private static void check(Dataset<Row> df, Path in) {
    Map<String, List<Row>> byFile = new HashMap<>();
    for (Row r :
        df.selectExpr("_file", "_ordinal", "_offset", "name", "sequence", "quality")
            .collectAsList()) {
      byFile.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    int files = 0;
    for (Map.Entry<String, List<Read>> e : TRUTH.entrySet()) {
      if (!e.getKey().startsWith(SparkReads.fileUri(in))) {
        continue;
      }
      files++;
      List<Row> rows = new ArrayList<>(byFile.getOrDefault(e.getKey(), List.of()));
      rows.sort((a, b) -> Long.compare(a.getLong(1), b.getLong(1)));
      List<Read> expected = e.getValue();
      assertThat(rows).as("rows of %s", e.getKey()).hasSize(expected.size());
      boolean bgzf = e.getKey().endsWith(".bgz");
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Read x = expected.get(i);
        assertThat(r.getLong(1)).as("ordinal %d of %s", i, e.getKey()).isEqualTo(i);
        assertThat(r.getString(3)).as("name of %d in %s", i, e.getKey()).isEqualTo(x.name());
        assertThat(r.getString(4)).isEqualTo(x.sequence());
        assertThat(r.getString(5)).isEqualTo(x.quality());
        if (!bgzf) {
          assertThat(r.getLong(2)).isEqualTo(x.offset());
        }
      }
    }
    assertThat(byFile).hasSize(files);
  }

  @Test
  void explainAndMetricsShowTheCountingPass() {
    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "4096"), plain).selectExpr("name", "_ordinal");
    long rows = df.collectAsList().size();
    long total =
        TRUTH.entrySet().stream()
            .filter(e -> e.getKey().startsWith(SparkReads.fileUri(plain)))
            .mapToLong(e -> e.getValue().size())
            .sum();
    assertThat(rows).isEqualTo(total);
    String plan = df.queryExecution().executedPlan().toString();
    assertThat(plan).contains("counting pass (ordinals): " + total + " records in ");
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RECORDS)).isEqualTo(total);
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RANGES)).isGreaterThan(10);

    // Without _ordinal, no counting pass.
    Dataset<Row> plainScan =
        SparkReads.load(Map.of("maxPartitionBytes", "4096"), plain).selectExpr("name");
    plainScan.collectAsList();
    assertThat(plainScan.queryExecution().executedPlan().toString()).doesNotContain("counting");
    assertThat(ScanMetrics.sql(plainScan).getOrDefault(CountingPassMetric.RANGES, 0L)).isZero();
  }

  @Test
  void ordinalsOfDroppedAndPermissiveRowsCountWellFormedRecordsOnly() throws IOException {
    Path file =
        SparkReads.write(
            dir.resolve("bad/bad.fastq"),
            "@a\nAC\n+\nII\n@b\nACG\n+\nII\n@c\nA\n+\nI\n@d\nAA\n+\nII\n");
    Dataset<Row> dropped = SparkReads.load(Map.of("mode", "DROPMALFORMED"), file);
    assertThat(dropped.selectExpr("name", "_ordinal").collectAsList())
        .extracting(Object::toString)
        .containsExactly("[a,0]", "[c,1]", "[d,2]");
    Dataset<Row> kept = SparkReads.load(Map.of("mode", "PERMISSIVE"), file);
    assertThat(kept.selectExpr("name", "_ordinal", "_corrupt_record IS NOT NULL").collectAsList())
        .extracting(Object::toString)
        .containsExactly("[a,0,false]", "[null,1,true]", "[c,1,false]", "[d,2,false]");
  }

  @Test
  void ignoreCorruptFilesGivesTheRecordsReadTheirOrdinals() throws IOException {
    byte[] data = FastqFileGenerator.builder(31).records(3000).generate().bytes();
    byte[] gz = CompressedReadTest.gzip(data);
    Path d = Files.createDirectories(dir.resolve("corrupt"));
    Path truncated = Files.write(d.resolve("cut.fastq.gz"), Arrays.copyOf(gz, gz.length / 2));
    // A plain file with a malformed record in FAILFAST mode: the range holding it ends there.
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\n+", text.length() / 3);
    Path damaged =
        Files.writeString(
            d.resolve("damaged.fastq"),
            text.substring(0, at) + "\nXX" + text.substring(at),
            StandardCharsets.ISO_8859_1);
    for (Path file : List.of(truncated, damaged)) {
      Map<String, String> options = Map.of("maxPartitionBytes", "65536");
      assertThatThrownBy(
              () -> SparkReads.load(options, file).selectExpr("_ordinal").collectAsList())
          .as(file.toString())
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains(SparkReads.fileUri(file))
                      .containsAnyOf("Truncated gzip file", "Malformed FASTQ record"));
      Map<String, String> ignoring =
          Map.of("maxPartitionBytes", "65536", "ignoreCorruptFiles", "true");
      List<Row> plainRows =
          SparkReads.load(ignoring, file).selectExpr("_offset", "sequence").collectAsList();
      List<Row> rows =
          SparkReads.load(ignoring, file)
              .selectExpr("_offset", "sequence", "_ordinal")
              .collectAsList();
      assertThat(rows).as(file.toString()).hasSameSizeAs(plainRows);
      assertThat(rows.size()).isBetween(1, 2999);
      List<Row> sorted = new ArrayList<>(rows);
      sorted.sort((x, y) -> Long.compare(x.getLong(0), y.getLong(0)));
      for (int i = 0; i < sorted.size(); i++) {
        assertThat(sorted.get(i).getLong(2)).as("%s: ordinal of row %d", file, i).isEqualTo(i);
      }
    }
  }
}
