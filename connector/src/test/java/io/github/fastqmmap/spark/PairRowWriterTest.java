/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.open.PairReader;
import io.github.fastqmmap.parse.ParseOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pair rows of the pair's strings are laid out by hand ({@link PairRowWriter}): they must hold the
 * same bytes, padding included, as {@code FastqRowWriter.writePair} writes through Spark's {@code
 * UnsafeRowWriter}, for every field length around a word, names with and without /1 /2, mates with
 * and without comments, in every column order; from mapped files (native fields) and from an
 * interleaved file (mate 1 copied to the heap).
 */
class PairRowWriterTest {
  private static final UTF8String FILE = UTF8String.fromString("file:/t.fastq");

  private static final FastqColumn[][] COLUMN_SETS = {
    {
      FastqColumn.NAME,
      FastqColumn.COMMENT1,
      FastqColumn.SEQUENCE1,
      FastqColumn.QUALITY1,
      FastqColumn.COMMENT2,
      FastqColumn.SEQUENCE2,
      FastqColumn.QUALITY2
    },
    {FastqColumn.QUALITY2, FastqColumn.NAME, FastqColumn.SEQUENCE1, FastqColumn.COMMENT2},
    {FastqColumn.SEQUENCE2},
    {FastqColumn.COMMENT1},
    {FastqColumn.NAME},
  };

  @TempDir Path dir;

  /** Mate {@code mate}'s records: names, comments and sequences of 0 to 20 bytes. */
  private static String mates(int mate) {
    StringBuilder s = new StringBuilder();
    String bases = "ACGTNACGTTGCAACGTACGTAGCT";
    String quals = "IIII#FFF:,,FF!~~IIII;;;II";
    for (int n = 0; n <= 20; n++) {
      String name = "r".repeat(n + 1) + (n % 4 == 1 ? "/" + mate : "");
      String comment = (n + mate) % 3 == 0 ? "" : " " + mate + ":N:0:".substring(0, n % 6);
      int length = mate == 1 ? n : 20 - n;
      s.append('@').append(name).append(comment).append('\n');
      s.append(bases, 0, length).append("\n+\n");
      s.append(quals, 0, length).append('\n');
    }
    return s.toString();
  }

  private static List<String> rows(PairReader pairs, FastqColumn[] cols, boolean byHand)
      throws IOException {
    ReadCounters counters = new ReadCounters();
    FastqRowWriter general = new FastqRowWriter(cols, null, counters);
    PairRowWriter plain = PairRowWriter.forColumns(cols, counters);
    assertThat(plain).isNotNull();
    List<String> out = new ArrayList<>();
    try (pairs) {
      while (pairs.next()) {
        InternalRow row =
            byHand
                ? plain.write(pairs.first(), pairs.second())
                : general.writePair(pairs.first(), pairs.second(), FILE);
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < cols.length; i++) {
          fields.append(row.isNullAt(i) ? "null" : row.getUTF8String(i).toString()).append('|');
        }
        out.add(fields + " " + Arrays.toString(((UnsafeRow) row).getBytes()));
      }
    }
    out.add("valueBytes=" + counters.valueBytes);
    return out;
  }

  @Test
  void handLaidPairRowsHoldTheGeneralPathsBytes() throws IOException {
    Path r1 = Files.writeString(dir.resolve("s_R1.fastq"), mates(1), StandardCharsets.US_ASCII);
    Path r2 = Files.writeString(dir.resolve("s_R2.fastq"), mates(2), StandardCharsets.US_ASCII);
    StringBuilder interleaved = new StringBuilder();
    // Empty sequences make empty lines: keep them (-1), the last element is the text after the
    // final newline.
    String[] a = mates(1).split("\n", -1);
    String[] b = mates(2).split("\n", -1);
    for (int i = 0; i + 4 <= a.length; i += 4) {
      for (String[] m : new String[][] {a, b}) {
        interleaved.append(String.join("\n", Arrays.copyOfRange(m, i, i + 4))).append('\n');
      }
    }
    Path il =
        Files.writeString(
            dir.resolve("s.fastq"), interleaved.toString(), StandardCharsets.US_ASCII);
    for (FastqColumn[] cols : COLUMN_SETS) {
      List<String> byHand = rows(PairReader.open(r1, r2), cols, true);
      assertThat(byHand).hasSize(22).isEqualTo(rows(PairReader.open(r1, r2), cols, false));
      assertThat(rows(PairReader.interleaved(il, ParseOptions.defaults(), true), cols, true))
          .isEqualTo(byHand);
      assertThat(rows(PairReader.interleaved(il, ParseOptions.defaults(), true), cols, false))
          .isEqualTo(byHand);
    }
    // Rows checked by value: the name without its /1, comments, null comments, empty sequences.
    List<String> all = rows(PairReader.open(r1, r2), COLUMN_SETS[0], true);
    assertThat(all.get(1)).startsWith("rr|1:|A|I|null|ACGTNACGTTGCAACGTAC|IIII#FFF:,,FF!~~III| ");
    assertThat(all.get(0)).startsWith("r|1|||2|ACGTNACGTTGCAACGTACG|IIII#FFF:,,FF!~~IIII| ");
  }

  @Test
  void otherColumnsTakeTheGeneralPath() {
    ReadCounters counters = new ReadCounters();
    assertThat(PairRowWriter.forColumns(new FastqColumn[0], counters)).isNull();
    assertThat(
            PairRowWriter.forColumns(
                new FastqColumn[] {FastqColumn.NAME, FastqColumn.ORDINAL}, counters))
        .isNull();
    assertThat(
            PairRowWriter.forColumns(
                new FastqColumn[] {FastqColumn.SEQUENCE1, FastqColumn.CORRUPT_RECORD}, counters))
        .isNull();
  }
}
