/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.FailingFileSystem;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure a user can cause says what happened, where and what to do, as an exception on the
 * driver: never a crashed JVM or a hang.
 */
class ErrorsTest {
  private static final String GOOD = "@r1 first\nACGT\n+\nIIII\n@r2\nGG\n+r2\n@@\n";

  @TempDir Path dir;

  @Test
  void missingPath() {
    Path missing = dir.resolve("nothing-here.fastq");
    assertThatThrownBy(() -> SparkReads.load(Map.of(), missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Path does not exist: file:" + missing)
        .hasMessageContaining("ignoreMissingFiles=true");
    assertThatThrownBy(() -> SparkReads.reader(Map.of()).load(dir + "/*.nomatch"))
        .hasMessageContaining("Path does not exist")
        .hasMessageContaining("*.nomatch");
  }

  @Test
  void missingPathAmongOthersIsSkippedWithIgnoreMissingFiles() throws Exception {
    Path good = SparkReads.write(dir.resolve("good.fastq"), GOOD);
    Path missing = dir.resolve("missing.fastq");
    assertThatThrownBy(() -> SparkReads.load(Map.of(), good, missing))
        .hasMessageContaining("Path does not exist");
    assertThat(SparkReads.load(Map.of("ignoreMissingFiles", "true"), good, missing).count())
        .isEqualTo(2);
  }

  @Test
  void directoryWithoutFiles() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> SparkReads.load(Map.of(), empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No FASTQ files found in [" + empty + "]")
        .hasMessageContaining("Names starting with '_' or '.' are skipped")
        .hasMessageContaining("recursiveFileLookup=true");
    // Only hidden files and a subdirectory: still nothing to read.
    SparkReads.write(empty.resolve("_SUCCESS"), "");
    SparkReads.write(empty.resolve(".reads.fastq.crc"), "crc");
    SparkReads.write(empty.resolve("sub/reads.fastq"), GOOD);
    assertThatThrownBy(() -> SparkReads.load(Map.of(), empty))
        .hasMessageContaining("No FASTQ files found");
    assertThat(SparkReads.load(Map.of("recursiveFileLookup", "true"), empty).count()).isEqualTo(2);
  }

  @Test
  void emptyFileIsValidWithNoRecords() throws Exception {
    // Decided: an empty file is valid FASTQ with zero records.
    Path empty = SparkReads.write(dir.resolve("empty.fastq"), "");
    for (String mode : List.of("FAILFAST", "PERMISSIVE", "DROPMALFORMED")) {
      Dataset<Row> df = SparkReads.load(Map.of("mode", mode), empty);
      assertThat(df.collectAsList()).as(mode).isEmpty();
      assertThat(df.count()).as(mode).isZero();
    }
    // Beside a non-empty file it adds nothing.
    Path good = SparkReads.write(dir.resolve("good.fastq"), GOOD);
    assertThat(SparkReads.load(Map.of(), empty, good).count()).isEqualTo(2);
  }

  @Test
  void unknownOptionValue() throws Exception {
    Path good = SparkReads.write(dir.resolve("good.fastq"), GOOD);
    assertThatThrownBy(() -> SparkReads.load(Map.of("qualityEncoding", "phred42"), good))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value 'phred42' for fastq-mmap option 'qualityEncoding': expected one of"
                + " phred33, phred64, solexa.");
  }

  @Test
  void userSchemaIsRefused() throws Exception {
    Path good = SparkReads.write(dir.resolve("good.fastq"), GOOD);
    assertThatThrownBy(
            () ->
                SparkReads.spark()
                    .read()
                    .format("fastq-mmap")
                    .schema("name STRING")
                    .load(good.toString()))
        .hasMessage("FastqDataSource source does not support user-specified schema.");
  }

  @Test
  void wrappedRecordReadWithoutMultiLine() throws Exception {
    String wrapped = "@w1\nACGT\nAC\n+\nIIII\nII\n";
    Path file = SparkReads.write(dir.resolve("wrapped.fastq"), GOOD + wrapped);
    assertThatThrownBy(() -> SparkReads.load(Map.of(), file).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(file))
                    .contains("at byte offset " + GOOD.length() + ":")
                    .contains("set multiLine=true"));
    assertThat(
            SparkReads.load(Map.of("multiLine", "true"), file).select("sequence").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("ACGT", "GG", "ACGTAC");
  }

  @Test
  void compressedFilesAreToldByMagicNumber() throws Exception {
    // gzip named .fastq is read as gzip; xz is named in a clear error, damaged zstd too.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(GOOD.repeat(50).getBytes(StandardCharsets.US_ASCII));
    }
    Path file = dir.resolve("reads.fastq");
    Files.write(file, gz.toByteArray());
    assertThat(SparkReads.load(Map.of(), file).count()).isEqualTo(100);
    Path zstd = dir.resolve("reads.fastq.zst");
    Files.write(zstd, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0, 0, 0, 0});
    assertThatThrownBy(() -> SparkReads.load(Map.of(), zstd).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Corrupt zstd file " + SparkReads.fileUri(zstd))
                    .contains("Check it with zstd -t."));
    Path xz = dir.resolve("reads.fastq.xz");
    Files.write(xz, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 0});
    assertThatThrownBy(() -> SparkReads.load(Map.of(), xz).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Cannot read " + SparkReads.fileUri(xz) + ": it is xz-compressed")
                    .contains("recompress it with gzip or bgzip"));
  }

  @Test
  void randomBinaryBytes() throws Exception {
    byte[] noise = new byte[50_000];
    new Random(42).nextBytes(noise);
    noise[0] = 'X'; // not a gzip or other magic number
    Path file = dir.resolve("noise.fastq");
    Files.write(file, noise);
    for (String split : List.of("134217728", "4096")) {
      assertThatThrownBy(
              () -> SparkReads.load(Map.of("maxPartitionBytes", split), file).collectAsList())
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains("Malformed FASTQ record in " + SparkReads.fileUri(file))
                      .contains("at byte offset 0: expected '@' at the start of a record"));
    }
    // DROPMALFORMED finds nothing, and says so without failing.
    assertThat(
            SparkReads.load(Map.of("mode", "DROPMALFORMED", "maxPartitionBytes", "4096"), file)
                .count())
        .isZero();
  }

  @Test
  void fileChangedBetweenLoadAndAction() throws Exception {
    Path file = SparkReads.write(dir.resolve("changing.fastq"), GOOD);
    Dataset<Row> df = SparkReads.load(Map.of(), file);
    Files.write(file, (GOOD + GOOD).getBytes(StandardCharsets.US_ASCII));
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThatThrownBy(df::collectAsList)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "File changed since the query was planned: " + SparkReads.fileUri(file))
                    .contains("was " + GOOD.length() + " bytes")
                    .contains("is now " + 2 * GOOD.length() + " bytes")
                    .contains("Load the DataFrame again"));
    // Loading again reads the file as it is now.
    assertThat(SparkReads.load(Map.of(), file).count()).isEqualTo(4);
  }

  @Test
  void fileTouchedBetweenLoadAndActionWithTheSameLength() throws Exception {
    Path file = SparkReads.write(dir.resolve("touched.fastq"), GOOD);
    Dataset<Row> df = SparkReads.load(Map.of(), file);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertThatThrownBy(df::count)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("File changed since the query was planned"));
  }

  @Test
  void fileDeletedBetweenLoadAndAction() throws Exception {
    Path file = SparkReads.write(dir.resolve("deleted.fastq"), GOOD);
    Dataset<Row> df = SparkReads.load(Map.of(), file);
    Files.delete(file);
    assertThatThrownBy(df::collectAsList)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("File not found: " + SparkReads.fileUri(file))
                    .contains("It existed when the query was planned")
                    .contains("ignoreMissingFiles=true"));
    Path other = SparkReads.write(dir.resolve("kept.fastq"), GOOD);
    SparkReads.write(file, GOOD);
    Dataset<Row> two = SparkReads.load(Map.of("ignoreMissingFiles", "true"), file, other);
    Files.delete(file);
    assertThat(two.count()).isEqualTo(2);
  }

  @Test
  void recordLongerThanMaxRecordBytes() throws Exception {
    String longRead = "@long\n" + "A".repeat(5000) + "\n+\n" + "I".repeat(5000) + "\n";
    Path file = SparkReads.write(dir.resolve("long.fastq"), GOOD + longRead + GOOD);
    assertThatThrownBy(() -> SparkReads.load(Map.of("maxRecordBytes", "4k"), file).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("at byte offset " + GOOD.length() + ":")
                    .contains("longer than maxRecordBytes")
                    .contains("raise maxRecordBytes"));
    assertThat(SparkReads.load(Map.of("maxRecordBytes", "16k"), file).count()).isEqualTo(5);
    assertThat(
            SparkReads.load(Map.of("maxRecordBytes", "4k", "mode", "DROPMALFORMED"), file).count())
        .isEqualTo(4);
  }

  @Test
  void ignoreCorruptFilesKeepsReadingOtherFiles() throws Exception {
    Path good = SparkReads.write(dir.resolve("a-good.fastq"), GOOD);
    Path bad = SparkReads.write(dir.resolve("b-bad.fastq"), GOOD + "not fastq at all\n");
    assertThatThrownBy(() -> SparkReads.load(Map.of(), good, bad).collectAsList())
        .satisfies(t -> assertThat(SparkReads.messages(t)).contains(SparkReads.fileUri(bad)));
    // The malformed file's records before the error are kept, as Spark's file sources do.
    List<Row> rows =
        SparkReads.load(Map.of("ignoreCorruptFiles", "true"), good, bad)
            .select("_file", "name")
            .collectAsList();
    assertThat(rows)
        .extracting(
            r ->
                r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1)
                    + " "
                    + r.getString(1))
        .containsExactlyInAnyOrder(
            "a-good.fastq r1", "a-good.fastq r2", "b-bad.fastq r1", "b-bad.fastq r2");
  }

  /** As Spark's file sources: an unchecked exception while opening a file is a corrupt file too. */
  @Test
  void aRuntimeExceptionWhileOpeningHonoursIgnoreCorruptFiles() throws Exception {
    Path good = SparkReads.write(dir.resolve("a-good.fastq"), GOOD);
    Path failing = SparkReads.write(dir.resolve("b-fails-to-open.fastq"), GOOD);
    Map<String, String> fs = Map.of("fs.failfs.impl", FailingFileSystem.class.getName());
    String[] uris = {
      FailingFileSystem.SCHEME + "://" + good.toAbsolutePath(),
      FailingFileSystem.SCHEME + "://" + failing.toAbsolutePath()
    };
    Map<String, String> ignoring = new HashMap<>(fs);
    ignoring.put("ignoreCorruptFiles", "true");
    // Planned (files listed and inspected) while the file opens; the tasks then fail to open it.
    Dataset<Row> strict = SparkReads.reader(fs).load(uris).select("name");
    Dataset<Row> lenient = SparkReads.reader(ignoring).load(uris).select("name");
    assertThat(strict.rdd().getNumPartitions()).isPositive();
    assertThat(lenient.rdd().getNumPartitions()).isPositive();
    FailingFileSystem.failing = "fails-to-open";
    try {
      assertThatThrownBy(strict::collectAsList)
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains("simulated failure opening b-fails-to-open.fastq"));
      assertThat(lenient.collectAsList())
          .extracting(r -> r.getString(0))
          .containsExactlyInAnyOrder("r1", "r2");
    } finally {
      FailingFileSystem.failing = null;
    }
  }
}
