/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.spark.ScanMetrics;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OpenFiles;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of small files in one load, packed into two partitions: every record is read, each file
 * is mapped once and unmapped, and no mapping or descriptor is left after the query. During the
 * query at most two files per task are open and mapped at once (counted from {@code
 * /proc/self/maps} and {@code /proc/self/fd} by a sampler).
 */
class ManySmallFilesIT {
  private static final int FILES = 3_000;

  private static Path dir;
  private static final Map<String, List<Read>> TRUTH = new TreeMap<>();
  private static long records;
  private static long bases;
  private static int nonEmpty;

  @BeforeAll
  static void writeFiles() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-many-");
    for (int i = 0; i < FILES; i++) {
      Path file = dir.resolve(String.format(Locale.ROOT, "sample-%04d.fastq", i));
      if (i % 500 == 7) {
        Files.write(file, new byte[0]); // a few empty files: no range, no mapping
        continue;
      }
      FastqFileGenerator.Generated g =
          FastqFileGenerator.builder(i).records(1 + i % 9).allTricky().crlf(i % 5 == 0).generate();
      g.writeTo(file);
      TRUTH.put(SparkReads.fileUri(file), g.reads());
      records += g.reads().size();
      bases += g.reads().stream().mapToLong(r -> r.sequence().length()).sum();
      nonEmpty++;
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void thousandsOfFilesInTwoPartitionsLeaveNothingOpen() throws Exception {
    Assumptions.assumeTrue(OpenFiles.available(), OpenFiles.UNAVAILABLE);
    assertThat(OpenFiles.mappings(dir)).isZero();
    assertThat(OpenFiles.descriptors(dir)).isZero();
    long t0 = System.nanoTime();
    Dataset<Row> df = SparkReads.load(Map.of("openCostInBytes", "1024"), dir);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(2);
    Map<String, List<Read>> actual;
    Map<String, Long> metrics;
    int peakMappings;
    int peakDescriptors;
    List<Map<String, List<Read>>> holder = new ArrayList<>();
    try (OpenFiles.Peak peak = new OpenFiles.Peak(dir)) {
      metrics = ScanMetrics.accumulatorsDuring(() -> holder.add(SparkReads.readsByFile(df)));
      peakMappings = peak.mappings();
      peakDescriptors = peak.descriptors();
      assertThat(peak.samples()).isPositive();
    }
    actual = holder.get(0);
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(TRUTH.keySet());
    for (Map.Entry<String, List<Read>> e : TRUTH.entrySet()) {
      SparkReads.assertSameReads(actual.get(e.getKey()), e.getValue(), e.getKey());
    }
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.RECORDS)).isEqualTo(records);
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.BASES)).isEqualTo(bases);
    // Each non-empty file fits one window, empty files none. All columns in column batches: every
    // window is copied (windowRead=auto), none mapped.
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.WINDOWS_COPIED)).isEqualTo(nonEmpty);
    assertThat(ScanMetrics.accumulator(metrics, ReadMetric.WINDOWS_MAPPED)).isZero();
    // Two tasks, each with one file open and at most two windows of it mapped.
    assertThat(peakMappings).isBetween(0, 4);
    assertThat(peakDescriptors).isBetween(0, 2);
    assertThat(OpenFiles.mappings(dir)).as("mappings after the query").isZero();
    assertThat(OpenFiles.descriptors(dir)).as("descriptors after the query").isZero();
    System.out.printf(
        Locale.ROOT,
        "ManySmallFilesIT: %d files (%d records) in 2 partitions: %.1f s; at most %d mappings and"
            + " %d descriptors at once, none after%n",
        FILES,
        records,
        (System.nanoTime() - t0) / 1e9,
        peakMappings,
        peakDescriptors);
  }

  @Test
  void oneTaskPerFewFilesLeavesNothingOpenEither() {
    Assumptions.assumeTrue(OpenFiles.available(), OpenFiles.UNAVAILABLE);
    // Spark's default open cost (4 MiB) packs about 30 files per partition: about 100 tasks.
    Dataset<Row> df = SparkReads.load(Map.of(), dir);
    assertThat(df.rdd().getNumPartitions()).isBetween(50, 200);
    assertThat(df.count()).isEqualTo(records);
    assertThat(OpenFiles.mappings(dir)).isZero();
    assertThat(OpenFiles.descriptors(dir)).isZero();
  }
}
