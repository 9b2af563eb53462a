/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.parse.FastqRecord;
import java.net.URI;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Copies the requested fields of a record into an {@code UnsafeRow}. Only the columns of the pruned
 * schema are touched; Spark never receives a pointer into a mapping.
 */
final class FastqRowWriter {
  private final FastqColumn[] columns;
  private final UnsafeRowWriter writer;
  private final ReadCounters counters;

  /** Writes the {@code _metadata} struct inside the row's variable-length part. */
  private final UnsafeRowWriter metadataWriter;

  /** The current record's Illumina header, parsed by the reader, or null. */
  private IlluminaHeader illumina;

  /** The scan's partition columns, or null. */
  private final PartitionColumns partitionColumns;

  /** The current range's file's partition values, or null. */
  private InternalRow partitionValues;

  /** The current range's {@code _metadata} values, set by {@link #startRange}. */
  private UTF8String filePath;

  private UTF8String fileName;
  private long fileSize;
  private long blockStart;
  private long blockLength;
  private long modificationMicros;

  /** The next row's {@code _ordinal}, set by the reader before each row. */
  private long ordinal;

  FastqRowWriter(FastqColumn[] columns, ReadCounters counters) {
    this(columns, null, counters);
  }

  /**
   * @param partitionColumns where the {@link FastqColumn#PARTITION} columns' values are, or null
   */
  FastqRowWriter(FastqColumn[] columns, PartitionColumns partitionColumns, ReadCounters counters) {
    this.partitionColumns = partitionColumns;
    this.columns = columns;
    this.writer = new UnsafeRowWriter(columns.length, 64 * columns.length);
    this.counters = counters;
    this.metadataWriter = new UnsafeRowWriter(writer, 6);
  }

  /** Where the Illumina header columns come from: parsed by the reader for each record. */
  void illumina(IlluminaHeader header) {
    this.illumina = header;
  }

  /** The range the next rows come from, for {@code _metadata}. */
  void startRange(FileRange range) {
    partitionValues = range.file.partitionValues;
    filePath = UTF8String.fromString(range.file.sparkPath());
    // The name as Spark's file sources give it: the last element of the URI's raw path, so still
    // URL-encoded as file_path is ("a%20b.fastq" for "a b.fastq").
    String path = URI.create(range.file.uri).getRawPath();
    fileName = UTF8String.fromString(path.substring(path.lastIndexOf('/') + 1));
    fileSize = range.file.length;
    blockStart = range.start;
    blockLength = range.length();
    modificationMicros = Math.multiplyExact(range.file.modificationTime, 1000L);
  }

  private void writeMetadata(int ordinal) {
    int previousCursor = writer.cursor();
    metadataWriter.resetRowWriter();
    metadataWriter.write(FastqColumn.FILE_PATH, filePath);
    metadataWriter.write(FastqColumn.FILE_NAME, fileName);
    metadataWriter.write(FastqColumn.FILE_SIZE, fileSize);
    metadataWriter.write(FastqColumn.FILE_BLOCK_START, blockStart);
    metadataWriter.write(FastqColumn.FILE_BLOCK_LENGTH, blockLength);
    metadataWriter.write(FastqColumn.FILE_MODIFICATION_TIME, modificationMicros);
    writer.setOffsetAndSizeFromPreviousCursor(ordinal, previousCursor);
  }

  /** The {@code _ordinal} of the rows written next. */
  void ordinal(long value) {
    ordinal = value;
  }

  /** A record whose {@code _offset} is its byte offset (plain files). */
  InternalRow write(FastqRecord r, UTF8String file) {
    return write(r, file, r.offset());
  }

  /**
   * @param offset the record's {@code _offset}: its byte offset, or for BGZF its virtual offset
   */
  InternalRow write(FastqRecord r, UTF8String file, long offset) {
    if (columns.length == 0) {
      return writer.getRow(); // count(): no columns, the same empty row every time
    }
    writer.reset();
    writer.zeroOutNullBytes();
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case NAME:
          writeString(i, null, r.nameAddress(), r.nameLength());
          break;
        case COMMENT:
          if (r.hasComment()) {
            writeString(i, null, r.commentAddress(), r.commentLength());
          } else {
            writer.setNullAt(i);
          }
          break;
        case SEQUENCE:
          writeString(i, r.sequenceBase(), r.sequenceOffset(), r.sequenceLength());
          break;
        case QUALITY:
          writeString(i, r.qualityBase(), r.qualityOffset(), r.qualityLength());
          break;
        case FILE:
          writer.write(i, file);
          break;
        case OFFSET:
          writer.write(i, offset);
          break;
        case ORDINAL:
          writer.write(i, ordinal);
          break;
        case METADATA:
          writeMetadata(i);
          break;
        case CORRUPT_RECORD:
          writer.setNullAt(i);
          break;
        case PARTITION:
          partitionColumns.write(writer, i, partitionValues);
          break;
        case INSTRUMENT:
          writeString(i, null, illumina.instrumentAddress, illumina.instrumentLength);
          break;
        case RUN:
          writer.write(i, illumina.run);
          break;
        case FLOWCELL:
          writeString(i, null, illumina.flowcellAddress, illumina.flowcellLength);
          break;
        case LANE:
          writer.write(i, illumina.lane);
          break;
        case TILE:
          writer.write(i, illumina.tile);
          break;
        case X:
          writer.write(i, illumina.x);
          break;
        case Y:
          writer.write(i, illumina.y);
          break;
        case READ:
          writer.write(i, illumina.read);
          break;
        case FILTERED:
          writer.write(i, illumina.filtered);
          break;
        case CONTROL:
          writer.write(i, illumina.control);
          break;
        case INDEX:
          writeString(i, null, illumina.indexAddress, illumina.indexLength);
          break;
        default:
          throw new AssertionError(columns[i]);
      }
    }
    return writer.getRow();
  }

  /** A malformed record in PERMISSIVE mode: its text, file and offset; every field null. */
  InternalRow writeCorrupt(byte[] text, long offset, UTF8String file) {
    writer.reset();
    writer.zeroOutNullBytes();
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case CORRUPT_RECORD:
          writer.write(i, text);
          counters.valueBytes += text.length;
          break;
        case FILE:
          writer.write(i, file);
          break;
        case OFFSET:
          writer.write(i, offset);
          break;
        case ORDINAL:
          writer.write(i, ordinal);
          break;
        case METADATA:
          writeMetadata(i);
          break;
        case PARTITION:
          partitionColumns.write(writer, i, partitionValues);
          break;
        default:
          writer.setNullAt(i);
      }
    }
    return writer.getRow();
  }

  /**
   * A pair: its name (mate 1's, without a trailing /1 or /2), each mate's comment, sequence and
   * quality; {@code _file}, {@code _offset} and {@code _metadata} of mate 1's file.
   */
  InternalRow writePair(Mate m1, Mate m2, UTF8String file) {
    if (columns.length == 0) {
      return writer.getRow();
    }
    writer.reset();
    writer.zeroOutNullBytes();
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case NAME:
          writeString(i, m1.nameBase(), m1.nameOffset(), m1.pairNameLength());
          break;
        case COMMENT1:
          writeComment(i, m1);
          break;
        case SEQUENCE1:
          writeString(i, m1.sequenceBase(), m1.sequenceOffset(), m1.sequenceLength());
          break;
        case QUALITY1:
          writeString(i, m1.qualityBase(), m1.qualityOffset(), m1.qualityLength());
          break;
        case COMMENT2:
          writeComment(i, m2);
          break;
        case SEQUENCE2:
          writeString(i, m2.sequenceBase(), m2.sequenceOffset(), m2.sequenceLength());
          break;
        case QUALITY2:
          writeString(i, m2.qualityBase(), m2.qualityOffset(), m2.qualityLength());
          break;
        case FILE:
          writer.write(i, file);
          break;
        case OFFSET:
          writer.write(i, m1.offset());
          break;
        case ORDINAL:
          writer.write(i, ordinal);
          break;
        case METADATA:
          writeMetadata(i);
          break;
        case PARTITION:
          partitionColumns.write(writer, i, partitionValues);
          break;
        case CORRUPT_RECORD:
          writer.setNullAt(i);
          break;
        default:
          throw new AssertionError(columns[i]);
      }
    }
    return writer.getRow();
  }

  private void writeComment(int i, Mate m) {
    if (m.commentLength() >= 0) {
      writeString(i, m.commentBase(), m.commentOffset(), m.commentLength());
    } else {
      writer.setNullAt(i);
    }
  }

  /**
   * What {@code UnsafeWriter.write(int, UTF8String)} does, without a {@code UTF8String} per field:
   * copy the bytes into the row's variable-length part, zero the padding up to a word, and record
   * offset and size.
   */
  private void writeString(int ordinal, Object base, long offset, int length) {
    int rounded = ByteArrayMethods.roundNumberOfBytesToNearestWord(length);
    writer.grow(rounded);
    byte[] buffer = writer.getBuffer();
    int cursor = writer.cursor();
    if (rounded > length) {
      Platform.putLong(buffer, cursor + rounded - 8, 0L);
    }
    Platform.copyMemory(base, offset, buffer, cursor, length);
    writer.increaseCursor(length);
    writer.setOffsetAndSizeFromPreviousCursor(ordinal, cursor);
    writer.increaseCursor(rounded - length);
    counters.valueBytes += length;
  }

  /** Whether the corrupt-record column is wanted, so malformed text must be copied. */
  boolean wantsCorruptText() {
    for (FastqColumn c : columns) {
      if (c == FastqColumn.CORRUPT_RECORD) {
        return true;
      }
    }
    return false;
  }
}
