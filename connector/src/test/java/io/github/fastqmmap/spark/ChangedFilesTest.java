/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OpenFiles;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that change under a query. Changed between planning and reading (truncated, appended to,
 * rewritten): the task fails with "File changed since the query was planned", or skips the file
 * with {@code ignoreCorruptFiles}. Truncated while a task reads its mapping (the SIGBUS case): the
 * task fails with "File changed during read", nothing stays mapped, and the same JVM (in local mode
 * the executor is this JVM) runs the next query.
 */
class ChangedFilesTest {
  private static final String GOOD = "@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n##\n";

  @TempDir Path dir;

  private static FastqFileGenerator.Generated gen;
  private static ExecutorService queries;

  @BeforeAll
  static void setUp() {
    gen = FastqFileGenerator.builder(71).records(15_000).readLengths(100, 150).generate();
    queries = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void tearDown() {
    queries.shutdownNow();
  }

  @AfterEach
  void openTheGate() {
    TaskGate.release();
  }

  private static void truncate(Path file, long length) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  /** A change made between planning and reading. */
  @FunctionalInterface
  private interface Change {
    void apply(Path file) throws Exception;
  }

  @Test
  void changedBetweenPlanningAndReading() throws Exception {
    Map<String, Change> changes =
        Map.of(
            "truncated",
            file -> truncate(file, GOOD.length() / 2),
            "appended to",
            file ->
                Files.write(
                    file, GOOD.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND),
            "rewritten with the same length",
            file -> {
              Files.write(file, GOOD.replace('A', 'C').getBytes(StandardCharsets.US_ASCII));
              Files.setLastModifiedTime(
                  file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2_000));
            });
    for (Map.Entry<String, Change> c : changes.entrySet()) {
      Path other = SparkReads.write(dir.resolve("other.fastq"), GOOD);
      Path file = SparkReads.write(dir.resolve("changing.fastq"), GOOD);
      // An mtime in the past, so that any write now gives a different one.
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
      Dataset<Row> df = SparkReads.load(Map.of(), other, file);
      Dataset<Row> ignoring = SparkReads.load(Map.of("ignoreCorruptFiles", "true"), other, file);
      long newLength;
      c.getValue().apply(file);
      newLength = Files.size(file);
      assertThatThrownBy(df::collectAsList)
          .as(c.getKey())
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains(
                          "File changed since the query was planned: "
                              + SparkReads.fileUri(file)
                              + " was "
                              + GOOD.length()
                              + " bytes")
                      .contains("is now " + newLength + " bytes")
                      .contains("Load the DataFrame again"));
      assertThat(ignoring.select("name").collectAsList())
          .as(c.getKey() + ", ignoreCorruptFiles")
          .extracting(r -> r.getString(0))
          .containsExactly("r1", "r2");
    }
  }

  @Test
  void rewriteThatKeepsLengthAndModificationTimeIsNotDetected() throws Exception {
    // A documented limit: length and modification time are all that is compared, as Spark's
    // file sources do. Such a rewrite is read as the file is now.
    Path file = SparkReads.write(dir.resolve("same.fastq"), GOOD);
    FileTime mtime = Files.getLastModifiedTime(file);
    Dataset<Row> df = SparkReads.load(Map.of(), file);
    Files.write(file, GOOD.replace("ACGT", "TTTT").getBytes(StandardCharsets.US_ASCII));
    Files.setLastModifiedTime(file, mtime);
    assertThat(df.select("sequence").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("TTTT", "GG");
  }

  /** Runs {@code filter(gate).count()} in another thread. */
  private static Future<Long> countThroughGate(Dataset<Row> df) {
    Dataset<Row> gated = df.filter(TaskGate.udf().apply(col("_offset")));
    if (Arrays.asList(df.columns()).contains("sequence")) {
      // Build the strings too, so that faults can also hit the copy into rows.
      return queries.submit(
          () -> gated.selectExpr("count(*)", "max(sequence)", "max(quality)").first().getLong(0));
    }
    return queries.submit(gated::count);
  }

  /** The process id of the JVM that ran a scan task of {@code file}. */
  private static long executorPid(Path file) {
    UDF1<Long, Long> pid = offset -> ProcessHandle.current().pid();
    return SparkReads.load(Map.of(), file)
        .select(functions.udf(pid, DataTypes.LongType).apply(col("_offset")))
        .first()
        .getLong(0);
  }

  @Test
  void truncatedWhileATaskReadsItsMapping() throws Exception {
    Path small = SparkReads.write(dir.resolve("small.fastq"), GOOD);
    long pidBefore = executorPid(small);
    // Warm the JIT up: in compiled code HotSpot raises the fault asynchronously, at the thread's
    // next call into the VM runtime (PendingFault), which may come while the reader handles what
    // the fault caused.
    Path warm = gen.writeTo(dir.resolve("warm.fastq"));
    for (int i = 0; i < 5; i++) {
      assertThat(SparkReads.load(Map.of(), warm).count()).isEqualTo(15_000);
      assertThat(SparkReads.load(Map.of(), warm).selectExpr("max(sequence)").count()).isEqualTo(1);
    }
    for (int round = 0; round < Integer.getInteger("fastqmmap.truncation.rounds", 5); round++) {
      truncateWhileReading(round);
    }
    // The executor survived: the same JVM runs the next query.
    assertThat(executorPid(small)).isEqualTo(pidBefore);
    Path again = gen.writeTo(dir.resolve("again.fastq"));
    assertThat(SparkReads.load(Map.of(), again).count()).isEqualTo(15_000);
  }

  @Test
  void pairsWhoseR2IsTruncatedWhileATaskReadsItsMapping() throws Exception {
    for (int round = 0; round < Integer.getInteger("fastqmmap.truncation.rounds", 5); round++) {
      truncateR2WhileReading(round);
    }
  }

  private void truncateR2WhileReading(int round) throws Exception {
    Path r1 = gen.writeTo(dir.resolve("p" + round + "_R1.fastq"));
    Path r2 = gen.writeTo(dir.resolve("p" + round + "_R2.fastq"));
    long length = Files.size(r2);
    // Both mates' strings, or only R2's: a fault may hit either window's copy into rows.
    String[] values =
        round % 2 == 0
            ? new String[] {"count(*)", "max(sequence2)"}
            : new String[] {"count(*)", "max(sequence1)", "max(quality2)"};
    Dataset<Row> df =
        SparkReads.load(Map.of("paired", "true", "windowRead", "map"), r1, r2)
            .selectExpr("_offset", "sequence1", "sequence2", "quality2");
    assertThat(df.count()).isEqualTo(15_000);
    TaskGate.arm(50 + 1000L * (round % 10));
    Future<Long> count =
        queries.submit(
            () ->
                df.filter(TaskGate.udf().apply(col("_offset")))
                    .selectExpr(values)
                    .first()
                    .getLong(0));
    TaskGate.awaitReached(Duration.ofSeconds(120));
    truncate(r2, 100);
    TaskGate.release();
    assertThatThrownBy(() -> count.get(120, TimeUnit.SECONDS))
        .as("round %d", round)
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            t -> {
              assertThat(SparkReads.messages(t))
                  .contains(
                      "File changed during read: "
                          + SparkReads.fileUri(r2)
                          + " was "
                          + length
                          + " bytes when planned and is now 100 bytes; reading its mapping"
                          + " faulted while reading the mates of range [0, "
                          + Files.size(r1)
                          + ") of "
                          + SparkReads.fileUri(r1))
                  .contains("Do not modify files while a query reads them");
              for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(c).isNotInstanceOf(VirtualMachineError.class);
              }
            });
    if (OpenFiles.available()) {
      for (Path mate : new Path[] {r1, r2}) {
        awaitZero(() -> OpenFiles.mappings(mate));
        assertThat(OpenFiles.mappings(mate))
            .as("mappings of %s after the failed task", mate)
            .isZero();
      }
    }
  }

  private void truncateWhileReading(int round) throws Exception {
    Path file = gen.writeTo(dir.resolve("shrinking-" + round + ".fastq"));
    long length = Files.size(file);
    // windowRead=map: the subject is a fault in a mapping; a file just written sits in small pages,
    // which windowRead=auto would copy instead (a snapshot, that test is MappedByteSourceTest's).
    Map<String, String> mapped = Map.of("windowRead", "map");
    Dataset<Row> df =
        round % 2 == 0
            ? SparkReads.load(mapped, file).select("_offset")
            : SparkReads.load(mapped, file).selectExpr("_offset", "sequence", "quality");
    TaskGate.arm(50 + 1000L * (round % 10));
    Future<Long> count = countThroughGate(df);
    TaskGate.awaitReached(Duration.ofSeconds(60));
    if (OpenFiles.available()) {
      assertThat(OpenFiles.mappings(file)).as("mapped while the task waits").isPositive();
    }
    truncate(file, 100);
    TaskGate.release();
    assertThatThrownBy(() -> count.get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "File changed during read: "
                            + SparkReads.fileUri(file)
                            + " was "
                            + length
                            + " bytes when planned and is now 100 bytes; reading its mapping"
                            + " faulted in range [0, "
                            + length
                            + ")")
                    .contains("Do not modify files while a query reads them"))
        .satisfies(
            t -> {
              // Spark's executor exits when a task failure's cause chain holds a
              // VirtualMachineError: the fault must not be there.
              FileChangedDuringReadException changed = null;
              for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(c).isNotInstanceOf(VirtualMachineError.class);
                if (changed == null && c instanceof FileChangedDuringReadException f) {
                  changed = f;
                }
              }
              // The typed exception is the failure's cause, its message said once.
              assertThat(changed).isNotNull();
              assertThat(changed.file()).isEqualTo(SparkReads.fileUri(file));
              assertThat(changed.getMessage()).startsWith("File changed during read: ");
              for (Throwable c = changed.getCause(); c != null; c = c.getCause()) {
                assertThat(c.getMessage()).doesNotContain("File changed during read");
              }
            });
    if (OpenFiles.available()) {
      // The file's other task (it has two ranges) may still be ending when the job has failed:
      // Spark fails the job at the first task failure and stops the others asynchronously.
      awaitZero(() -> OpenFiles.mappings(file));
      awaitZero(() -> OpenFiles.descriptors(file));
      assertThat(OpenFiles.mappings(file)).as("mappings after the failed task").isZero();
      assertThat(OpenFiles.descriptors(file)).as("descriptors after the failed task").isZero();
    }
  }

  /** Waits up to 10 s for {@code count} to reach 0; the caller asserts it. */
  private static void awaitZero(Callable<Integer> count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count.call() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void truncatedWhileReadingWithIgnoreCorruptFilesKeepsWhatWasRead() throws Exception {
    Path other = SparkReads.write(dir.resolve("a-other.fastq"), GOOD);
    Path file = gen.writeTo(dir.resolve("b-shrinking.fastq"));
    // Each file one range: the gate stops the big file's task in the middle of its range.
    Dataset<Row> df =
        SparkReads.load(
            Map.of(
                "ignoreCorruptFiles",
                "true",
                "maxPartitionBytes",
                "64m",
                "openCostInBytes",
                "64m",
                "windowRead",
                "map"), // a mapped window faults at the new end; a copied one is a snapshot
            other,
            file);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(2);
    TaskGate.arm(1000);
    Future<Long> count = countThroughGate(df);
    TaskGate.awaitReached(Duration.ofSeconds(60));
    truncate(file, 100);
    TaskGate.release();
    long rows = count.get(60, TimeUnit.SECONDS);
    // The small file's 2 records, the big one's up to the fault, nothing after.
    assertThat(rows).isBetween(1000L, 14_000L);
    if (OpenFiles.available()) {
      assertThat(OpenFiles.mappings(file)).isZero();
      assertThat(OpenFiles.descriptors(file)).isZero();
    }
  }
}
