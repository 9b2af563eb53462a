/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.FastqSyntax;
import io.github.fastqmmap.parse.QualityEncoding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns rows with {@code name}, {@code sequence}, {@code quality} and optionally {@code comment}
 * (or one mate of a paired row: {@code name}, {@code sequence1}, {@code quality1}, {@code
 * comment1}, or the same with 2) into four-line FASTQ records, checking that each reads back
 * unchanged under strict validation: no null name, sequence or quality, no line end in any value,
 * no space or tab in a name, a comment that does not start with one, sequence bases and Phred+33
 * quality characters as {@link FastqSyntax} defines them, equal lengths. Other columns are ignored.
 * A row that fails is named in the error.
 */
final class FastqRowFormat {
  static final String NAME = "name";
  static final String COMMENT = "comment";
  static final String SEQUENCE = "sequence";
  static final String QUALITY = "quality";

  private static final byte[] PLUS_LINE = {'\n', FastqSyntax.SEPARATOR, '\n'};

  /** Output is always Phred+33; other encodings are converted on read. */
  private static final QualityEncoding OUTPUT_QUALITY = QualityEncoding.PHRED33;

  private final int name;
  private final int comment;
  private final int sequence;
  private final int quality;

  /** Written after the name ({@code /1}, {@code /2}); empty for none. */
  private final byte[] nameSuffix;

  /** Starts the reason of an error about a mate ("mate 2: "); empty for single reads. */
  private final String mate;

  private FastqRowFormat(
      int name, int comment, int sequence, int quality, byte[] nameSuffix, String mate) {
    this.name = name;
    this.comment = comment;
    this.sequence = sequence;
    this.quality = quality;
    this.nameSuffix = nameSuffix;
    this.mate = mate;
  }

  /**
   * The format for rows of {@code schema}: the columns are found by name (case-insensitively, as
   * Spark resolves them) and must be strings.
   */
  static FastqRowFormat of(StructType schema) {
    return new FastqRowFormat(
        ordinal(schema, NAME, true),
        ordinal(schema, COMMENT, false),
        ordinal(schema, SEQUENCE, true),
        ordinal(schema, QUALITY, true),
        new byte[0],
        "");
  }

  /**
   * Whether rows of {@code schema} are pairs, as a {@code paired=true} read returns them: columns
   * {@code sequence1} and {@code sequence2}, and no {@code sequence}.
   */
  static boolean isPaired(StructType schema) {
    return has(schema, SEQUENCE + 1) && has(schema, SEQUENCE + 2) && !has(schema, SEQUENCE);
  }

  private static boolean has(StructType schema, String column) {
    for (String field : schema.fieldNames()) {
      if (field.equalsIgnoreCase(column)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The two mates of paired rows: {@code name} shared, {@code comment1}, {@code sequence1}, {@code
   * quality1} for the first ({@code comment1} optional), the same with 2 for the second.
   *
   * @param suffixes write the names as {@code name/1} and {@code name/2}
   */
  static FastqRowFormat[] mates(StructType schema, boolean suffixes) {
    int name = pairedOrdinal(schema, NAME, true);
    FastqRowFormat[] mates = new FastqRowFormat[2];
    for (int m = 1; m <= 2; m++) {
      mates[m - 1] =
          new FastqRowFormat(
              name,
              pairedOrdinal(schema, COMMENT + m, false),
              pairedOrdinal(schema, SEQUENCE + m, true),
              pairedOrdinal(schema, QUALITY + m, true),
              suffixes ? ("/" + m).getBytes(StandardCharsets.US_ASCII) : new byte[0],
              "mate " + m + ": ");
    }
    return mates;
  }

  private static int pairedOrdinal(StructType schema, String column, boolean required) {
    if (!required || has(schema, column)) {
      return ordinal(schema, column, required);
    }
    throw new IllegalArgumentException(
        "fastq-mmap writes pairs from the columns name, sequence1, quality1, sequence2, quality2"
            + " and (optionally) comment1, comment2, as a paired read returns them, and the"
            + " DataFrame has no column '"
            + column
            + "'. Its columns are "
            + String.join(", ", schema.fieldNames())
            + ".");
  }

  private static int ordinal(StructType schema, String column, boolean required) {
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equalsIgnoreCase(column)) {
        DataType type = fields[i].dataType();
        if (!type.sameType(DataTypes.StringType)) {
          throw new IllegalArgumentException(
              "fastq-mmap writes the column '"
                  + fields[i].name()
                  + "' as text and needs it to be a string, but it is "
                  + type.simpleString()
                  + "; cast it first.");
        }
        return i;
      }
    }
    if (required) {
      throw new IllegalArgumentException(
          "fastq-mmap writes FASTQ from the columns name, sequence, quality and (optionally)"
              + " comment, and the DataFrame has no column '"
              + column
              + "'. Its columns are "
              + String.join(", ", schema.fieldNames())
              + ".");
    }
    return -1;
  }

  /** Writes one record; {@code row} is named by {@code rowNumber} (from 1) and {@code task}. */
  void write(InternalRow row, long rowNumber, int task, OutputStream out) throws IOException {
    check(row, rowNumber, task);
    emit(row, out);
  }

  /**
   * Fails, naming {@code row} by {@code rowNumber} (from 1) and {@code task}, if its record cannot
   * be written or would not read back unchanged.
   */
  void check(InternalRow row, long rowNumber, int task) {
    UTF8String n = row.isNullAt(name) ? null : row.getUTF8String(name);
    if (n == null) {
      throw unwritable(rowNumber, task, null, "the name is null");
    }
    UTF8String c = comment < 0 || row.isNullAt(comment) ? null : row.getUTF8String(comment);
    UTF8String s = row.isNullAt(sequence) ? null : row.getUTF8String(sequence);
    UTF8String q = row.isNullAt(quality) ? null : row.getUTF8String(quality);
    if (s == null) {
      throw unwritable(rowNumber, task, n, "the sequence is null");
    }
    if (q == null) {
      throw unwritable(rowNumber, task, n, "the quality is null");
    }
    int bad = firstNameBreaker(n);
    if (bad >= 0) {
      throw unwritable(
          rowNumber,
          task,
          n,
          "the name holds "
              + FastqSyntax.describeByte(byteAt(n, bad))
              + at(bad)
              + ", and a name ends at the first space or tab (it would not read back)");
    }
    if (c != null) {
      bad = firstLineEnd(c);
      if (bad >= 0) {
        throw unwritable(
            rowNumber,
            task,
            n,
            "the comment holds the line end " + FastqSyntax.describeByte(byteAt(c, bad)) + at(bad));
      }
      if (c.numBytes() > 0 && FastqSyntax.isNameBreaker(byteAt(c, 0))) {
        throw unwritable(
            rowNumber, task, n, "the comment starts with a space or tab (it would not read back)");
      }
    }
    bad = firstNonBase(s);
    if (bad >= 0) {
      throw unwritable(rowNumber, task, n, FastqSyntax.badBase(byteAt(s, bad), at(bad)));
    }
    bad = firstNonQuality(q);
    if (bad >= 0) {
      throw unwritable(
          rowNumber, task, n, FastqSyntax.badQuality(byteAt(q, bad), at(bad), OUTPUT_QUALITY));
    }
    if (s.numBytes() != q.numBytes()) {
      throw unwritable(
          rowNumber,
          task,
          n,
          "the quality has " + q.numBytes() + " characters but the sequence has " + s.numBytes());
    }
  }

  /** Writes the record of a row that passed {@link #check}. */
  void emit(InternalRow row, OutputStream out) throws IOException {
    UTF8String c = comment < 0 || row.isNullAt(comment) ? null : row.getUTF8String(comment);
    out.write(FastqSyntax.HEADER);
    row.getUTF8String(name).writeTo(out);
    out.write(nameSuffix);
    if (c != null && c.numBytes() > 0) {
      out.write(' ');
      c.writeTo(out);
    }
    out.write('\n');
    row.getUTF8String(sequence).writeTo(out);
    out.write(PLUS_LINE);
    row.getUTF8String(quality).writeTo(out);
    out.write('\n');
  }

  private IllegalArgumentException unwritable(
      long rowNumber, int task, UTF8String name, String why) {
    return new IllegalArgumentException(
        "Cannot write row "
            + rowNumber
            + " of write task "
            + task
            + (name == null ? "" : " (read '" + printable(name) + "')")
            + " as FASTQ: "
            + mate
            + why
            + ". Fix or filter such rows before writing; nothing of this write is committed.");
  }

  private static byte byteAt(UTF8String s, int i) {
    return Platform.getByte(s.getBaseObject(), s.getBaseOffset() + i);
  }

  private static String at(int offset) {
    return " at byte offset " + offset;
  }

  // FastqSyntax's and the encoding's rules, on a UTF8String's bytes in place.

  private static int firstNameBreaker(UTF8String s) {
    return FastqSyntax.firstNameEnd(s.getBaseObject(), s.getBaseOffset(), s.numBytes());
  }

  private static int firstLineEnd(UTF8String s) {
    return FastqSyntax.firstLineEnd(s.getBaseObject(), s.getBaseOffset(), s.numBytes());
  }

  private static int firstNonBase(UTF8String s) {
    return FastqSyntax.firstNonBase(s.getBaseObject(), s.getBaseOffset(), s.numBytes());
  }

  private static int firstNonQuality(UTF8String s) {
    return OUTPUT_QUALITY.firstRejected(s.getBaseObject(), s.getBaseOffset(), s.numBytes());
  }

  private static String printable(UTF8String s) {
    String text = s.toString();
    if (text.length() > 60) {
      text = text.substring(0, 60) + "...";
    }
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
