/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan whose ranges at Spark's split would leave a core idle in the last wave is cut into equal
 * ranges instead (on the shared session's 2 cores), and reads the same records either way.
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
    return SparkTestSession.get()
        .read()
        .format("fastq-mmap")
        .option("maxPartitionBytes", String.valueOf(SPLIT))
        .option("openCostInBytes", String.valueOf(PAGE))
        .load(file.toString());
  }

  private static List<Long> rangeLengths(Dataset<Row> df) {
    List<BatchScanExec> scans = FastqMetrics.scans(df.queryExecution().executedPlan());
    List<Long> lengths = new ArrayList<>();
    for (InputPartition p : scans.get(0).scan().toBatch().planInputPartitions()) {
      for (FileRange r : ((FastqInputPartition) p).ranges) {
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
}
