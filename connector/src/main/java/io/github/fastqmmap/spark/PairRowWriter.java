/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.open.Mate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;

/**
 * Lays out a pair's row by hand when every column is one of the pair's own strings ({@code name},
 * {@code comment1}, {@code sequence1}, {@code quality1}, {@code comment2}, {@code sequence2},
 * {@code quality2}), as {@code FastqRowWriter.writePlain} does for single reads: the same bytes as
 * {@code UnsafeRowWriter} writes (fields in column order, each padded with zeros to a word), with
 * one size check per row instead of one per field and short fields copied a word at a time, with no
 * call per field into Spark's writer. Spark copies a row it keeps, so one buffer serves every row.
 * Other columns (metadata, {@code _corrupt_record}) take {@code FastqRowWriter.writePair}.
 */
final class PairRowWriter {

  private final FastqColumn[] columns;
  private final ReadCounters counters;
  private final UnsafeRow row;
  private final int fixedSize;
  private byte[] buffer;

  private PairRowWriter(FastqColumn[] columns, ReadCounters counters) {
    this.columns = columns;
    this.counters = counters;
    this.row = new UnsafeRow(columns.length);
    this.fixedSize = UnsafeRow.calculateBitSetWidthInBytes(columns.length) + 8 * columns.length;
    this.buffer = new byte[fixedSize + 1024];
  }

  /**
   * Whether every column is one of the pair's own strings (and there is at least one): the columns
   * this writer lays out by hand, and that pairs' column batches hold ({@link ColumnarRead}).
   */
  static boolean ownStrings(FastqColumn[] columns) {
    if (columns.length == 0 || columns.length > 64) {
      return false;
    }
    for (FastqColumn c : columns) {
      switch (c) {
        case NAME, COMMENT1, SEQUENCE1, QUALITY1, COMMENT2, SEQUENCE2, QUALITY2 -> {}
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  /** A writer for these columns, or null when one of them is not a pair's own string. */
  static PairRowWriter forColumns(FastqColumn[] columns, ReadCounters counters) {
    return ownStrings(columns) ? new PairRowWriter(columns, counters) : null;
  }

  /** The row of a well-formed pair: its name is mate 1's without a trailing /1 or /2. */
  InternalRow write(Mate m1, Mate m2) {
    FastqColumn[] cols = columns;
    int n = cols.length;
    long size = fixedSize;
    for (int i = 0; i < n; i++) {
      size +=
          ByteArrayMethods.roundNumberOfBytesToNearestWord(Math.max(0, length(cols[i], m1, m2)));
    }
    if (size > Integer.MAX_VALUE - 15) {
      throw new UnsupportedOperationException(
          "Cannot create a row of " + size + " bytes: a Spark row holds at most 2 GiB");
    }
    byte[] buf = buffer;
    if (buf.length < size) {
      buf =
          buffer =
              new byte[(int) Math.min(Integer.MAX_VALUE - 15, Math.max(size, 2L * buf.length))];
    }
    long base = Platform.BYTE_ARRAY_OFFSET;
    long nullBits = 0;
    int cursor = fixedSize;
    long values = 0;
    int slot = UnsafeRow.calculateBitSetWidthInBytes(n);
    for (int i = 0; i < n; i++, slot += 8) {
      int length;
      switch (cols[i]) {
        case NAME:
          length = m1.pairNameLength();
          FastqRowWriter.copy(m1.nameBase(), m1.nameOffset(), buf, cursor, length);
          break;
        case COMMENT1:
        case COMMENT2:
          Mate m = cols[i] == FastqColumn.COMMENT1 ? m1 : m2;
          length = m.commentLength();
          if (length < 0) {
            nullBits |= 1L << i;
            Platform.putLong(buf, base + slot, 0L);
            continue;
          }
          FastqRowWriter.copy(m.commentBase(), m.commentOffset(), buf, cursor, length);
          break;
        case SEQUENCE1:
          length = m1.sequenceLength();
          FastqRowWriter.copy(m1.sequenceBase(), m1.sequenceOffset(), buf, cursor, length);
          break;
        case QUALITY1:
          length = m1.qualityLength();
          FastqRowWriter.copy(m1.qualityBase(), m1.qualityOffset(), buf, cursor, length);
          break;
        case SEQUENCE2:
          length = m2.sequenceLength();
          FastqRowWriter.copy(m2.sequenceBase(), m2.sequenceOffset(), buf, cursor, length);
          break;
        case QUALITY2:
          length = m2.qualityLength();
          FastqRowWriter.copy(m2.qualityBase(), m2.qualityOffset(), buf, cursor, length);
          break;
        default:
          throw new AssertionError(cols[i]);
      }
      Platform.putLong(buf, base + slot, ((long) cursor << 32) | length);
      cursor += ByteArrayMethods.roundNumberOfBytesToNearestWord(length);
      values += length;
    }
    // At most seven columns: one word of null bits.
    Platform.putLong(buf, base, nullBits);
    counters.valueBytes += values;
    row.pointTo(buf, cursor);
    return row;
  }

  /** A column's value length in this pair, -1 for a null comment. */
  private static int length(FastqColumn c, Mate m1, Mate m2) {
    switch (c) {
      case NAME:
        return m1.pairNameLength();
      case COMMENT1:
        return m1.commentLength();
      case SEQUENCE1:
        return m1.sequenceLength();
      case QUALITY1:
        return m1.qualityLength();
      case COMMENT2:
        return m2.commentLength();
      case SEQUENCE2:
        return m2.sequenceLength();
      default:
        return m2.qualityLength();
    }
  }
}
