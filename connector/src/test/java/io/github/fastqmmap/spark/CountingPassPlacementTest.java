/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.WindowRead;
import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.LocalStorage;
import io.github.fastqmmap.testing.OtherSchemeFileSystem;
import io.github.fastqmmap.testing.PairedFastq;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the counting pass runs ({@code spark.fastqmmap.countingPass}): under a local master, by
 * default, in the driver's threads, with no Spark job, when the pass is short; as a Spark job with
 * {@code job} (what a cluster and a long pass get by default). Either way pairs, interleaved pairs
 * and single reads' ordinals are the same and exact at one-page splits, pairs on another file
 * system are counted with the read's Hadoop settings, and a malformed record met while counting
 * fails with the same message.
 */
class CountingPassPlacementTest {
  private static final Map<String, String> ONE_PAGE = Map.of("maxPartitionBytes", "4096");

  @TempDir static Path dir;

  private static PairedFastq data;
  private static Path r1;
  private static Path r2;
  private static Path interleaved;

  /** The descriptions of the jobs started since the last {@link #jobs()}. */
  private static final List<String> DESCRIPTIONS = Collections.synchronizedList(new ArrayList<>());

  private static final SparkListener LISTENER =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          String d =
              start.properties() == null
                  ? null
                  : start.properties().getProperty("spark.job.description");
          DESCRIPTIONS.add(String.valueOf(d));
        }
      };

  @BeforeAll
  static void write() throws IOException {
    data = PairedFastq.generate(1200, 31);
    r1 = Files.write(dir.resolve("P_R1.fastq"), data.r1Bytes());
    r2 = Files.write(dir.resolve("P_R2.fastq"), data.r2Bytes());
    interleaved =
        Files.write(
            Files.createDirectories(dir.resolve("interleaved")).resolve("P.fastq"),
            data.interleavedBytes());
    SparkReads.spark().sparkContext().addSparkListener(LISTENER);
  }

  @AfterAll
  static void removeListener() {
    SparkReads.spark().sparkContext().removeSparkListener(LISTENER);
  }

  @AfterEach
  void unset() {
    SparkReads.spark().conf().unset(OrdinalPlanner.WHERE);
    CountCache.clear();
  }

  /** The descriptions of the jobs started since the last call, once Spark has delivered them. */
  private static List<String> jobs() throws Exception {
    SparkSession spark = SparkReads.spark();
    spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
    synchronized (DESCRIPTIONS) {
      List<String> out = new ArrayList<>(DESCRIPTIONS);
      DESCRIPTIONS.clear();
      return out;
    }
  }

  private static List<String> countingJobs(List<String> jobs) {
    return jobs.stream().filter(d -> d.startsWith(OrdinalPlanner.JOB_DESCRIPTION)).toList();
  }

  /**
   * {@link #ONE_PAGE} and {@code kv}, with pairs always counted ({@code pairAlignment=count}): this
   * class is about the counting pass (PairedReadTest reads pairs aligned by names).
   */
  private static Map<String, String> with(String... kv) {
    Map<String, String> all = new HashMap<>(ONE_PAGE);
    all.put("pairAlignment", "count");
    for (int i = 0; i < kv.length; i += 2) {
      all.put(kv[i], kv[i + 1]);
    }
    return all;
  }

  private static final String[] PAIR_COLUMNS = {
    "_ordinal", "name", "sequence1", "quality1", "sequence2", "quality2"
  };

  /** Asserts that {@code df}'s {@link #PAIR_COLUMNS} are the reference pairing's, by ordinal. */
  private static void assertPairs(Dataset<Row> df, String where) {
    List<PairedFastq.Pair> truth = data.pairs();
    List<Row> rows = df.collectAsList();
    assertThat(rows).as(where).hasSize(truth.size());
    for (Row row : rows) {
      PairedFastq.Pair p = truth.get((int) row.getLong(0));
      assertThat(row.getString(1))
          .as("%s: name of pair %d", where, row.getLong(0))
          .isEqualTo(p.name());
      assertThat(row.getString(2)).isEqualTo(p.sequence1());
      assertThat(row.getString(3)).isEqualTo(p.quality1());
      assertThat(row.getString(4)).isEqualTo(p.sequence2());
      assertThat(row.getString(5)).isEqualTo(p.quality2());
    }
  }

  /** Asserts pairs, interleaved pairs and R2's ordinals against the reference pairing. */
  private static void assertExact(String where) {
    assertPairs(SparkReads.load(with("paired", "true"), r1, r2).selectExpr(PAIR_COLUMNS), where);
    assertPairs(
        SparkReads.load(with("interleaved", "true"), interleaved).selectExpr(PAIR_COLUMNS),
        where + ", interleaved");
    List<PairedFastq.Pair> truth = data.pairs();
    List<Row> ordinals =
        SparkReads.load(ONE_PAGE, r2).selectExpr("_ordinal", "sequence").collectAsList();
    assertThat(ordinals).hasSize(truth.size());
    for (Row row : ordinals) {
      assertThat(row.getString(1))
          .as("%s: R2 record %d", where, row.getLong(0))
          .isEqualTo(truth.get((int) row.getLong(0)).sequence2());
    }
  }

  @Test
  void underALocalMasterTheDriverCountsWithoutAJob() throws Exception {
    assertThat(SparkReads.spark().sparkContext().isLocal()).isTrue();
    jobs();
    assertExact("auto");
    List<String> jobs = jobs();
    assertThat(jobs).as("the queries' own jobs").isNotEmpty();
    assertThat(countingJobs(jobs)).isEmpty();
    Dataset<Row> df = SparkReads.load(with("paired", "true"), r1, r2).selectExpr("name");
    assertThat(df.collectAsList()).hasSize(1200);
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RANGES)).isGreaterThan(2);
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RECORDS)).isEqualTo(2L * 1200);
  }

  @ParameterizedTest(name = "countingPass={0}")
  @ValueSource(strings = {"job", "driver", "AUTO"})
  void everyPlacementGivesTheSamePairsAndOrdinals(String where) throws Exception {
    SparkReads.spark().conf().set(OrdinalPlanner.WHERE, where);
    jobs();
    assertExact(where);
    List<String> counting = countingJobs(jobs());
    if (where.equals("job")) {
      // One job per query: pairs, interleaved pairs, R2's ordinals.
      assertThat(counting).hasSize(3).allMatch(d -> d.endsWith(" ranges"));
    } else {
      assertThat(counting).isEmpty();
    }
  }

  @ParameterizedTest(name = "countingPass={0}")
  @ValueSource(strings = {"job", "driver"})
  void pairsOnAnotherFileSystemAreCountedWithTheReadsHadoopSettings(String where) {
    // The file system is known only from the read's fs.* option: the job ships it in the
    // broadcast configuration, the driver's threads use the query's configuration.
    SparkReads.spark().conf().set(OrdinalPlanner.WHERE, where);
    String scheme = OtherSchemeFileSystem.SCHEME + "://";
    Dataset<Row> df =
        SparkReads.reader(
                with("paired", "true", "fs.otherfs.impl", OtherSchemeFileSystem.class.getName()))
            .load(scheme + r1.toAbsolutePath(), scheme + r2.toAbsolutePath())
            .selectExpr(PAIR_COLUMNS);
    assertPairs(df, where + ", otherfs");
    assertThat(ScanMetrics.sql(df, CountingPassMetric.RECORDS)).isEqualTo(2L * 1200);
  }

  @ParameterizedTest(name = "countingPass={0}")
  @ValueSource(strings = {"job", "driver"})
  void aMalformedRecordMetWhileCountingFailsWithTheSameMessage(String where) throws IOException {
    SparkReads.spark().conf().set(OrdinalPlanner.WHERE, where);
    List<String> records = PairedFastq.records(data.r2());
    String rec = records.get(700);
    records.set(700, rec.substring(0, rec.length() - 2) + "\n"); // quality one character short
    Path bad = Files.createDirectories(dir.resolve("bad-" + where));
    Path good = Files.write(bad.resolve("B_R1.fastq"), data.r1Bytes());
    Path mate =
        Files.writeString(
            bad.resolve("B_R2.fastq"), String.join("", records), StandardCharsets.ISO_8859_1);
    long offset = 0;
    for (int i = 0; i < 700; i++) {
      offset += records.get(i).length();
    }
    String expected =
        "Malformed FASTQ record in " + SparkReads.fileUri(mate) + " at byte offset " + offset;
    assertThatThrownBy(() -> SparkReads.load(with("paired", "true"), good, mate).count())
        .satisfies(t -> assertThat(SparkReads.messages(t)).contains(expected));
  }

  @Test
  void autoCountsInTheDriverOnlyUnderALocalMasterAndForAShortPass() {
    long perCore = OrdinalPlanner.DRIVER_MAX_BYTES_PER_CORE;
    assertThat(OrdinalPlanner.inDriver("auto", true, 2 * perCore, 2)).isTrue();
    assertThat(OrdinalPlanner.inDriver("AUTO ", true, 2 * perCore + 1, 2))
        .as("a long pass is a job, which the UI shows and a cancelled job group stops")
        .isFalse();
    assertThat(OrdinalPlanner.inDriver("auto", true, perCore, 0)).isTrue();
    assertThat(OrdinalPlanner.inDriver("auto", false, 1, 2)).as("a cluster").isFalse();
    assertThat(OrdinalPlanner.inDriver("driver", false, Long.MAX_VALUE, 2)).isTrue();
    assertThat(OrdinalPlanner.inDriver("job", true, 1, 2)).isFalse();
  }

  @Test
  void thePassCopiesWindowsUnderAutoAndKeepsAnExplicitWindowRead() {
    MappingOptions auto = MappingOptions.builder().windowBytes(1 << 20).build();
    assertThat(OrdinalPlanner.passMapping(auto).windowRead()).isEqualTo(WindowRead.COPY);
    assertThat(OrdinalPlanner.passMapping(auto).windowBytes()).isEqualTo(1 << 20);
    MappingOptions map = MappingOptions.builder().windowRead(WindowRead.MAP).build();
    assertThat(OrdinalPlanner.passMapping(map)).isSameAs(map);
    MappingOptions copy = MappingOptions.builder().windowRead(WindowRead.COPY).build();
    assertThat(OrdinalPlanner.passMapping(copy).windowBytes()).isEqualTo(16 << 20);
    try {
      System.setProperty(OrdinalPlanner.PASS_WINDOW_READ, " Auto");
      assertThat(OrdinalPlanner.passMapping(auto).windowRead()).isEqualTo(WindowRead.AUTO);
      System.setProperty(OrdinalPlanner.PASS_WINDOW_READ, "mmap");
      assertThatThrownBy(() -> OrdinalPlanner.passMapping(auto))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("-Dfastqmmap.countingPassWindowRead is 'mmap': use auto, map or copy");
    } finally {
      System.clearProperty(OrdinalPlanner.PASS_WINDOW_READ);
    }
  }

  @Test
  void aCompressedByteWeighsAsSeveralPlainOnes() throws IOException {
    Path gz = dir.resolve("weighed.fastq.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(r1));
    }
    FastqFile plain = file(r1);
    FastqFile compressed = file(gz);
    long weighed =
        OrdinalPlanner.weighedBytes(
            List.of(
                new FileRange(plain, 0, 4096),
                new FileRange(plain, 4096, 5000),
                new FileRange(compressed, 0, compressed.length)));
    assertThat(weighed).isEqualTo(5000 + OrdinalPlanner.COMPRESSED_WEIGHT * Files.size(gz));
  }

  private static FastqFile file(Path p) throws IOException {
    return new FastqFile(InputFile.inspect(LocalStorage.INSTANCE, p.toString()), List.of());
  }

  @Test
  void anUnknownPlacementIsRefusedWithTheChoices() {
    SparkReads.spark().conf().set(OrdinalPlanner.WHERE, "executors");
    assertThatThrownBy(() -> SparkReads.load(with("paired", "true"), r1, r2).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "spark.fastqmmap.countingPass is 'executors': use auto, driver or job"));
  }
}
