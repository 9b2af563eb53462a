/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.CountingFileSystem;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OtherSchemeFileSystem;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file system that is not the local one (local files under another scheme, so no cluster is
 * needed): plain files are read by position, not mapped, with the mapped path's rows and metrics;
 * compressed files read the same. The Hadoop configuration (with the read's fs.* options) reaches
 * the executors.
 */
class NonLocalReadTest {
  @TempDir Path dir;

  @Test
  void positionalReadsGiveTheMappedRowsAtEverySplit() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(81)
            .records(2000)
            .allTricky()
            .longReads(0.01, 20_000)
            .crlf(true)
            .generate();
    Path file = g.writeTo(dir.resolve("reads.fastq"));
    String remote = OtherSchemeFileSystem.SCHEME + "://" + file.toAbsolutePath();
    Map<String, String> fs =
        Map.of(
            "fs.otherfs.impl", OtherSchemeFileSystem.class.getName(), "maxPartitionBytes", "8192");
    Dataset<Row> df = SparkReads.reader(fs).load(remote);
    assertThat(df.rdd().getNumPartitions()).isGreaterThan(10);
    Dataset<Row> rows = df.selectExpr(SparkReads.READ_COLUMNS);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> rows.collectAsList());
    List<Read> read = SparkReads.reads(df);
    SparkReads.assertSameReads(read, g.reads(), "positional reads");
    assertThat(SparkReads.reads(SparkReads.load(Map.of("maxPartitionBytes", "8192"), file)))
        .isEqualTo(read);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(Files.size(file));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_MAPPED)).isZero();
    // Positional reads: every byte at least once, plus look-backs and overhangs of many ranges.
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_READ))
        .isBetween(Files.size(file), 40 * Files.size(file));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(g.reads().size());
    assertThat(SparkReads.reader(fs).load(remote).selectExpr("_file").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .allMatch(u -> u.startsWith(OtherSchemeFileSystem.SCHEME + ":"));

    Path bgz =
        Files.write(
            dir.resolve("reads.fastq.bgz"), BgzfTestFiles.randomBlocks(g.bytes(), 5000, 0, 3));
    Path gz = Files.write(dir.resolve("reads.fastq.gz"), CompressedReadTest.gzip(g.bytes()));
    for (Path p : List.of(bgz, gz)) {
      String uri = OtherSchemeFileSystem.SCHEME + "://" + p.toAbsolutePath();
      assertThat(SparkReads.reader(fs).load(uri).count()).isEqualTo(g.reads().size());
      assertThat(
              SparkReads.reader(fs).load(uri).select("name", "sequence", "quality").collectAsList())
          .isEqualTo(
              SparkReads.load(Map.of(), p).select("name", "sequence", "quality").collectAsList());
    }
  }

  @Test
  void onlyAnotherFileSystemShipsTheHadoopConfigurationToTasks() throws Exception {
    // Shipping it is a broadcast per query; local files never need it (bzip2 decodes with the
    // codec's defaults), listed or inspected, plain or compressed.
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(83).records(500).generate();
    Path plain = g.writeTo(dir.resolve("plain.fastq"));
    Path gz = Files.write(dir.resolve("reads.fastq.gz"), CompressedReadTest.gzip(g.bytes()));
    Path bz2 = Files.write(dir.resolve("reads.fastq.bz2"), CompressedReadTest.bzip2(g.bytes()));
    // One page: the plain file is inspected at planning; at the default it is only listed.
    for (String split : List.of("4096", "134217728")) {
      for (Path p : List.of(plain, gz, bz2)) {
        Dataset<Row> df = SparkReads.load(Map.of("maxPartitionBytes", split), p);
        assertThat(readerFactory(df).shipsHadoopConf()).as(p + " at " + split).isFalse();
        assertThat(df.count()).as(p + " at " + split).isEqualTo(500);
      }
    }
    String remote = OtherSchemeFileSystem.SCHEME + "://" + plain.toAbsolutePath();
    Dataset<Row> other =
        SparkReads.reader(Map.of("fs.otherfs.impl", OtherSchemeFileSystem.class.getName()))
            .load(remote);
    assertThat(readerFactory(other).shipsHadoopConf()).isTrue();
    assertThat(other.count()).isEqualTo(500);
  }

  private static FastqReaderFactory readerFactory(Dataset<Row> df) {
    List<org.apache.spark.sql.execution.datasources.v2.BatchScanExec> scans =
        FastqMetrics.scans(df.queryExecution().executedPlan());
    assertThat(scans).hasSize(1);
    return (FastqReaderFactory) ((FastqScan) scans.get(0).scan()).createReaderFactory();
  }

  @Test
  void tasksOpenFilesWithTheCheckedStatusAndTheSequentialPolicy() throws Exception {
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(82).records(3000).generate();
    Path file = g.writeTo(dir.resolve("counted.fastq"));
    String remote = CountingFileSystem.SCHEME + "://" + file.toAbsolutePath();
    Map<String, String> fs =
        Map.of("fs.countfs.impl", CountingFileSystem.class.getName(), "maxPartitionBytes", "16384");
    Dataset<Row> df = SparkReads.reader(fs).load(remote);
    int partitions = df.rdd().getNumPartitions();
    assertThat(partitions).isGreaterThan(5);
    CountingFileSystem.reset();
    Map<String, Long> acc =
        ScanMetrics.accumulatorsDuring(
            () -> df.selectExpr(SparkReads.READ_COLUMNS).collectAsList());
    List<CountingFileSystem.OpenFile> opens = List.copyOf(CountingFileSystem.OPEN_FILES);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(Files.size(file));
    SparkReads.assertSameReads(SparkReads.reads(df), g.reads(), "counted reads");

    // Every open (each task's, and the planner's look at the file's first bytes) is an openFile
    // handed the file's planned status, and the sequential read policy. Each range opens the file
    // once, and no task asks for a status (on HDFS, a NameNode request).
    assertThat(opens.stream().filter(CountingFileSystem.OpenFile::task)).hasSize(partitions);
    assertThat(CountingFileSystem.TASK_STATUS_CALLS).hasValue(0);
    assertThat(opens)
        .allSatisfy(
            o -> {
              assertThat(o.name()).isEqualTo("counted.fastq");
              assertThat(o.status()).isNotNull();
              assertThat(o.status().getLen()).isEqualTo(Files.size(file));
              assertThat(o.status().getModificationTime())
                  .isEqualTo(Files.getLastModifiedTime(file).toMillis());
              assertThat(o.readPolicy()).isEqualTo("sequential");
            });
  }

  @Test
  void smallFilesAreOpenedOncePerTaskWhateverTheyHold() throws Exception {
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(83).records(40).generate();
    Path small = Files.createDirectories(dir.resolve("small"));
    g.writeTo(small.resolve("plain.fastq"));
    Files.write(small.resolve("gzip.fastq.gz"), CompressedReadTest.gzip(g.bytes()));
    Files.write(small.resolve("gzip-named-plain.fastq"), CompressedReadTest.gzip(g.bytes()));
    Files.write(small.resolve("bgzf.fastq.bgz"), BgzfTestFiles.randomBlocks(g.bytes(), 700, 0, 3));
    List<String> names = List.of("bgzf.fastq.bgz", "gzip-named-plain.fastq", "gzip.fastq.gz");
    // Named one by one: the local file system's listLocatedStatus serves file: URIs only.
    String[] remote =
        Stream.concat(names.stream(), Stream.of("plain.fastq"))
            .map(n -> CountingFileSystem.SCHEME + "://" + small.resolve(n).toAbsolutePath())
            .toArray(String[]::new);
    Map<String, String> fs = Map.of("fs.countfs.impl", CountingFileSystem.class.getName());
    Dataset<Row> df = SparkReads.reader(fs).load(remote);
    assertThat(df.rdd().getNumPartitions()).isPositive();

    CountingFileSystem.reset();
    assertThat(df.count()).isEqualTo(4L * g.reads().size());
    assertOpenedOnceByTasks(names, "plain.fastq");

    CountingFileSystem.reset();
    // No orderBy: its sampling job would read the files once more.
    List<Row> rows = df.select("name", "sequence", "quality").collectAsList();
    assertOpenedOnceByTasks(names, "plain.fastq");
    assertThat(rows)
        .containsExactlyInAnyOrderElementsOf(
            SparkReads.load(Map.of(), small).select("name", "sequence", "quality").collectAsList());
  }

  private static void assertOpenedOnceByTasks(List<String> compressed, String plain) {
    List<String> opened =
        CountingFileSystem.OPEN_FILES.stream()
            .filter(CountingFileSystem.OpenFile::task)
            .map(CountingFileSystem.OpenFile::name)
            .sorted()
            .toList();
    List<String> expected = new ArrayList<>(compressed);
    expected.add(plain);
    assertThat(opened).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(CountingFileSystem.OPEN_FILES).allMatch(CountingFileSystem.OpenFile::task);
    assertThat(CountingFileSystem.TASK_STATUS_CALLS).hasValue(0);
  }

  @Test
  void aFileChangedSincePlanningIsSeenWithoutAskingItsStatus() throws Exception {
    String good = "@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n##\n";
    Map<String, String> fs = Map.of("fs.countfs.impl", CountingFileSystem.class.getName());
    for (String change : List.of("truncated", "appended to")) {
      Path file = SparkReads.write(dir.resolve("changing.fastq"), good);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
      String remote = CountingFileSystem.SCHEME + "://" + file.toAbsolutePath();
      Dataset<Row> df = SparkReads.reader(fs).load(remote);
      Dataset<Row> ignoring =
          SparkReads.reader(
                  Map.of(
                      "fs.countfs.impl",
                      CountingFileSystem.class.getName(),
                      "ignoreCorruptFiles",
                      "true"))
              .load(remote);
      if (change.equals("truncated")) {
        Files.write(file, good.substring(0, 9).getBytes(StandardCharsets.US_ASCII));
      } else {
        Files.write(file, good.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
      }
      long now = Files.size(file);
      assertThatThrownBy(df::collectAsList)
          .as(change)
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains("File changed since the query was planned: countfs:")
                      .contains("changing.fastq was " + good.length() + " bytes")
                      .contains("is now " + now + " bytes")
                      .contains("Load the DataFrame again"));
      assertThat(ignoring.select("name").collectAsList()).as(change).isEmpty();
    }
  }
}
