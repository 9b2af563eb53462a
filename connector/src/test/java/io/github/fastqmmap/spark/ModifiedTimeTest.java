/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modifiedBefore} and {@code modifiedAfter} choose the same files as they do for Spark's own
 * text source on the same folder, in every time zone, and a bad timestamp fails with Spark's error.
 */
class ModifiedTimeTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeFiles() throws Exception {
    write("old.fastq", "2020-01-01T00:00:00Z");
    write("mid.fastq", "2022-01-01T10:00:00Z");
    write("new.fastq", "2024-06-30T23:30:00Z");
  }

  private static void write(String name, String modified) throws Exception {
    Path file = SparkReads.write(dir.resolve(name), "@" + name + "\nACGT\n+\nIIII\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse(modified)));
  }

  /** The files fastq-mmap reads with these options, by record name. */
  private static List<String> fastq(Map<String, String> options) {
    return SparkReads.load(options, dir).select("name").collectAsList().stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  /** The files Spark's text source reads with the same options. */
  private static List<String> text(Map<String, String> options) {
    Dataset<Row> lines =
        SparkReads.spark().read().options(options).format("text").load(dir.toString());
    return lines.where("value LIKE '@%'").collectAsList().stream()
        .map(r -> r.getString(0).substring(1))
        .sorted()
        .toList();
  }

  private static Map<String, String> options(String... keysAndValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  @Test
  void sameFilesAsSparksTextSource() {
    List<Map<String, String>> cases =
        List.of(
            options("modifiedBefore", "2022-01-01T00:00:00", "timeZone", "UTC"),
            options("modifiedAfter", "2022-01-01T00:00:00", "timeZone", "UTC"),
            options(
                "modifiedAfter", "2021-01-01T00:00:00",
                "modifiedBefore", "2023-01-01T00:00:00",
                "timeZone", "UTC"),
            // Around mid.fastq's 10:00 UTC, where the time zone decides.
            options("modifiedBefore", "2022-01-01T05:00:00", "timeZone", "UTC"),
            options("modifiedBefore", "2022-01-01T05:00:00", "timeZone", "America/Los_Angeles"),
            options("modifiedAfter", "2022-01-01T05:00:00", "timeZone", "Asia/Tokyo"),
            options("modifiedBefore", "2022-01-01T05:00:00"));
    for (Map<String, String> o : cases) {
      assertThat(fastq(o)).as(o.toString()).isEqualTo(text(o));
    }
    assertThat(fastq(cases.get(0))).containsExactly("old.fastq");
    assertThat(fastq(cases.get(2))).containsExactly("mid.fastq");
  }

  @Test
  void aFileNamedDirectlyIsFilteredToo() {
    Map<String, String> o = options("modifiedAfter", "2023-01-01T00:00:00", "timeZone", "UTC");
    assertThat(SparkReads.load(o, dir.resolve("new.fastq"), dir.resolve("old.fastq")).count())
        .isEqualTo(1);
  }

  @Test
  void noFileLeftSaysWhy() {
    assertThatThrownBy(
            () ->
                SparkReads.load(
                    options("modifiedBefore", "2000-01-01T00:00:00", "timeZone", "UTC"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "No FASTQ files found in ["
                + dir
                + "] modified before 2000-01-01T00:00:00. Names starting with '_' or '.' are"
                + " skipped, and so are subdirectories unless recursiveFileLookup=true.");
  }

  @Test
  void badTimestampFailsWithSparksMessage() {
    String sparks =
        SparkReads.messages(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> text(options("modifiedBefore", "2022-13-45"))));
    Throwable ours =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> fastq(options("modifiedBefore", "2022-13-45")));
    assertThat(ours).isNotNull();
    assertThat(ours.getMessage()).contains("modifiedbefore").contains("2022-13-45");
    assertThat(sparks).contains(ours.getMessage());
  }
}
