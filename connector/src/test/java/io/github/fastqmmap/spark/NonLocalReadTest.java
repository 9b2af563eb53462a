/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.CountingFileSystem;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OtherSchemeFileSystem;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    // handed the status that the change check asked for, and the sequential read policy.
    assertThat(opens).hasSizeGreaterThanOrEqualTo(partitions);
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
}
