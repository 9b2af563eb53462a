/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.LocalStorage;
import io.github.fastqmmap.testing.ExternalTools;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import io.github.fastqmmap.testing.WrittenFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BGZF writes put a {@code .gzi} index beside every part, through the commit protocol: the bytes
 * {@code bgzip -r} builds for the same file, found and used by the reader when the output is read
 * again.
 */
class WriteIndexTest {
  @TempDir static Path dir;
  private static Dataset<Row> reads;
  private static List<Read> truth;

  @BeforeAll
  static void generate() throws IOException {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(17).records(6000).readLengths(100, 150).generate();
    Path input = g.writeTo(dir.resolve("in.fastq"));
    truth = g.reads();
    // Three parts of about 700 KB: a dozen blocks each.
    reads = SparkReads.load(Map.of(), input).repartition(3);
  }

  @Test
  void everyBgzfPartHasTheIndexBgzipBuildsAndTheReaderUsesIt() throws Exception {
    Path out = dir.resolve("indexed");
    reads.write().format("fastq-mmap").option("compression", "bgzf").save(out.toString());
    List<Path> parts = WrittenFiles.files(out, ".fastq.bgz");
    assertThat(parts).hasSize(3);
    assertThat(WrittenFiles.files(out, ".gzi"))
        .containsExactlyElementsOf(
            parts.stream().map(p -> p.resolveSibling(p.getFileName() + ".gzi")).toList());
    for (Path part : parts) {
      Path gzi = part.resolveSibling(part.getFileName() + ".gzi");
      byte[] index = Files.readAllBytes(gzi);
      long entries = ByteBuffer.wrap(index).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      assertThat(entries).as(part.toString()).isGreaterThan(5);
      // The reader takes the index: it is not older than its part.
      InputFile inspected = InputFile.inspect(LocalStorage.INSTANCE, part.toString());
      assertThat(inspected.indexName()).isEqualTo(gzi.toString());
      if (ExternalTools.onPath("bgzip")) {
        Path copy = dir.resolve("bgzip-" + part.getFileName());
        Files.copy(part, copy);
        ExternalTools.runOk(dir, "bgzip", "-r", copy.toString());
        assertThat(index)
            .as("%s against bgzip -r", part)
            .isEqualTo(Files.readAllBytes(copy.resolveSibling(copy.getFileName() + ".gzi")));
      }
    }
    // Read back in ranges of 4 KiB, many per block: exact.
    List<Read> back = SparkReads.reads(SparkReads.load(Map.of("maxPartitionBytes", "4096"), out));
    assertThat(WrittenFiles.records(back)).isEqualTo(WrittenFiles.records(truth));

    // The planned read consults the written index: one whose entries are moved by a byte (and
    // so name no block) fails the read and says so.
    Path part = parts.get(0);
    Path gzi = part.resolveSibling(part.getFileName() + ".gzi");
    ByteBuffer wrong = ByteBuffer.wrap(Files.readAllBytes(gzi)).order(ByteOrder.LITTLE_ENDIAN);
    for (int at = 8; at < wrong.capacity(); at += 16) {
      wrong.putLong(at, wrong.getLong(at) + 1);
    }
    Files.write(gzi, wrong.array());
    Files.setLastModifiedTime(
        gzi, FileTime.fromMillis(Files.getLastModifiedTime(part).toMillis() + 1000));
    assertThatThrownBy(() -> SparkReads.load(Map.of("maxPartitionBytes", "65536"), part).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Not a BGZF block in ")
                    .contains("although the .gzi index names a block start at it"));
  }

  @Test
  void bgzfIndexFalseWritesNoIndex() throws IOException {
    Path out = dir.resolve("unindexed");
    reads
        .write()
        .format("fastq-mmap")
        .option("compression", "bgzf")
        .option("bgzfIndex", "false")
        .save(out.toString());
    assertThat(WrittenFiles.files(out, ".fastq.bgz")).hasSize(3);
    assertThat(WrittenFiles.files(out, ".gzi")).isEmpty();
    assertThat(SparkReads.load(Map.of("maxPartitionBytes", "65536"), out).count())
        .isEqualTo(truth.size());
  }

  @Test
  void otherCompressionsWriteNoIndexAndABadValueIsNamed() throws IOException {
    Path out = dir.resolve("gzip");
    reads.write().format("fastq-mmap").option("compression", "gzip").save(out.toString());
    assertThat(WrittenFiles.files(out, ".gzi")).isEmpty();
    assertThatThrownBy(
            () ->
                reads
                    .write()
                    .format("fastq-mmap")
                    .option("compression", "bgzf")
                    .option("bgzfIndex", "maybe")
                    .save(dir.resolve("bad").toString()))
        .hasMessage(
            "Invalid value 'maybe' for fastq-mmap option 'bgzfIndex': expected true or false.");
  }
}
