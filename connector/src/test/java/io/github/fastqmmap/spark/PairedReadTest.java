/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.OtherSchemeFileSystem;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.PairedFastq.Pair;
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
 * Paired reads through Spark: R1/R2 files and interleaved files give, at every split size down to
 * one page, exactly the pairs of an independent pairing of the reference parser's output (each file
 * parsed alone, zipped by position), though R2's reads are longer than R1's, so equal byte ranges
 * hold different record counts; with no exchange in the plan; and every check fails with its
 * message.
 */
class PairedReadTest {
  private static final String[] PAIR_COLUMNS = {
    "name", "comment1", "sequence1", "quality1", "comment2", "sequence2", "quality2", "_ordinal"
  };

  @TempDir static Path dir;

  private static PairedFastq data;
  private static List<Pair> truth;
  private static Path r1;
  private static Path r2;
  private static Path interleaved;

  /** Three pairs under three naming rules and in gzip, BGZF, bzip2 and plain. */
  private static Path mixed;

  private static final Map<String, List<Pair>> MIXED_TRUTH = new HashMap<>();

  @BeforeAll
  static void writeFiles() throws IOException {
    data = PairedFastq.generate(2000, 1);
    truth = data.pairs();
    Path plain = Files.createDirectories(dir.resolve("plain"));
    r1 = Files.write(plain.resolve("S1_R1_001.fastq"), data.r1Bytes());
    r2 = Files.write(plain.resolve("S1_R2_001.fastq"), data.r2Bytes());
    interleaved =
        Files.write(
            Files.createDirectories(dir.resolve("interleaved")).resolve("S1.fastq"),
            data.interleavedBytes());

    mixed = Files.createDirectories(dir.resolve("mixed"));
    PairedFastq a = PairedFastq.generate(900, 2);
    mix("A_1.fq.gz", CompressedReadTest.gzip(a.r1Bytes()), "A_2.fq.gz", bgzf(a.r2Bytes(), 3), a);
    PairedFastq b = PairedFastq.generate(700, 4);
    mix("B.1.fastq", bgzf(b.r1Bytes(), 5), "B.2.fastq", b.r2Bytes(), b);
    PairedFastq c = PairedFastq.generate(500, 6);
    mix(
        "C_R1.fastq.bz2",
        CompressedReadTest.bzip2(c.r1Bytes()),
        "C_R2.fastq.bz2",
        CompressedReadTest.bzip2(c.r2Bytes()),
        c);
    PairedFastq d = PairedFastq.generate(400, 7);
    mix("D_R1.fastq", d.r1Bytes(), "D_R2.fastq", bgzf(d.r2Bytes(), 8), d);
  }

  private static byte[] bgzf(byte[] bytes, long seed) throws IOException {
    return BgzfTestFiles.randomBlocks(bytes, 5000, 0.05, seed);
  }

  private static void mix(String n1, byte[] b1, String n2, byte[] b2, PairedFastq p)
      throws IOException {
    Path f1 = Files.write(mixed.resolve(n1), b1);
    Files.write(mixed.resolve(n2), b2);
    MIXED_TRUTH.put(SparkReads.fileUri(f1), p.pairs());
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("one page", Map.of("maxPartitionBytes", "4096")),
        Arguments.of(
            "one page, packed", Map.of("maxPartitionBytes", "4096", "openCostInBytes", "0")),
        Arguments.of("5000 (one page)", Map.of("maxPartitionBytes", "5000")),
        Arguments.of("three pages", Map.of("maxPartitionBytes", "12288")),
        Arguments.of(
            "64 KiB, 8 KiB windows", Map.of("maxPartitionBytes", "65536", "windowBytes", "8192")),
        Arguments.of("default", Map.of()));
  }

  private static Map<String, String> with(Map<String, String> options, String... more) {
    Map<String, String> all = new HashMap<>(options);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return all;
  }

  /** The pairs of a DataFrame, ordered by {@code _ordinal}, which must run 0, 1, 2, ... */
  private static List<Pair> pairs(Dataset<Row> df) {
    List<Row> rows = new ArrayList<>(df.selectExpr(PAIR_COLUMNS).collectAsList());
    rows.sort((x, y) -> Long.compare(x.getLong(7), y.getLong(7)));
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertThat(r.getLong(7)).as("_ordinal of pair %d", i).isEqualTo(i);
      out.add(pair(r));
    }
    return out;
  }

  /** A row's first seven columns, the pair's own strings, as a {@link Pair}. */
  private static Pair pair(Row r) {
    return new Pair(
        r.getString(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6));
  }

  private static void assertSamePairs(List<Pair> actual, List<Pair> expected, String what) {
    assertThat(actual).as("%s: pairs", what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("%s: pair %d", what, i).isEqualTo(expected.get(i));
    }
  }

  @ParameterizedTest(name = "R1 and R2, {0}")
  @MethodSource("splits")
  void twoFilesGiveTheReferencePairsAtEverySplit(String label, Map<String, String> options) {
    Dataset<Row> df = SparkReads.load(with(options, "paired", "true"), r1, r2);
    assertSamePairs(pairs(df), truth, label);
  }

  @ParameterizedTest(name = "aligned by names, {0}")
  @MethodSource("splits")
  void twoFilesAlignedByNamesGiveTheReferencePairsInOrderAtEverySplit(
      String label, Map<String, String> options) {
    String[] own = Arrays.copyOf(PAIR_COLUMNS, 7);
    Dataset<Row> byNames = SparkReads.load(with(options, "paired", "true"), r1, r2).selectExpr(own);
    assertSamePairs(pairsInScanOrder(byNames), truth, label + ", aligned by names");
    String plan = byNames.queryExecution().executedPlan().toString();
    assertThat(plan)
        .contains("pairs aligned by mates' names: 1 pair of files, ")
        .doesNotContain("counting pass")
        .doesNotContain("Exchange");
    assertThat(ScanMetrics.sql(byNames, CountingPassMetric.PAIRS_ALIGNED_BY_NAMES)).isEqualTo(1);
    assertThat(ScanMetrics.sql(byNames, CountingPassMetric.RANGES)).isZero();
    assertThat(ScanMetrics.sql(byNames, "records")).isEqualTo(2L * truth.size());
    Dataset<Row> counted =
        SparkReads.load(with(options, "paired", "true", "pairAlignment", "count"), r1, r2)
            .selectExpr(own);
    assertSamePairs(pairsInScanOrder(counted), truth, label + ", counted");
    assertThat(counted.queryExecution().executedPlan().toString())
        .contains("counting pass (ordinals, pairs): " + (2 * truth.size()) + " records")
        .doesNotContain("aligned by");
    assertThat(ScanMetrics.sql(counted, CountingPassMetric.PAIRS_ALIGNED_BY_NAMES)).isZero();
  }

  @Test
  void pairsOnAnotherFileSystemAreAlignedByNamesThroughItsStreams() {
    String scheme = OtherSchemeFileSystem.SCHEME + "://";
    Dataset<Row> df =
        SparkReads.reader(
                Map.of(
                    "paired",
                    "true",
                    "maxPartitionBytes",
                    "4096",
                    "fs.otherfs.impl",
                    OtherSchemeFileSystem.class.getName()))
            .load(scheme + r1.toAbsolutePath(), scheme + r2.toAbsolutePath())
            .selectExpr(Arrays.copyOf(PAIR_COLUMNS, 7));
    assertSamePairs(pairsInScanOrder(df), truth, "otherfs");
    assertThat(df.queryExecution().executedPlan().toString())
        .contains("pairs aligned by mates' names: 1 pair of files, ")
        .doesNotContain("counting pass");
  }

  @Test
  void ordinalsOrUncheckedNamesArePairedByCounting() {
    for (Map<String, String> options :
        List.of(
            Map.of("paired", "true", "maxPartitionBytes", "8192", "checkPairNames", "false"),
            Map.of("paired", "true", "maxPartitionBytes", "8192", "ignoreCorruptFiles", "true"))) {
      Dataset<Row> df = SparkReads.load(options, r1, r2).selectExpr("name", "sequence2");
      assertThat(df.collectAsList()).as("%s", options).hasSize(truth.size());
      assertThat(df.queryExecution().executedPlan().toString())
          .as("%s", options)
          .contains("counting pass (ordinals, pairs)")
          .doesNotContain("aligned by");
    }
    Dataset<Row> ordinals =
        SparkReads.load(Map.of("paired", "true", "maxPartitionBytes", "8192"), r1, r2)
            .selectExpr("name", "_ordinal");
    assertThat(ordinals.queryExecution().executedPlan().toString())
        .contains("counting pass (ordinals, pairs)")
        .doesNotContain("aligned by");
    assertThatThrownBy(
            () -> SparkReads.load(Map.of("paired", "true", "pairAlignment", "names"), r1, r2))
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "'names' for fastq-mmap option 'pairAlignment': expected one of auto, count"));
  }

  @ParameterizedTest(name = "interleaved, {0}")
  @MethodSource("splits")
  void interleavedFileGivesTheReferencePairsAtEverySplit(
      String label, Map<String, String> options) {
    Dataset<Row> df = SparkReads.load(with(options, "interleaved", "true"), interleaved);
    assertSamePairs(pairs(df), truth, label);
  }

  static Stream<Arguments> batchSplits() {
    return Stream.of(
        Arguments.of(
            "one page, copied windows of one page",
            Map.of("maxPartitionBytes", "4096", "windowRead", "copy", "windowBytes", "4096")),
        Arguments.of(
            "64 KiB, copied windows of 8 KiB",
            Map.of("maxPartitionBytes", "65536", "windowRead", "copy", "windowBytes", "8192")),
        Arguments.of("three pages, mapped windows", Map.of("maxPartitionBytes", "12288")));
  }

  /** The pairs of a DataFrame of the pair's own columns, in the order the scan gives them. */
  private static List<Pair> pairsInScanOrder(Dataset<Row> df) {
    List<Pair> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(pair(r));
    }
    return out;
  }

  @ParameterizedTest(name = "column batches, {0}")
  @MethodSource("batchSplits")
  void columnBatchesOfThePairsOwnColumnsGiveTheReferencePairs(
      String label, Map<String, String> options) {
    String[] own = Arrays.copyOf(PAIR_COLUMNS, 7);
    for (String layout : new String[] {"paired", "interleaved"}) {
      Path[] files = layout.equals("paired") ? new Path[] {r1, r2} : new Path[] {interleaved};
      Dataset<Row> batches = SparkReads.load(with(options, layout, "true"), files).selectExpr(own);
      Dataset<Row> rows =
          SparkReads.load(with(options, layout, "true", "columnar", "false"), files)
              .selectExpr(own);
      List<Pair> actual = pairsInScanOrder(batches);
      assertThat(batches.queryExecution().executedPlan().toString())
          .as("%s, %s: plan", layout, label)
          .contains("ColumnarToRow")
          .doesNotContain("Exchange");
      assertThat(rows.queryExecution().executedPlan().toString())
          .as("%s, %s: plan with columnar=false", layout, label)
          .doesNotContain("ColumnarToRow");
      assertSamePairs(actual, truth, layout + ", " + label + ", batches");
      assertSamePairs(pairsInScanOrder(rows), truth, layout + ", " + label + ", rows");
      assertThat(ScanMetrics.sql(batches, "valueBytes"))
          .as("%s, %s: valueBytes", layout, label)
          .isEqualTo(ScanMetrics.sql(rows, "valueBytes"));
    }
    // Any other column (here _ordinal) keeps rows.
    Dataset<Row> withOrdinal =
        SparkReads.load(with(options, "paired", "true"), r1, r2).selectExpr(PAIR_COLUMNS);
    assertThat(withOrdinal.queryExecution().executedPlan().toString())
        .doesNotContain("ColumnarToRow");
  }

  static Stream<Arguments> fewerSplits() {
    return Stream.of(
        Arguments.of("one page", Map.of("maxPartitionBytes", "4096")),
        Arguments.of("three pages", Map.of("maxPartitionBytes", "12288", "openCostInBytes", "0")),
        Arguments.of("default", Map.of()));
  }

  @ParameterizedTest(name = "directory of compressed pairs, {0}")
  @MethodSource("fewerSplits")
  void directoryPairsFilesByNameInEveryFormat(String label, Map<String, String> options) {
    Dataset<Row> df = SparkReads.load(with(options, "paired", "true"), mixed);
    List<Row> rows = df.selectExpr("_file").distinct().collectAsList();
    assertThat(rows)
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrderElementsOf(MIXED_TRUTH.keySet());
    for (Map.Entry<String, List<Pair>> e : MIXED_TRUTH.entrySet()) {
      assertSamePairs(
          pairs(df.where(df.col("_file").equalTo(e.getKey()))),
          e.getValue(),
          label + " " + e.getKey());
    }
  }

  @Test
  void theCountingPassCopiesWindowsThatFitUnlessTheReadMapsThem() {
    SparkReads.spark().conf().set(CountCache.CONF, "false");
    try {
      Dataset<Row> auto =
          SparkReads.load(Map.of("paired", "true", "pairAlignment", "count"), r1, r2)
              .selectExpr("name");
      assertThat(auto.collectAsList()).hasSize(truth.size());
      assertThat(ScanMetrics.sql(auto, CountingPassMetric.WINDOWS_COPIED)).isEqualTo(2);
      assertThat(ScanMetrics.sql(auto, CountingPassMetric.WINDOWS_MAPPED)).isZero();
      Dataset<Row> mapped =
          SparkReads.load(
                  Map.of("paired", "true", "windowRead", "map", "pairAlignment", "count"), r1, r2)
              .selectExpr("name");
      assertThat(mapped.collectAsList()).hasSize(truth.size());
      assertThat(ScanMetrics.sql(mapped, CountingPassMetric.WINDOWS_MAPPED)).isEqualTo(2);
      assertThat(ScanMetrics.sql(mapped, CountingPassMetric.WINDOWS_COPIED)).isZero();
      assertThat(ScanMetrics.sql(mapped, CountingPassMetric.RECORDS))
          .isEqualTo(ScanMetrics.sql(auto, CountingPassMetric.RECORDS))
          .isEqualTo(2L * truth.size());
    } finally {
      SparkReads.spark().conf().unset(CountCache.CONF);
    }
  }

  @Test
  void noExchangeAndTheCountingPassShows() {
    Dataset<Row> df =
        SparkReads.load(Map.of("paired", "true", "maxPartitionBytes", "8192"), r1, r2)
            .selectExpr(PAIR_COLUMNS);
    assertThat(df.collectAsList()).hasSize(truth.size());
    String plan = df.queryExecution().executedPlan().toString();
    assertThat(plan).doesNotContain("Exchange");
    assertThat(plan)
        .contains("counting pass (ordinals, pairs): " + (2 * truth.size()) + " records");
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RECORDS)).isEqualTo(2L * truth.size());
    assertThat(ScanMetrics.sql(df, "records")).isEqualTo(2L * truth.size());
    assertThat(SparkReads.load(Map.of("paired", "true"), r1, r2).count()).isEqualTo(truth.size());
    assertThat(SparkReads.load(Map.of("paired", "true"), r1, r2).schema().fieldNames())
        .containsExactly(
            "name", "comment1", "sequence1", "quality1", "comment2", "sequence2", "quality2");
  }

  @Test
  void maxPartitionNumAppliesOnTheCountingPassPath() {
    String key = "spark.sql.files.maxPartitionNum";
    SparkReads.spark().conf().set(key, "3");
    try {
      Dataset<Row> df =
          SparkReads.load(Map.of("paired", "true", "maxPartitionBytes", "4096"), r1, r2);
      assertThat(df.javaRDD().getNumPartitions()).isLessThanOrEqualTo(3);
      assertSamePairs(pairs(df), truth, "maxPartitionNum 3");
      Dataset<Row> ordinals =
          SparkReads.load(Map.of("maxPartitionBytes", "4096"), r1).selectExpr("_ordinal");
      assertThat(ordinals.javaRDD().getNumPartitions()).isLessThanOrEqualTo(3);
      assertThat(ordinals.distinct().count()).isEqualTo(truth.size());
    } finally {
      SparkReads.spark().conf().unset(key);
    }
  }

  /** R2 with pair {@code k}'s quality line one character short: a malformed record. */
  private static Path malformedR2(String name, int k) throws IOException {
    List<String> records = PairedFastq.records(data.r2());
    String rec = records.get(k);
    // "...\n+\nQUAL\n" -> "...\n+\nQUA\n"
    records.set(k, rec.substring(0, rec.length() - 2) + "\n");
    Path dirOf = Files.createDirectories(dir.resolve(name));
    Files.write(dirOf.resolve("R1.fastq"), data.r1Bytes());
    return Files.writeString(
        dirOf.resolve("R2.fastq"), String.join("", records), StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "malformed mate, {0}")
  @MethodSource("fewerSplits")
  void aMalformedMateMakesAMalformedPairAndTheRestStayAligned(
      String label, Map<String, String> options) throws IOException {
    int k = 17;
    Path bad = malformedR2("malformed-" + label.replace(' ', '-'), k);
    Path good = bad.resolveSibling("R1.fastq");
    List<Pair> expected = new ArrayList<>(truth);
    expected.remove(k);

    Dataset<Row> dropped =
        SparkReads.load(with(options, "paired", "true", "mode", "DROPMALFORMED"), good, bad)
            .selectExpr(PAIR_COLUMNS);
    List<Row> rows = new ArrayList<>(dropped.collectAsList());
    rows.sort((x, y) -> Long.compare(x.getLong(7), y.getLong(7)));
    assertThat(rows).hasSize(truth.size() - 1);
    assertThat(rows.get(k).getLong(7)).isEqualTo(k + 1L); // pair k is dropped, not renumbered
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertThat(pair(r)).as("%s: pair %d", label, i).isEqualTo(expected.get(i));
    }
    assertThat(ScanMetrics.sql(dropped, "malformedRecords")).isEqualTo(1);
    assertThat(ScanMetrics.sql(dropped, "droppedRecords")).isEqualTo(1);
    // Without _ordinal: aligned by names where no malformed record lies near a range start.
    Dataset<Row> inOrder =
        SparkReads.load(with(options, "paired", "true", "mode", "DROPMALFORMED"), good, bad)
            .selectExpr(Arrays.copyOf(PAIR_COLUMNS, 7));
    assertSamePairs(pairsInScanOrder(inOrder), expected, label + ", without _ordinal");

    Dataset<Row> permissive =
        SparkReads.load(with(options, "paired", "true", "mode", "PERMISSIVE"), good, bad);
    List<Row> corrupt =
        permissive
            .where("_corrupt_record IS NOT NULL")
            .selectExpr("_ordinal", "_corrupt_record", "sequence2")
            .collectAsList();
    assertThat(corrupt).hasSize(1);
    assertThat(corrupt.get(0).getLong(0)).isEqualTo(k);
    Pair p = truth.get(k);
    assertThat(corrupt.get(0).getString(1))
        .contains(p.sequence1())
        .contains(p.sequence2())
        .contains(p.quality2().substring(0, p.quality2().length() - 1));
    assertThat(corrupt.get(0).isNullAt(2)).isTrue();
    assertThat(permissive.where("_corrupt_record IS NULL").count()).isEqualTo(truth.size() - 1);

    assertThatThrownBy(() -> SparkReads.load(with(options, "paired", "true"), good, bad).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(bad)));
  }

  @Test
  void ignoreCorruptFilesSkipsAPairWithADamagedMate() throws IOException {
    Path d = Files.createDirectories(dir.resolve("corrupt-pair"));
    Path a1 = Files.write(d.resolve("A_R1.fastq"), data.r1Bytes());
    Files.write(d.resolve("A_R2.fastq"), data.r2Bytes());
    Files.write(d.resolve("B_R1.fastq.gz"), CompressedReadTest.gzip(data.r1Bytes()));
    byte[] gz = CompressedReadTest.gzip(data.r2Bytes());
    Path b2 = Files.write(d.resolve("B_R2.fastq.gz"), Arrays.copyOf(gz, gz.length / 2));
    Map<String, String> options = Map.of("paired", "true", "maxPartitionBytes", "8192");
    assertThatThrownBy(() -> SparkReads.load(options, d).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Truncated gzip file " + SparkReads.fileUri(b2)));
    Dataset<Row> df = SparkReads.load(with(options, "ignoreCorruptFiles", "true"), d);
    assertSamePairs(pairs(df), truth, "the good pair");
    assertThat(df.selectExpr("_file").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(SparkReads.fileUri(a1));
  }

  /** R2 with pair {@code k}'s name changed. */
  private static Path renamedR2(String name, int k) throws IOException {
    List<String> records = PairedFastq.records(data.r2());
    String rec = records.get(k);
    records.set(k, "@other" + rec.substring(rec.indexOf(':')));
    Path dirOf = Files.createDirectories(dir.resolve(name));
    Files.write(dirOf.resolve("R1.fastq"), data.r1Bytes());
    return Files.writeString(
        dirOf.resolve("R2.fastq"), String.join("", records), StandardCharsets.ISO_8859_1);
  }

  @Test
  void mismatchedNamesFailFastNamingBothFilesOffsetsAndTheOrdinal() throws IOException {
    Path bad = renamedR2("renamed", 1234);
    Path good = bad.resolveSibling("R1.fastq");
    long offset1 = PairedFastq.parse(data.r1Bytes()).get(1234).offset();
    long offset2 = PairedFastq.parse(Files.readAllBytes(bad)).get(1234).offset();
    assertThatThrownBy(
            () ->
                SparkReads.load(Map.of("paired", "true", "maxPartitionBytes", "4096"), good, bad)
                    .collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Mates' names disagree in pair 1234 (0-based) of files "
                            + SparkReads.fileUri(good)
                            + " and "
                            + SparkReads.fileUri(bad)
                            + ": the record at byte offset "
                            + offset1
                            + " of "
                            + SparkReads.fileUri(good))
                    .contains(
                        "the record at byte offset " + offset2 + " of " + SparkReads.fileUri(bad))
                    .contains("set checkPairNames=false"));
  }

  @Test
  void mismatchedNamesUnderTheOtherModesAndWithTheCheckOff() throws IOException {
    Path bad = renamedR2("renamed-modes", 17);
    Path good = bad.resolveSibling("R1.fastq");
    Dataset<Row> dropped =
        SparkReads.load(Map.of("paired", "true", "mode", "DROPMALFORMED"), good, bad);
    assertThat(dropped.count()).isEqualTo(truth.size() - 1);
    Dataset<Row> permissive =
        SparkReads.load(Map.of("paired", "true", "mode", "PERMISSIVE"), good, bad);
    List<Row> corrupt =
        permissive
            .where("_corrupt_record IS NOT NULL")
            .selectExpr("_ordinal", "_corrupt_record", "name")
            .collectAsList();
    assertThat(corrupt).hasSize(1);
    assertThat(corrupt.get(0).getLong(0)).isEqualTo(17);
    assertThat(corrupt.get(0).getString(1)).contains("@other:").contains("\n+\n");
    assertThat(corrupt.get(0).isNullAt(2)).isTrue();
    Dataset<Row> unchecked =
        SparkReads.load(Map.of("paired", "true", "checkPairNames", "false"), good, bad);
    assertThat(unchecked.count()).isEqualTo(truth.size());
  }

  @Test
  void differentRecordCountsFailNamingBothCounts() throws IOException {
    Path d = Files.createDirectories(dir.resolve("short"));
    List<String> records = PairedFastq.records(data.r2());
    Path a = Files.write(d.resolve("x_R1.fastq"), data.r1Bytes());
    Path b =
        Files.writeString(
            d.resolve("x_R2.fastq"),
            String.join("", records.subList(0, records.size() - 1)),
            StandardCharsets.ISO_8859_1);
    long lastOfB = Files.size(b) - records.get(1998).length();
    long lastOfA = Files.size(a) - PairedFastq.records(data.r1()).get(1999).length();
    assertThatThrownBy(() -> SparkReads.load(Map.of("paired", "true"), d).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Paired files have different record counts: "
                            + SparkReads.fileUri(a)
                            + " has 2000 records and "
                            + SparkReads.fileUri(b)
                            + " has 1999. The records of "
                            + SparkReads.fileUri(a)
                            + " from record 1999 (0-based) on have no mate; the last record of "
                            + SparkReads.fileUri(a)
                            + " is at byte offset "
                            + lastOfA
                            + " and the last record of "
                            + SparkReads.fileUri(b)
                            + " is at byte offset "
                            + lastOfB
                            + ". "));
  }

  @Test
  void filesWithoutAMateAreListed() throws IOException {
    Path d = Files.createDirectories(dir.resolve("lonely"));
    Files.write(d.resolve("a_R1.fastq"), data.r1Bytes());
    Files.write(d.resolve("a_R2.fastq"), data.r2Bytes());
    Path lone = Files.write(d.resolve("b_R1.fastq"), data.r1Bytes());
    Path other = Files.write(d.resolve("notes.fastq"), data.r1Bytes());
    assertThatThrownBy(() -> SparkReads.load(Map.of("paired", "true"), d))
        .hasMessageContaining(
            "paired=true, but 2 files have no mate: "
                + SparkReads.fileUri(lone)
                + ", "
                + SparkReads.fileUri(other)
                + ". Mates are matched by name, by their last _R1/_R2, _1/_2 or .1/.2");
  }

  @Test
  void pairPatternNamesAnotherRule() throws IOException {
    Path d = Files.createDirectories(dir.resolve("pattern"));
    Files.write(d.resolve("x_read1.fq"), data.r1Bytes());
    Files.write(d.resolve("x_read2.fq"), data.r2Bytes());
    Files.write(d.resolve("y_read1.fq"), data.r1Bytes());
    Files.write(d.resolve("y_read2.fq"), data.r2Bytes());
    Dataset<Row> df =
        SparkReads.load(
            Map.of("paired", "true", "pairPattern", "^(.*)_read(?<mate>[12])\\.fq$"), d);
    assertThat(df.count()).isEqualTo(2L * truth.size());
    assertThatThrownBy(() -> SparkReads.load(Map.of("paired", "true", "pairPattern", "_R[12]"), d))
        .hasMessageContaining(
            "Invalid value '_R[12]' for fastq-mmap option 'pairPattern': expected a Java regex"
                + " with a group named 'mate'");
  }

  @Test
  void interleavedFileWithAnOddCountFailsNamingItsLastRecord() throws IOException {
    List<String> records =
        PairedFastq.records(new String(data.interleavedBytes(), StandardCharsets.ISO_8859_1));
    byte[] bytes = String.join("", records.subList(0, 11)).getBytes(StandardCharsets.ISO_8859_1);
    long last = String.join("", records.subList(0, 10)).length();
    Path oddDir = Files.createDirectories(dir.resolve("odd"));
    Path odd = Files.write(oddDir.resolve("odd.fastq"), bytes);
    byte[] bgzf = BgzfTestFiles.randomBlocks(bytes, 700, 0.2, 5);
    Path oddBgzf = Files.write(oddDir.resolve("odd.fastq.bgz"), bgzf);
    long lastVirtual = BgzfTestFiles.virtualOffset(BgzfTestFiles.layout(bgzf), last);
    assertThat(lastVirtual).isNotEqualTo(last); // the last record is not in the first block
    Map<Path, String> lastRecordAt =
        Map.of(odd, "byte offset " + last, oddBgzf, "BGZF virtual offset " + lastVirtual);
    lastRecordAt.forEach(
        (file, at) ->
            // The counting pass finds it at planning, in the words the Spark-free PairReader uses.
            assertThatThrownBy(
                    () -> SparkReads.load(Map.of("interleaved", "true"), file).collectAsList())
                .satisfies(
                    t ->
                        assertThat(SparkReads.messages(t))
                            .contains(
                                "Interleaved file "
                                    + SparkReads.fileUri(file)
                                    + " has an odd number of records: record 10 (0-based, at "
                                    + at
                                    + ") has no mate. An interleaved file holds R1, R2, R1, R2,"
                                    + " ...; read it without interleaved=true if it holds single"
                                    + " reads.")));
  }

  @Test
  void aPairReadMapsAboutWhatSingleReadsOfBothFilesMap() {
    // Each task's readers of R1 and R2 stop their windows where its records end (the next index
    // entry, plus the overhang), as a single read's stop at its range end: windows of 16 MiB that
    // ran on to the end of each file from every task mapped about 8 times the single reads here.
    Map<String, String> options = Map.of("maxPartitionBytes", "65536", "windowRead", "map");
    Dataset<Row> pairs =
        SparkReads.load(with(options, "paired", "true"), r1, r2).selectExpr(PAIR_COLUMNS);
    assertThat(pairs.collectAsList()).hasSize(truth.size());
    Dataset<Row> single = SparkReads.load(options, r1, r2).selectExpr("name", "sequence");
    assertThat(single.collectAsList()).hasSize(2 * truth.size());
    long bytes = data.r1Bytes().length + data.r2Bytes().length;
    long singleMapped = ScanMetrics.sql(single, "bytesMapped");
    assertThat(singleMapped).isGreaterThanOrEqualTo(bytes);
    assertThat(ScanMetrics.sql(pairs, "bytesMapped")).isBetween(bytes, 3 * singleMapped);
  }

  @Test
  void singleReadsOfTheSameFilesAreUnchanged() {
    List<Read> reads = SparkReads.reads(SparkReads.load(Map.of(), r1));
    assertThat(reads).isEqualTo(PairedFastq.parse(data.r1Bytes()));
  }
}
