/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.MemoryByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * Rows of the record's strings are laid out by hand ({@code writePlain}): they must hold the same
 * bytes, padding included, as Spark's {@code UnsafeRowWriter} writes on the general path, for every
 * field length around a word and every column order.
 */
class FastqRowWriterTest {
  private static final UTF8String FILE = UTF8String.fromString("file:/t.fastq");

  private static final FastqColumn[][] COLUMN_SETS = {
    {FastqColumn.NAME, FastqColumn.COMMENT, FastqColumn.SEQUENCE, FastqColumn.QUALITY},
    {FastqColumn.QUALITY, FastqColumn.SEQUENCE, FastqColumn.COMMENT, FastqColumn.NAME},
    {FastqColumn.SEQUENCE},
    {FastqColumn.COMMENT},
    {FastqColumn.NAME, FastqColumn.QUALITY},
    // In the schema's order with the comment's null bit second (straight-line path), and out of
    // order with it second too (the loop over kinds).
    {FastqColumn.NAME, FastqColumn.COMMENT, FastqColumn.QUALITY},
    {FastqColumn.SEQUENCE, FastqColumn.COMMENT},
  };

  /** Records whose names, comments and sequences take 0 to 20 bytes, some with CRLF or a tab. */
  private static String fastq() {
    StringBuilder s = new StringBuilder();
    String bases = "ACGTNACGTTGCAACGTACGTAGCT";
    String quals = "IIII#FFF:,,FF!~~IIII;;;II";
    for (int n = 0; n <= 20; n++) {
      String name = "r".repeat(n + 1);
      String comment =
          n % 3 == 0 ? "" : (n % 3 == 1 ? " " : "\t") + "1:N:0:".substring(0, Math.min(6, n));
      String eol = n % 5 == 4 ? "\r\n" : "\n";
      s.append('@').append(name).append(comment).append(eol);
      s.append(bases, 0, n).append(eol).append('+').append(eol);
      s.append(quals, 0, n).append(eol);
    }
    return s.toString();
  }

  private static List<String> rows(
      ParseOptions options, String text, FastqColumn[] cols, boolean plain) throws IOException {
    ReadCounters counters = new ReadCounters();
    FastqRowWriter writer = new FastqRowWriter(cols, null, counters, plain);
    List<String> out = new ArrayList<>();
    byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
    try (RecordReader reader =
        new RecordReader(
            new MemoryByteSource("t", data, 64, true),
            0,
            data.length,
            options,
            new ParseCounters())) {
      while (reader.next()) {
        FastqRecord r = reader.record();
        InternalRow row = writer.write(r, FILE);
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < cols.length; i++) {
          fields.append(row.isNullAt(i) ? "null" : row.getUTF8String(i).toString()).append('|');
        }
        byte[] bytes = ((UnsafeRow) row).getBytes();
        out.add(fields + " " + java.util.Arrays.toString(bytes));
      }
    }
    out.add("valueBytes=" + counters.valueBytes);
    return out;
  }

  @Test
  void plainRowsHoldTheGeneralPathsBytes() throws IOException {
    String text = fastq();
    for (FastqColumn[] cols : COLUMN_SETS) {
      List<String> plain = rows(ParseOptions.defaults(), text, cols, true);
      assertThat(plain).hasSize(22).isEqualTo(rows(ParseOptions.defaults(), text, cols, false));
    }
    // One row checked by value: a name, a comment after a tab, the sequence and its quality.
    assertThat(rows(ParseOptions.defaults(), text, COLUMN_SETS[0], true).get(5))
        .startsWith("rrrrrr|1:N:0|ACGTN|IIII#| ");
    assertThat(rows(ParseOptions.defaults(), text, COLUMN_SETS[0], true).get(3))
        .startsWith("rrrr|null|ACG|III| ");
  }

  @Test
  void plainRowsOfWrappedAndConvertedRecordsHoldTheGeneralPathsBytes() throws IOException {
    String wrapped = "@a b\nACGTACGTAC\nGTACG\n+\nIIIIIIIIII\nIIIII\n@c\nAC\n+\n!!\n";
    ParseOptions multiLine = ParseOptions.builder().multiLine(true).build();
    ParseOptions phred64 = ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build();
    String text64 = "@a b\nACGTACGTACGT\n+\nhhhhhhhhhhhh\n@c\nAC\n+\n@@\n";
    for (FastqColumn[] cols : COLUMN_SETS) {
      assertThat(rows(multiLine, wrapped, cols, true))
          .isEqualTo(rows(multiLine, wrapped, cols, false));
      assertThat(rows(phred64, text64, cols, true)).isEqualTo(rows(phred64, text64, cols, false));
    }
    assertThat(rows(multiLine, wrapped, COLUMN_SETS[0], true).get(0))
        .startsWith("a|b|ACGTACGTACGTACG|IIIIIIIIIIIIIII| ");
    assertThat(rows(phred64, text64, COLUMN_SETS[0], true).get(0))
        .startsWith("a|b|ACGTACGTACGT|IIIIIIIIIIII| ");
  }
}
