/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan whose ranges at Spark's split would leave a core idle in the last wave is cut into equal
 * ranges instead (on the shared session's 2 cores), and reads the same records either way; pairs'
 * R1 likewise, with the same pairs.
 */
class EvenSplitsTest {
  private static final int PAGE = 4096;
  private static final long SPLIT = 16 * PAGE;

  @TempDir static Path dir;
  private static Path file;
  private static long length;
  private static List<Read> truth;

  @BeforeAll
  static void writeFile() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(41).readLengths(60, 140).records(1030).generate();
    byte[] data = g.bytes();
    truth = ReferenceFastqParser.of(ParseOptions.defaults()).parse(data).reads();
    file = dir.resolve("reads.fastq");
    Files.write(file, data);
    length = data.length;
    // Three ranges of SPLIT and a shorter fourth, so that Spark's cut is uneven on 2 cores.
    assertThat(length).isBetween(3 * SPLIT + PAGE, 4 * (SPLIT - PAGE));
  }

  private static Dataset<Row> read() {
    return read(file);
  }

  private static List<Long> rangeLengths(Dataset<Row> df) {
    List<Long> lengths = new ArrayList<>();
    for (FastqInputPartition p : plan(df)) {
      for (FileRange r : p.ranges) {
        lengths.add(r.length());
      }
    }
    return lengths;
  }

  private static List<String> names(Dataset<Row> df) {
    return df.select("name", "sequence").collectAsList().stream()
        .map(r -> r.getString(0) + " " + r.getString(1))
        .toList();
  }

  private static List<String> expectedNames() {
    return truth.stream().map(r -> r.name() + " " + r.sequence()).toList();
  }

  @Test
  void rangesAreEqualForTheTwoCoresAndRowsAreTheReferenceParsers() {
    Dataset<Row> df = read();
    // A quarter of the file, rounded up to a page: three such ranges and the rest.
    long even = ((length + 3) / 4 + PAGE - 1) / PAGE * PAGE;
    assertThat(even).isLessThan(SPLIT);
    assertThat(rangeLengths(df)).containsExactly(even, even, even, length - 3 * even);
    assertThat(names(df)).containsExactlyElementsOf(expectedNames());
  }

  @Test
  void sparksCutIsKeptWhenAsked() {
    System.setProperty("fastqmmap.evenLastWave", "false");
    try {
      Dataset<Row> df = read();
      assertThat(rangeLengths(df)).containsExactly(SPLIT, SPLIT, SPLIT, length - 3 * SPLIT);
      assertThat(names(df)).containsExactlyElementsOf(expectedNames());
    } finally {
      System.clearProperty("fastqmmap.evenLastWave");
    }
  }

  @Test
  void pairsCutR1IntoEqualRangesAndGiveTheSamePairs() throws Exception {
    PairedFastq data = PairedFastq.generate(3000, 11);
    Path r1 = Files.write(dir.resolve("S_R1.fastq"), data.r1Bytes());
    Path r2 = Files.write(dir.resolve("S_R2.fastq"), data.r2Bytes());
    long both = data.r1Bytes().length + data.r2Bytes().length;
    // A split that cuts R1 (at its share of it) into three and a half ranges.
    String split = String.valueOf((long) (both / 3.5) / PAGE * PAGE);
    List<Long> even;
    List<Long> spark;
    List<String> evenPairs;
    List<String> sparkPairs;
    Dataset<Row> df = pairs(split, r1, r2);
    even = rangeLengths(df);
    evenPairs = pairsOf(df);
    System.setProperty("fastqmmap.evenLastWave", "false");
    try {
      df = pairs(split, r1, r2);
      spark = rangeLengths(df);
      sparkPairs = pairsOf(df);
    } finally {
      System.clearProperty("fastqmmap.evenLastWave");
    }
    // Spark's cut leaves a fourth range of about half the others; the even cut's ranges are a
    // page multiple each but the last; rounding up to pages leaves them under 4 pages apart.
    assertThat(spark).hasSize(4);
    assertThat(Collections.max(spark) - Collections.min(spark))
        .isGreaterThan(Collections.max(spark) / 3);
    assertThat(even).hasSize(4);
    assertThat(Collections.max(even) - Collections.min(even)).isLessThan(4L * PAGE);
    assertThat(even.stream().mapToLong(Long::longValue).sum()).isEqualTo(data.r1Bytes().length);
    List<String> expected =
        data.pairs().stream()
            .map(p -> p.name() + " " + p.sequence1() + " " + p.sequence2())
            .toList();
    assertThat(evenPairs).containsExactlyElementsOf(expected);
    assertThat(sparkPairs).containsExactlyElementsOf(expected);
  }

  private static Dataset<Row> pairs(String split, Path r1, Path r2) {
    return SparkTestSession.get()
        .read()
        .format("fastq-mmap")
        .option("paired", "true")
        .option("maxPartitionBytes", split)
        .option("openCostInBytes", String.valueOf(PAGE))
        .load(r1.toString(), r2.toString());
  }

  private static List<String> pairsOf(Dataset<Row> df) {
    return df.orderBy("_ordinal").select("name", "sequence1", "sequence2").collectAsList().stream()
        .map(r -> r.getString(0) + " " + r.getString(1) + " " + r.getString(2))
        .toList();
  }

  @Test
  void twoFilesEndSoonerAndGiveTheSameRecords() throws Exception {
    // 2.2 and 1.2 splits: Spark's cut gives 64, 64, 64 and 13 + 13 KiB (one core reads 128 KiB,
    // the other 90); cut evenly they fit the same 4 tasks and end sooner.
    Path two = Files.createDirectories(dir.resolve("two"));
    long[] lengths = new long[2];
    List<Read> expected = new ArrayList<>();
    int[] records = {650, 355};
    for (int i = 0; i < 2; i++) {
      byte[] data =
          FastqFileGenerator.builder(50 + i)
              .readLengths(60, 140)
              .records(records[i])
              .generate()
              .bytes();
      Files.write(two.resolve("f" + i + ".fastq"), data);
      lengths[i] = data.length;
      expected.addAll(ReferenceFastqParser.of(ParseOptions.defaults()).parse(data).reads());
    }
    assertThat(lengths[0]).isBetween(2 * SPLIT + SPLIT / 8, 2 * SPLIT + SPLIT / 3);
    assertThat(lengths[1]).isBetween(SPLIT + SPLIT / 8, SPLIT + SPLIT / 3);
    Dataset<Row> even = read(two);
    List<FastqInputPartition> evenPlan = plan(even);
    System.setProperty("fastqmmap.evenLastWave", "false");
    List<FastqInputPartition> sparkPlan;
    List<String> sparkRows;
    try {
      Dataset<Row> spark = read(two);
      sparkPlan = plan(spark);
      sparkRows = sortedRows(spark);
    } finally {
      System.clearProperty("fastqmmap.evenLastWave");
    }
    assertThat(evenPlan).hasSameSizeAs(sparkPlan).hasSize(4);
    assertThat(SplitPlanner.finishTime(evenPlan, PAGE, 2))
        .isLessThan(SplitPlanner.finishTime(sparkPlan, PAGE, 2));
    List<String> truth =
        expected.stream().map(r -> r.name() + " " + r.sequence()).sorted().toList();
    assertThat(sortedRows(even)).containsExactlyElementsOf(truth);
    assertThat(sparkRows).containsExactlyElementsOf(truth);
  }

  @Test
  void filesNoLongerThanTheEvenSplitKeepSparksPacking() throws Exception {
    // Seven files of two to three pages: Spark packs them three to a task (three tasks on two
    // cores); no file is longer than a quarter of their bytes, so no range can be cut smaller.
    Path small = Files.createDirectories(dir.resolve("small"));
    long total = 0;
    for (int i = 0; i < 7; i++) {
      byte[] data =
          FastqFileGenerator.builder(60 + i).readLengths(60, 140).records(40).generate().bytes();
      Files.write(small.resolve("s" + i + ".fastq"), data);
      assertThat((long) data.length).isBetween(2L * PAGE, 3L * PAGE);
      total += data.length;
    }
    assertThat(SplitPlanner.longestFile(List.of())).isZero();
    List<FastqInputPartition> evenPlan = plan(read(small));
    System.setProperty("fastqmmap.evenLastWave", "false");
    List<FastqInputPartition> sparkPlan;
    try {
      sparkPlan = plan(read(small));
    } finally {
      System.clearProperty("fastqmmap.evenLastWave");
    }
    assertThat(sparkPlan).hasSize(3);
    assertThat(evenPlan).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(describe(evenPlan.get(i))).isEqualTo(describe(sparkPlan.get(i)));
    }
    assertThat(read(small).count()).isEqualTo(7 * 40);
    assertThat(3L * PAGE).as("every file is within the even split").isLessThan(total / 4);
  }

  private static List<String> describe(FastqInputPartition p) {
    return p.ranges.stream().map(r -> r.file.uri + " " + r.start + "+" + r.length()).toList();
  }

  private static Dataset<Row> read(Path path) {
    return SparkTestSession.get()
        .read()
        .format("fastq-mmap")
        .option("maxPartitionBytes", String.valueOf(SPLIT))
        .option("openCostInBytes", String.valueOf(PAGE))
        .load(path.toString());
  }

  private static List<FastqInputPartition> plan(Dataset<Row> df) {
    return PlannedPartitions.of(df);
  }

  private static List<String> sortedRows(Dataset<Row> df) {
    return names(df).stream().sorted().toList();
  }
}
