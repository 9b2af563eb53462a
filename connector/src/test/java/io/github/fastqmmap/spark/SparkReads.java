/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Shared plumbing of the Spark-level tests: reading with options, turning rows back into {@link
 * Read}s (the reference parser's record type, so lists compare with one {@code equals}), writing
 * files byte for byte, and flattening Spark's wrapped errors into one searchable text.
 */
public final class SparkReads {
  /** The columns that make up a {@link Read}, with the record's byte offset. */
  public static final String[] READ_COLUMNS = {"name", "comment", "sequence", "quality", "_offset"};

  private SparkReads() {}

  public static SparkSession spark() {
    return SparkTestSession.get();
  }

  /** {@code spark.read().format("fastq-mmap")} with the given options. */
  public static DataFrameReader reader(Map<String, String> options) {
    return spark().read().format(FastqDataSource.SHORT_NAME).options(options);
  }

  /** Loads paths with options. */
  public static Dataset<Row> load(Map<String, String> options, Path... paths) {
    String[] strings = new String[paths.length];
    for (int i = 0; i < paths.length; i++) {
      strings[i] = paths[i].toString();
    }
    return reader(options).load(strings);
  }

  /** The records of a DataFrame, in collection order. */
  public static List<Read> reads(Dataset<Row> df) {
    List<Read> out = new ArrayList<>();
    for (Row r : df.selectExpr(READ_COLUMNS).collectAsList()) {
      out.add(toRead(r, 0));
    }
    return out;
  }

  /** The records of a DataFrame grouped by {@code _file}, each group in collection order. */
  public static Map<String, List<Read>> readsByFile(Dataset<Row> df) {
    Map<String, List<Read>> out = new LinkedHashMap<>();
    for (Row r :
        df.selectExpr("_file", "name", "comment", "sequence", "quality", "_offset")
            .collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(toRead(r, 1));
    }
    return out;
  }

  private static Read toRead(Row r, int from) {
    return new Read(
        r.getLong(from + 4),
        r.getString(from),
        r.isNullAt(from + 1) ? null : r.getString(from + 1),
        r.getString(from + 2),
        r.getString(from + 3));
  }

  /** The {@code _file} value of a local file: its absolute {@code file:///} URI. */
  public static String fileUri(Path file) {
    return file.toAbsolutePath().normalize().toUri().toString();
  }

  /** Writes text one byte per character (ISO-8859-1), so any byte can be written. */
  public static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
    return file;
  }

  /**
   * Every message of an exception and its causes, joined: Spark wraps task failures in {@code
   * SparkException}s whose own message may or may not repeat the cause's.
   */
  public static String messages(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      s.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return s.toString();
  }

  /**
   * Asserts that two record lists are equal, reporting the first difference (the lists may hold
   * thousands of records, too many for a readable whole-list diff).
   */
  public static void assertSameReads(List<Read> actual, List<Read> expected, String what) {
    int n = Math.min(actual.size(), expected.size());
    for (int i = 0; i < n; i++) {
      if (!actual.get(i).equals(expected.get(i))) {
        throw new AssertionError(
            what
                + ": record "
                + i
                + " differs\n  expected "
                + expected.get(i)
                + "\n  actual   "
                + actual.get(i)
                + (i > 0 ? "\n  previous " + expected.get(i - 1) : ""));
      }
    }
    if (actual.size() != expected.size()) {
      throw new AssertionError(
          what
              + ": expected "
              + expected.size()
              + " records, got "
              + actual.size()
              + (actual.size() > n
                  ? "; first extra " + actual.get(n)
                  : "; first missing " + expected.get(n)));
    }
  }
}
