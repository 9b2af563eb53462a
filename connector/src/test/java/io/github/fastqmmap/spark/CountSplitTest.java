/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pushed-down {@code COUNT(*)} of plain FASTQ reads ranges of up to {@link
 * FastqScan#COUNT_SPLIT_FACTOR} times Spark's default maxPartitionBytes, capped by the bytes per
 * core, and counts the same records; a maxPartitionBytes the read sets is kept as given, and so is
 * Spark's split beside a file that planning did not inspect. The file is longer than two of Spark's
 * default 128 MiB splits, as only then do the splits differ.
 */
class CountSplitTest {
  private static final long MIB = 1L << 20;

  @TempDir static Path dir;
  private static Path file;
  private static long length;
  private static long records;

  @BeforeAll
  static void writeFile() throws IOException {
    byte[] block =
        FastqFileGenerator.builder(61).readLengths(100, 150).records(4000).generate().bytes();
    long perBlock = ReferenceFastqParser.of(ParseOptions.defaults()).parse(block).reads().size();
    file = dir.resolve("big.fastq");
    // 300 MiB and a little: three of Spark's 128 MiB ranges, or two at its 150 MiB per core.
    long blocks = (300 * MIB) / block.length + 1;
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long i = 0; i < blocks; i++) {
        ByteBuffer b = ByteBuffer.wrap(block);
        while (b.hasRemaining()) {
          out.write(b);
        }
      }
    }
    length = blocks * block.length;
    records = blocks * perBlock;
    assertThat(length).isBetween(2 * 128 * MIB + MIB, 3 * 128 * MIB - MIB);
  }

  @Test
  void aCountReadsOneRangePerCoreAndFindsEveryRecord() {
    Dataset<Row> count = read().agg(functions.count(functions.lit(1)));
    List<FastqInputPartition> countPlan = plan(count);
    assertThat(countPlan).as("one range per core of the shared session's two").hasSize(2);
    assertThat(countPlan.stream().mapToLong(p -> p.ranges.get(0).length()).sum()).isEqualTo(length);
    assertThat(count.first().getLong(0)).isEqualTo(records);
    assertThat(plan(read().select("sequence")))
        .as("a read of rows keeps Spark's split")
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aCountKeepsTheMaxPartitionBytesTheReadSets() {
    Dataset<Row> given =
        SparkTestSession.get()
            .read()
            .format("fastq-mmap")
            .option("maxPartitionBytes", "128m")
            .load(file.toString());
    Dataset<Row> count = given.agg(functions.count(functions.lit(1)));
    assertThat(plan(count)).hasSameSizeAs(plan(given.select("sequence"))).hasSizeGreaterThan(2);
    assertThat(count.first().getLong(0)).isEqualTo(records);
  }

  @Test
  void aCountBesideAFileNotInspectedKeepsSparksSplit() throws IOException {
    byte[] small =
        FastqFileGenerator.builder(62).readLengths(100, 150).records(200).generate().bytes();
    long smallRecords =
        ReferenceFastqParser.of(ParseOptions.defaults()).parse(small).reads().size();
    Path gz = dir.resolve("small.fastq.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(small);
    }
    Dataset<Row> both =
        SparkTestSession.get().read().format("fastq-mmap").load(file.toString(), gz.toString());
    Dataset<Row> count = both.agg(functions.count(functions.lit(1)));
    assertThat(plan(count))
        .as("the small file may be compressed: Spark's split, as a row read's")
        .hasSameSizeAs(plan(both.select("sequence")))
        .hasSizeGreaterThan(2);
    assertThat(count.first().getLong(0)).isEqualTo(records + smallRecords);
  }

  private static Dataset<Row> read() {
    return SparkTestSession.get().read().format("fastq-mmap").load(file.toString());
  }

  private static List<FastqInputPartition> plan(Dataset<Row> df) {
    return PlannedPartitions.of(df);
  }
}
