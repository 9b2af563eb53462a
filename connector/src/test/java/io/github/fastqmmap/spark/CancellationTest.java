/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OpenFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query cancelled mid-scan (job group cancel, tasks interrupted) closes its readers: no mapping
 * and no descriptor of the files outlives the tasks, counted from outside in {@code
 * /proc/self/maps} and {@code /proc/self/fd}; and the session reads the same files again.
 */
class CancellationTest {
  @TempDir static Path dir;

  private static Path file;
  private static long records;
  private static ExecutorService queries;

  @BeforeAll
  static void writeFile() throws IOException {
    // 32 MiB: one block of generated reads repeated, so that a scan of it takes a while.
    FastqFileGenerator.Generated block =
        FastqFileGenerator.builder(8).records(4_000).readLengths(100, 200).generate();
    byte[] bytes = block.bytes();
    int copies = (int) ((32L << 20) / bytes.length);
    file = dir.resolve("big.fastq");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < copies; i++) {
        out.write(bytes);
      }
    }
    records = (long) copies * block.reads().size();
    queries = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stopQueries() {
    queries.shutdownNow();
  }

  @BeforeEach
  void needsProc() {
    Assumptions.assumeTrue(OpenFiles.available(), OpenFiles.UNAVAILABLE);
  }

  @AfterEach
  void openTheGate() {
    TaskGate.release();
  }

  /** Runs an action in another thread, in a job group whose tasks are interrupted on cancel. */
  private static Future<Long> inJobGroup(String group, Dataset<Row> df) {
    return queries.submit(
        () -> {
          SparkContext sc = SparkReads.spark().sparkContext();
          sc.setJobGroup(group, "cancellation test", true);
          try {
            // Every column built and filtered: a scan slow enough to be cancelled in the middle
            // (a bare count() is answered inside the scan, faster than a cancel arrives).
            return df.where(
                    "octet_length(sequence) + octet_length(quality) + octet_length(name)" + " >= 0")
                .count();
          } finally {
            sc.clearJobGroup();
          }
        });
  }

  /** Waits until no mapping or descriptor of the file is left; fails after a timeout. */
  private static void awaitReleased(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (OpenFiles.mappings(file) + OpenFiles.descriptors(file) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "after "
                + timeout
                + " still "
                + OpenFiles.mappings(file)
                + " mappings and "
                + OpenFiles.descriptors(file)
                + " descriptors of "
                + file);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void cancelWhileTasksAreInsideTheScan() throws Exception {
    // Four ranges, two tasks at a time: both stop at the gate with their windows mapped.
    Dataset<Row> df =
        // windowRead=map: the test counts mappings, and a file just written would be copied.
        SparkReads.load(Map.of("maxPartitionBytes", "8m", "windowRead", "map"), file)
            .filter(TaskGate.udf().apply(col("_offset")));
    TaskGate.arm(1);
    Future<Long> count = inJobGroup("cancel-at-gate", df);
    TaskGate.awaitReached(Duration.ofSeconds(60));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (OpenFiles.mappings(file) < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the second task reaches the gate too
    }
    int mappedAtCancel = OpenFiles.mappings(file);
    assertThat(mappedAtCancel).as("mappings while both tasks wait").isBetween(2, 4);
    assertThat(OpenFiles.descriptors(file)).as("descriptors while both tasks wait").isEqualTo(2);
    SparkReads.spark().sparkContext().cancelJobGroup("cancel-at-gate");
    assertThatThrownBy(() -> count.get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(t -> assertThat(SparkReads.messages(t)).contains("cancel-at-gate"));
    awaitReleased(Duration.ofSeconds(30));
    TaskGate.release();
    // The session is fine and reads the file again.
    assertThat(SparkReads.load(Map.of(), file).count()).isEqualTo(records);
    assertThat(OpenFiles.mappings(file)).isZero();
  }

  @Test
  void cancelWhileTheReaderScans() throws Exception {
    // No gate: the cancel lands wherever the readers are, between or inside rows.
    Dataset<Row> df = SparkReads.load(Map.of("maxPartitionBytes", "1m", "windowRead", "map"), file);
    int cancelled = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      String group = "cancel-while-scanning-" + attempt;
      try (OpenFiles.Peak peak = new OpenFiles.Peak(file)) {
        Future<Long> count = inJobGroup(group, df);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (peak.mappings() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        Thread.sleep(10L * attempt);
        SparkReads.spark().sparkContext().cancelJobGroup(group);
        try {
          long n = count.get(60, TimeUnit.SECONDS);
          // The job may finish before the cancel arrives; then it must be complete.
          assertThat(n).isEqualTo(records);
        } catch (ExecutionException e) {
          assertThat(SparkReads.messages(e)).contains(group);
          cancelled++;
        }
        awaitReleased(Duration.ofSeconds(30));
        // Two tasks at a time, at most two windows each.
        assertThat(peak.mappings()).isBetween(1, 4);
      }
    }
    // 32 tasks of 1 MiB take longer than a cancel after the first mapping; the scanner is fast
    // enough that a late cancel may find the job done, which the loop above accepts.
    System.out.printf(Locale.ROOT, "cancelled mid-scan: %d of 3%n", cancelled);
    assertThat(cancelled).isGreaterThanOrEqualTo(1);
  }

  @Test
  void failedTasksReleaseEverythingToo() throws Exception {
    // A malformed record fails the scan in FAILFAST: the failed and the other tasks let go.
    Path bad = dir.resolve("bad.fastq");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] = '\n';
    bytes[bytes.length / 2 + 1] = '!';
    Files.write(bad, bytes);
    try {
      assertThatThrownBy(() -> SparkReads.load(Map.of("maxPartitionBytes", "4m"), bad).count())
          .satisfies(t -> assertThat(SparkReads.messages(t)).contains("Malformed FASTQ record"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (OpenFiles.mappings(bad) + OpenFiles.descriptors(bad) > 0) {
        assertThat(System.nanoTime()).as("mappings left after a failed scan").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      Files.delete(bad);
    }
  }
}
