/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.parse.FastqRecord;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The columnar counterpart of {@link FastqRowWriter}: puts the requested fields of each record into
 * the columns of one {@link ColumnarBatch}, reused from batch to batch; a field in a copied window
 * is pointed at where it lies (the window is held until the next batch), any other is copied
 * ({@link BytesVector}). Values are the row writer's, field for field (the same nulls in a
 * malformed record's row, the same {@code _ordinal} rule, the same value bytes counted). A batch
 * ends at {@link #MAX_ROWS} rows or once its values reach {@link #MAX_BYTES}, so long reads keep it
 * small, and never spans two ranges: the range's columns ({@code _file}, {@code _metadata},
 * partition columns) are constants.
 */
final class FastqBatchWriter implements AutoCloseable {
  /** Rows of a batch at most: Spark's own columnar readers' default. */
  static final int MAX_ROWS = 4096;

  /** Value bytes after which a batch ends (a record is never split, so one may hold more). */
  static final long MAX_BYTES = 4L << 20;

  private final FastqColumn[] columns;
  private final ReadCounters counters;
  private final FastqVector[] vectors;

  /** Each column's vector when it holds strings, longs or range constants; else null. */
  private final BytesVector[] strings;

  private final LongsVector[] longs;
  private final RangeConstantVector[] constants;
  private final ColumnarBatch batch;

  /**
   * When every column is one of the record's strings, each one's vector (null when not read): such
   * rows are written by straight-line code ({@link #writePlain}), as {@link FastqRowWriter} does.
   */
  private final boolean plain;

  private final BytesVector names;
  private final BytesVector comments;
  private final BytesVector sequences;
  private final BytesVector qualities;

  /** The current record's (or pair's mate 1's) Illumina header, parsed by the reader, or null. */
  private IlluminaHeader illumina;

  /** The current pair's mate 2's Illumina header, parsed by the reader, or null. */
  private IlluminaHeader illumina2;

  private int rows;
  private long bytes;

  /** The next row's {@code _ordinal}, set by the reader as for the row writer. */
  private long ordinal;

  /**
   * Whether batches of {@code columns} hold most bytes of every record they read: the sequence and
   * the quality (of both mates, for pairs), about five sixths of a 150 bp record and nearly all of
   * a long read's. Such batches read copied windows ({@link
   * io.github.fastqmmap.mmap.BufferHold#BufferHold(boolean)}). Measured on 1 GiB of 150 bp reads in
   * one JVM, copied against mapped windows: all four columns 5 to 18% faster in every warm
   * page-cache state, name, sequence and quality 9%, sequence and quality 2%; the sequence alone 12
   * to 16% slower (docs/measurements/page-cache.md, "Column batches copy windows").
   */
  static boolean valuesFillRecords(FastqColumn[] columns) {
    Set<FastqColumn> set = EnumSet.noneOf(FastqColumn.class);
    set.addAll(Arrays.asList(columns));
    return set.containsAll(EnumSet.of(FastqColumn.SEQUENCE, FastqColumn.QUALITY))
        || set.containsAll(
            EnumSet.of(
                FastqColumn.SEQUENCE1,
                FastqColumn.QUALITY1,
                FastqColumn.SEQUENCE2,
                FastqColumn.QUALITY2));
  }

  FastqBatchWriter(
      FastqColumn[] columns, PartitionColumns partitionColumns, ReadCounters counters) {
    this.columns = columns;
    this.counters = counters;
    this.vectors = new FastqVector[columns.length];
    this.strings = new BytesVector[columns.length];
    this.longs = new LongsVector[columns.length];
    this.constants = new RangeConstantVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      FastqColumn c = columns[i];
      switch (c.ofMate()) { // a mate's header column is held as the single-read one
        case FILE:
          vectors[i] = constants[i] = new RangeConstantVector(c.type(), 0);
          break;
        case METADATA:
          vectors[i] = constants[i] = new RangeConstantVector(c.type(), -1);
          break;
        case PARTITION:
          vectors[i] =
              constants[i] =
                  new RangeConstantVector(partitionColumns.type(i), partitionColumns.ordinal(i));
          break;
        case OFFSET:
        case ORDINAL:
        case RUN:
        case LANE:
        case TILE:
        case X:
        case Y:
        case READ:
        case FILTERED:
        case CONTROL:
          vectors[i] = longs[i] = new LongsVector(c.type(), MAX_ROWS);
          break;
        case NAME:
        case COMMENT:
        case SEQUENCE:
        case QUALITY:
        case CORRUPT_RECORD:
        case INSTRUMENT:
        case FLOWCELL:
        case INDEX:
        case COMMENT1:
        case SEQUENCE1:
        case QUALITY1:
        case COMMENT2:
        case SEQUENCE2:
        case QUALITY2:
          vectors[i] = strings[i] = new BytesVector(MAX_ROWS);
          break;
        default:
          throw new AssertionError(c); // refused by covers()
      }
    }
    this.batch = new ColumnarBatch(vectors, 0);
    boolean onlyStrings = true;
    BytesVector[] byKind = new BytesVector[4];
    for (int i = 0; i < columns.length; i++) {
      int kind = recordKind(columns[i]);
      if (kind < 0 || byKind[kind] != null) {
        onlyStrings = false; // another column, or a record column read twice
      } else {
        byKind[kind] = strings[i];
      }
    }
    this.plain = onlyStrings;
    this.names = byKind[0];
    this.comments = byKind[1];
    this.sequences = byKind[2];
    this.qualities = byKind[3];
  }

  /** 0 to 3 for name, comment, sequence, quality; -1 for any other column. */
  private static int recordKind(FastqColumn c) {
    switch (c) {
      case NAME:
        return 0;
      case COMMENT:
        return 1;
      case SEQUENCE:
        return 2;
      case QUALITY:
        return 3;
      default:
        return -1;
    }
  }

  /**
   * Whether batches can hold these columns of single reads: everything a single read's row holds.
   */
  static boolean covers(FastqColumn[] columns) {
    for (FastqColumn c : columns) {
      switch (c) {
        case COMMENT1:
        case SEQUENCE1:
        case QUALITY1:
        case COMMENT2:
        case SEQUENCE2:
        case QUALITY2:
          return false;
        default:
          if (c.ofMate() != c) {
            return false; // a mate's header column
          }
      }
    }
    return columns.length > 0;
  }

  /** Where the Illumina header columns come from: parsed by the reader for each record. */
  void illumina(IlluminaHeader header) {
    this.illumina = header;
  }

  /**
   * Where a pair's Illumina header columns come from: both mates' headers, parsed by the reader.
   */
  void illumina(IlluminaHeader mate1, IlluminaHeader mate2) {
    this.illumina = mate1;
    this.illumina2 = mate2;
  }

  /**
   * Whether batches can hold these columns of pairs: the pair's own strings ({@link
   * PairRowWriter#ownStrings}) and the Illumina header columns of pairs.
   */
  static boolean coversPairs(FastqColumn[] columns) {
    if (columns.length == 0) {
      return false;
    }
    for (FastqColumn c : columns) {
      switch (c) {
        case NAME, COMMENT1, SEQUENCE1, QUALITY1, COMMENT2, SEQUENCE2, QUALITY2 -> {}
        case INSTRUMENT, RUN, FLOWCELL, LANE, TILE, X, Y -> {}
        case READ1, FILTERED1, CONTROL1, INDEX1, READ2, FILTERED2, CONTROL2, INDEX2 -> {}
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  /** The range the next rows come from: its constants. The batch must be empty. */
  void startRange(FileRange range, UTF8String fileUri) {
    InternalRow file = null;
    InternalRow metadata = null;
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case FILE:
          file = file != null ? file : new GenericInternalRow(new Object[] {fileUri});
          constants[i].set(file);
          break;
        case METADATA:
          metadata = metadata != null ? metadata : metadataOf(range);
          constants[i].set(metadata);
          break;
        case PARTITION:
          constants[i].set(range.file.partitionValues);
          break;
        default:
          break;
      }
    }
  }

  /** The {@code _metadata} struct's values, as {@link FastqRowWriter#startRange} sets them. */
  private static InternalRow metadataOf(FileRange range) {
    Object[] values = new Object[6];
    values[FastqColumn.FILE_PATH] = UTF8String.fromString(range.file.sparkPath());
    values[FastqColumn.FILE_NAME] = FastqRowWriter.fileNameOf(range);
    values[FastqColumn.FILE_SIZE] = range.file.length;
    values[FastqColumn.FILE_BLOCK_START] = range.start;
    values[FastqColumn.FILE_BLOCK_LENGTH] = range.length();
    values[FastqColumn.FILE_MODIFICATION_TIME] =
        Math.multiplyExact(range.file.modificationTime, 1000L);
    return new GenericInternalRow(values);
  }

  /** The {@code _ordinal} of the rows written next. */
  void ordinal(long value) {
    ordinal = value;
  }

  /** Whether the batch is full: the reader returns it before reading another record. */
  boolean full() {
    return rows >= MAX_ROWS || bytes >= MAX_BYTES;
  }

  int rows() {
    return rows;
  }

  /** Empties the batch for the next one, keeping its arrays. */
  void reset() {
    rows = 0;
    bytes = 0;
    for (FastqVector v : vectors) {
      v.reset();
    }
  }

  /** The batch of the rows written since {@link #reset}. */
  ColumnarBatch batch() {
    for (FastqVector v : vectors) {
      v.rows(rows);
    }
    batch.setNumRows(rows);
    return batch;
  }

  /**
   * Appends a well-formed record. The row counts only once every column is written: a failure
   * half-way (a fault on the mapping) leaves the batch as it was.
   *
   * @param offset the record's {@code _offset}: its byte offset, or for BGZF its virtual offset
   */
  void write(FastqRecord r, long offset) {
    if (plain) {
      writePlain(r);
      return;
    }
    int row = rows;
    long values = 0;
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case NAME:
          put(strings[i], row, r.retained(), null, r.nameAddress(), r.nameLength());
          values += r.nameLength();
          break;
        case COMMENT:
          if (r.hasComment()) {
            put(strings[i], row, r.retained(), null, r.commentAddress(), r.commentLength());
            values += r.commentLength();
          } else {
            strings[i].putNull(row);
          }
          break;
        case SEQUENCE:
          put(
              strings[i],
              row,
              r.retained(),
              r.sequenceBase(),
              r.sequenceOffset(),
              r.sequenceLength());
          values += r.sequenceLength();
          break;
        case QUALITY:
          put(strings[i], row, r.retained(), r.qualityBase(), r.qualityOffset(), r.qualityLength());
          values += r.qualityLength();
          break;
        case OFFSET:
          longs[i].put(row, offset);
          break;
        case ORDINAL:
          longs[i].put(row, ordinal);
          break;
        case CORRUPT_RECORD:
          strings[i].putNull(row);
          break;
        case INSTRUMENT:
        case FLOWCELL:
        case INDEX:
        case RUN:
        case LANE:
        case TILE:
        case X:
        case Y:
        case READ:
        case FILTERED:
        case CONTROL:
          values += putIllumina(i, row, columns[i], illumina);
          break;
        default:
          break; // the range's constants
      }
    }
    counters.valueBytes += values;
    bytes += values;
    rows = row + 1;
  }

  /**
   * {@link #write} when every column is one of the record's strings: one branch per kind that goes
   * the same way on every row, no switch per field.
   */
  private void writePlain(FastqRecord r) {
    int row = rows;
    long values = 0;
    boolean retained = r.retained();
    if (names != null) {
      int length = r.nameLength();
      put(names, row, retained, null, r.nameAddress(), length);
      values += length;
    }
    if (comments != null) {
      int length = r.commentLength();
      if (length >= 0) {
        put(comments, row, retained, null, r.commentAddress(), length);
        values += length;
      } else {
        comments.putNull(row);
      }
    }
    if (sequences != null) {
      int length = r.sequenceLength();
      put(sequences, row, retained, r.sequenceBase(), r.sequenceOffset(), length);
      values += length;
    }
    if (qualities != null) {
      int length = r.qualityLength();
      put(qualities, row, retained, r.qualityBase(), r.qualityOffset(), length);
      values += length;
    }
    counters.valueBytes += values;
    bytes += values;
    rows = row + 1;
  }

  /**
   * Appends a well-formed pair ({@link #coversPairs} columns): its name is mate 1's without a
   * trailing /1 or /2, as {@link PairRowWriter} writes it; header fields from the mates' headers.
   */
  void writePair(Mate m1, Mate m2) {
    int row = rows;
    long values = 0;
    for (int i = 0; i < columns.length; i++) {
      int length;
      switch (columns[i]) {
        case NAME:
          length = m1.pairNameLength();
          put(strings[i], row, m1.retained(), m1.nameBase(), m1.nameOffset(), length);
          break;
        case COMMENT1:
        case COMMENT2:
          Mate m = columns[i] == FastqColumn.COMMENT1 ? m1 : m2;
          length = m.commentLength();
          if (length < 0) {
            strings[i].putNull(row);
            continue;
          }
          put(strings[i], row, m.retained(), m.commentBase(), m.commentOffset(), length);
          break;
        case SEQUENCE1:
          length = m1.sequenceLength();
          put(strings[i], row, m1.retained(), m1.sequenceBase(), m1.sequenceOffset(), length);
          break;
        case QUALITY1:
          length = m1.qualityLength();
          put(strings[i], row, m1.retained(), m1.qualityBase(), m1.qualityOffset(), length);
          break;
        case SEQUENCE2:
          length = m2.sequenceLength();
          put(strings[i], row, m2.retained(), m2.sequenceBase(), m2.sequenceOffset(), length);
          break;
        case QUALITY2:
          length = m2.qualityLength();
          put(strings[i], row, m2.retained(), m2.qualityBase(), m2.qualityOffset(), length);
          break;
        default:
          // Illumina header fields, the name's being mate 1's as the name is; any other column is
          // refused by coversPairs().
          FastqColumn c = columns[i];
          length = putIllumina(i, row, c.ofMate(), c.ofMate2() ? illumina2 : illumina);
      }
      values += length;
    }
    counters.valueBytes += values;
    bytes += values;
    rows = row + 1;
  }

  /**
   * Row {@code row} of column {@code i}: the Illumina header field {@code c} of {@code h}, copied
   * (strings) or as a long; returns the bytes of value copied.
   */
  private int putIllumina(int i, int row, FastqColumn c, IlluminaHeader h) {
    switch (c) {
      case INSTRUMENT -> {
        strings[i].put(row, h.nameBase, h.instrumentOffset, h.instrumentLength);
        return h.instrumentLength;
      }
      case FLOWCELL -> {
        strings[i].put(row, h.nameBase, h.flowcellOffset, h.flowcellLength);
        return h.flowcellLength;
      }
      case INDEX -> {
        strings[i].put(row, h.commentBase, h.indexOffset, h.indexLength);
        return h.indexLength;
      }
      default -> {
        longs[i].put(row, h.number(c));
        return 0;
      }
    }
  }

  /**
   * A record's field: pointed at where it lies in a retained window (held until the next batch),
   * else copied (a mapped or streamed window, or a field joined or converted into an array).
   */
  private static void put(
      BytesVector v, int row, boolean retained, Object base, long offset, int length) {
    if (retained && base == null) {
      v.putRetained(row, offset, length);
    } else {
      v.put(row, base, offset, length);
    }
  }

  /** Appends a malformed record in PERMISSIVE mode: its text, file and offset; every field null. */
  void writeCorrupt(byte[] text, long offset) {
    int row = rows;
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case CORRUPT_RECORD:
          strings[i].put(row, text);
          break;
        case OFFSET:
          longs[i].put(row, offset);
          break;
        case ORDINAL:
          longs[i].put(row, ordinal);
          break;
        case FILE:
        case METADATA:
        case PARTITION:
          break; // the range's constants
        default:
          if (strings[i] != null) {
            strings[i].putNull(row);
          } else {
            longs[i].putNull(row);
          }
      }
    }
    // The text is empty when the corrupt-record column is not read (as the row writer counts).
    counters.valueBytes += text.length;
    bytes += text.length;
    rows = row + 1;
  }

  @Override
  public void close() {
    batch.close();
  }
}
