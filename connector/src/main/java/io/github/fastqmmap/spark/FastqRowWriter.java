/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.parse.FastqRecord;
import java.net.URI;
import java.nio.ByteOrder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Copies the requested fields of a record into an {@code UnsafeRow}. Only the columns of the pruned
 * schema are touched; Spark never receives a pointer into a mapping.
 */
final class FastqRowWriter {
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final FastqColumn[] columns;
  private final UnsafeRowWriter writer;
  private final ReadCounters counters;

  /** Writes the {@code _metadata} struct inside the row's variable-length part. */
  private final UnsafeRowWriter metadataWriter;

  /** The current record's (or pair's mate 1's) Illumina header, parsed by the reader, or null. */
  private IlluminaHeader illumina;

  /** The current pair's mate 2's Illumina header, parsed by the reader, or null. */
  private IlluminaHeader illumina2;

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

  /**
   * Whether every column is one of a single read's own strings (name, comment, sequence, quality):
   * such rows are laid out by {@link #writePlain} into {@link #plainBuffer} directly.
   */
  private final boolean plain;

  /** The row {@link #writePlain} returns, pointing into {@link #plainBuffer}. */
  private final UnsafeRow plainRow;

  /** The bytes of the row {@link #writePlain} wrote last; grown when a record needs more. */
  private byte[] plainBuffer;

  /** The size of a plain row's fixed part: its null bits and one word per column. */
  private final int plainFixedSize;

  /** Where a plain row's first offset-and-size word is: past the null bits. */
  private final int plainSlots;

  /** Each plain column's kind ({@code KIND_NAME} ...); null when rows are not plain. */
  private final int[] plainKinds;

  /** Which of a record's strings a plain row holds. */
  private final boolean wantsName;

  private final boolean wantsComment;
  private final boolean wantsSequence;
  private final boolean wantsQuality;

  /** Whether a plain row needs the title split into name and comment. */
  private final boolean wantsTitle;

  /** Whether the plain columns come in the schema's order ({@link #writePlainInOrder}). */
  private final boolean plainInOrder;

  /** Each plain kind's offset-and-size word in the row (-1 when absent). */
  private final int nameSlot;

  private final int commentSlot;
  private final int sequenceSlot;
  private final int qualitySlot;

  /** The null bit of the comment's column (0 when absent). */
  private final long commentNullBit;

  FastqRowWriter(FastqColumn[] columns, ReadCounters counters) {
    this(columns, null, counters);
  }

  /**
   * @param partitionColumns where the {@link FastqColumn#PARTITION} columns' values are, or null
   */
  FastqRowWriter(FastqColumn[] columns, PartitionColumns partitionColumns, ReadCounters counters) {
    this(columns, partitionColumns, counters, true);
  }

  /**
   * @param plainLayout whether rows of only the record's strings may be laid out by hand ({@link
   *     #writePlain}); false only to compare with the general path (FastqRowWriterBenchmark)
   */
  FastqRowWriter(
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ReadCounters counters,
      boolean plainLayout) {
    this.partitionColumns = partitionColumns;
    this.columns = columns;
    this.writer = new UnsafeRowWriter(columns.length, 64 * columns.length);
    this.counters = counters;
    this.metadataWriter = new UnsafeRowWriter(writer, 6);
    this.plainKinds = plainLayout && columns.length > 0 ? plainKinds(columns) : null;
    this.plain = plainKinds != null;
    this.wantsName = has(plainKinds, KIND_NAME);
    this.wantsComment = has(plainKinds, KIND_COMMENT);
    this.wantsSequence = has(plainKinds, KIND_SEQUENCE);
    this.wantsQuality = has(plainKinds, KIND_QUALITY);
    this.wantsTitle = wantsName || wantsComment;
    this.plainRow = new UnsafeRow(columns.length);
    this.plainSlots = UnsafeRow.calculateBitSetWidthInBytes(columns.length);
    this.plainFixedSize = plainSlots + 8 * columns.length;
    this.plainInOrder = inSchemaOrder(plainKinds);
    this.nameSlot = slotOf(plainKinds, KIND_NAME, plainSlots);
    this.commentSlot = slotOf(plainKinds, KIND_COMMENT, plainSlots);
    this.sequenceSlot = slotOf(plainKinds, KIND_SEQUENCE, plainSlots);
    this.qualitySlot = slotOf(plainKinds, KIND_QUALITY, plainSlots);
    this.commentNullBit = commentSlot < 0 ? 0L : 1L << ((commentSlot - plainSlots) / 8);
    this.plainBuffer = new byte[plainFixedSize + 512];
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

  /** The range the next rows come from, for {@code _metadata}. */
  void startRange(FileRange range) {
    partitionValues = range.file.partitionValues;
    filePath = UTF8String.fromString(range.file.sparkPath());
    fileName = fileNameOf(range);
    fileSize = range.file.length;
    blockStart = range.start;
    blockLength = range.length();
    modificationMicros = Math.multiplyExact(range.file.modificationTime, 1000L);
  }

  /**
   * The file's name as Spark's file sources give it: the last element of the URI's raw path, so
   * still URL-encoded as file_path is ("a%20b.fastq" for "a b.fastq").
   */
  static UTF8String fileNameOf(FileRange range) {
    String path = URI.create(range.file.uri).getRawPath();
    return UTF8String.fromString(path.substring(path.lastIndexOf('/') + 1));
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
    if (plain) {
      return writePlain(r);
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
        default:
          writeIllumina(i, columns[i], illumina); // any other column fails there
          break;
      }
    }
    return writer.getRow();
  }

  /**
   * The row of a record when every column is one of its strings: the same bytes as the general
   * path's {@code UnsafeRowWriter} writes (fields in column order, each padded with zeros to a
   * word), but with one size check per row instead of one per field, the offsets written as words
   * and each field copied from the window in one pass, with no call per field into Spark's writer.
   * Spark copies a row it keeps, so the one buffer serves every row.
   */
  private InternalRow writePlain(FastqRecord r) {
    // Each length is read once (the name's splits the title), and the loop below switches on
    // kinds fixed at construction: small ints, not an enum's ordinal map, and no second pass of
    // calls for the row's size.
    int nameLength = wantsTitle ? r.nameLength() : 0;
    int commentLength = wantsTitle ? r.commentLength() : -1;
    int sequenceLength = r.sequenceLength();
    int qualityLength = r.qualityLength();
    long size =
        plainFixedSize
            + (wantsName ? rounded(nameLength) : 0L)
            + (wantsComment ? rounded(Math.max(0, commentLength)) : 0L)
            + (wantsSequence ? rounded(sequenceLength) : 0L)
            + (wantsQuality ? rounded(qualityLength) : 0L);
    if (size > Integer.MAX_VALUE - 15) {
      throw new UnsupportedOperationException(
          "Cannot create a row of " + size + " bytes: a Spark row holds at most 2 GiB");
    }
    byte[] buf = plainBuffer;
    if (buf.length < size) {
      buf =
          plainBuffer =
              new byte[(int) Math.min(Integer.MAX_VALUE - 15, Math.max(size, 2L * buf.length))];
    }
    if (plainInOrder) {
      return writePlainInOrder(r, buf, nameLength, commentLength, sequenceLength, qualityLength);
    }
    long base = Platform.BYTE_ARRAY_OFFSET;
    long nullBits = 0;
    int cursor = plainFixedSize;
    long values = 0;
    int[] kinds = plainKinds;
    int slot = plainSlots;
    for (int i = 0; i < kinds.length; i++, slot += 8) {
      int length;
      switch (kinds[i]) {
        case KIND_NAME:
          length = nameLength;
          copyNative(r.nameAddress(), buf, cursor, length);
          break;
        case KIND_COMMENT:
          length = commentLength;
          if (length < 0) {
            nullBits |= 1L << i;
            Platform.putLong(buf, base + slot, 0L);
            continue;
          }
          copyNative(r.commentAddress(), buf, cursor, length);
          break;
        case KIND_SEQUENCE:
          length = sequenceLength;
          copy(r.sequenceBase(), r.sequenceOffset(), buf, cursor, length);
          break;
        default:
          length = qualityLength;
          copy(r.qualityBase(), r.qualityOffset(), buf, cursor, length);
          break;
      }
      Platform.putLong(buf, base + slot, ((long) cursor << 32) | length);
      cursor += rounded(length);
      values += length;
    }
    // At most four columns: one word of null bits.
    Platform.putLong(buf, base, nullBits);
    counters.valueBytes += values;
    plainRow.pointTo(buf, cursor);
    return plainRow;
  }

  /**
   * {@link #writePlain} when the columns come in the schema's order (name, comment, sequence,
   * quality, any of them absent), as a pruned schema has them: straight-line code, one branch per
   * kind that goes the same way on every row, where a switch in a loop over the columns made an
   * indirect jump per field that the CPU mispredicted (a fifth of the writer's samples).
   */
  private InternalRow writePlainInOrder(
      FastqRecord r,
      byte[] buf,
      int nameLength,
      int commentLength,
      int sequenceLength,
      int qualityLength) {
    long base = Platform.BYTE_ARRAY_OFFSET;
    int cursor = plainFixedSize;
    long values = 0;
    long nullBits = 0;
    if (wantsName) {
      copyNative(r.nameAddress(), buf, cursor, nameLength);
      Platform.putLong(buf, base + nameSlot, ((long) cursor << 32) | nameLength);
      cursor += rounded(nameLength);
      values += nameLength;
    }
    if (wantsComment) {
      if (commentLength < 0) {
        nullBits = commentNullBit;
        Platform.putLong(buf, base + commentSlot, 0L);
      } else {
        copyNative(r.commentAddress(), buf, cursor, commentLength);
        Platform.putLong(buf, base + commentSlot, ((long) cursor << 32) | commentLength);
        cursor += rounded(commentLength);
        values += commentLength;
      }
    }
    if (wantsSequence) {
      copy(r.sequenceBase(), r.sequenceOffset(), buf, cursor, sequenceLength);
      Platform.putLong(buf, base + sequenceSlot, ((long) cursor << 32) | sequenceLength);
      cursor += rounded(sequenceLength);
      values += sequenceLength;
    }
    if (wantsQuality) {
      copy(r.qualityBase(), r.qualityOffset(), buf, cursor, qualityLength);
      Platform.putLong(buf, base + qualitySlot, ((long) cursor << 32) | qualityLength);
      cursor += rounded(qualityLength);
      values += qualityLength;
    }
    // At most four columns: one word of null bits.
    Platform.putLong(buf, base, nullBits);
    counters.valueBytes += values;
    plainRow.pointTo(buf, cursor);
    return plainRow;
  }

  /** Where the offset-and-size word of the column of {@code kind} is in a plain row, or -1. */
  private static int slotOf(int[] kinds, int kind, int firstSlot) {
    if (kinds != null) {
      for (int i = 0; i < kinds.length; i++) {
        if (kinds[i] == kind) {
          return firstSlot + 8 * i;
        }
      }
    }
    return -1;
  }

  /** Whether each kind comes after the one before, as in the schema (name, comment, ...). */
  private static boolean inSchemaOrder(int[] kinds) {
    if (kinds == null) {
      return false;
    }
    for (int i = 1; i < kinds.length; i++) {
      if (kinds[i] <= kinds[i - 1]) {
        return false;
      }
    }
    return true;
  }

  private static int rounded(int length) {
    return ByteArrayMethods.roundNumberOfBytesToNearestWord(length);
  }

  private static final int KIND_NAME = 0;
  private static final int KIND_COMMENT = 1;
  private static final int KIND_SEQUENCE = 2;
  private static final int KIND_QUALITY = 3;

  /** The kind of each column of a plain row; null when a column is not one of a read's strings. */
  private static int[] plainKinds(FastqColumn[] columns) {
    int[] kinds = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case NAME:
          kinds[i] = KIND_NAME;
          break;
        case COMMENT:
          kinds[i] = KIND_COMMENT;
          break;
        case SEQUENCE:
          kinds[i] = KIND_SEQUENCE;
          break;
        case QUALITY:
          kinds[i] = KIND_QUALITY;
          break;
        default:
          return null;
      }
    }
    return kinds;
  }

  private static boolean has(int[] kinds, int kind) {
    if (kinds != null) {
      for (int k : kinds) {
        if (k == kind) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Copies {@code length} bytes from {@code base}/{@code offset} (a window's address when base is
   * null, else a record's scratch array) to {@code dest} at {@code at}, and zeros the padding up to
   * the next word. Shared with {@link PairRowWriter}.
   */
  static void copy(Object base, long offset, byte[] dest, int at, int length) {
    if (base == null) {
      copyNative(offset, dest, at, length);
    } else {
      int rounded = ByteArrayMethods.roundNumberOfBytesToNearestWord(length);
      if (rounded > length) {
        Platform.putLong(dest, Platform.BYTE_ARRAY_OFFSET + at + rounded - 8, 0L);
      }
      Platform.copyMemory(base, offset, dest, Platform.BYTE_ARRAY_OFFSET + at, length);
    }
  }

  /**
   * Copies {@code length} bytes at native {@code address} to {@code dest} at {@code at} a word at a
   * time, and zeros the padding up to the next word. Fields are short (a read's sequence is usually
   * under a few hundred bytes), where these loads and stores cost less than a call to the JVM's
   * copy routine; it never reads outside {@code [address, address + length)}, which may end where
   * the mapping ends.
   */
  private static void copyNative(long address, byte[] dest, int at, int length) {
    long to = Platform.BYTE_ARRAY_OFFSET + at;
    if (length >= 8) {
      // The padding's word is zeroed first, then the value's last word is copied (overlapping the
      // word before it, so the tail needs no byte loop), then the words before it.
      int rounded = ByteArrayMethods.roundNumberOfBytesToNearestWord(length);
      if (rounded > length) {
        Platform.putLong(dest, to + rounded - 8, 0L);
      }
      Platform.putLong(dest, to + length - 8, Platform.getLong(null, address + length - 8));
      for (int i = 0; i < length - 8; i += 8) {
        Platform.putLong(dest, to + i, Platform.getLong(null, address + i));
      }
    } else if (length > 0) {
      long word = 0;
      for (int i = length - 1; i >= 0; i--) {
        word = (word << 8) | (Platform.getByte(null, address + i) & 0xFFL);
      }
      // Little-endian: byte 0 is the word's lowest; a big-endian JVM stores bytes one by one.
      if (LITTLE_ENDIAN) {
        Platform.putLong(dest, to, word);
      } else {
        Platform.putLong(dest, to, 0L);
        for (int i = 0; i < length; i++) {
          Platform.putByte(dest, to + i, Platform.getByte(null, address + i));
        }
      }
    } else {
      // An empty value takes no bytes.
    }
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
          // Illumina header fields, the name's being mate 1's as the name is; any other column
          // fails there.
          FastqColumn c = columns[i];
          writeIllumina(i, c.ofMate(), c.ofMate2() ? illumina2 : illumina);
          break;
      }
    }
    return writer.getRow();
  }

  /** Field {@code c} of the Illumina header {@code h} (the single-read column that holds it). */
  private void writeIllumina(int i, FastqColumn c, IlluminaHeader h) {
    switch (c) {
      case INSTRUMENT -> writeString(i, h.nameBase, h.instrumentOffset, h.instrumentLength);
      case RUN -> writer.write(i, h.run);
      case FLOWCELL -> writeString(i, h.nameBase, h.flowcellOffset, h.flowcellLength);
      case LANE -> writer.write(i, h.lane);
      case TILE -> writer.write(i, h.tile);
      case X -> writer.write(i, h.x);
      case Y -> writer.write(i, h.y);
      case READ -> writer.write(i, h.read);
      case FILTERED -> writer.write(i, h.filtered);
      case CONTROL -> writer.write(i, h.control);
      case INDEX -> writeString(i, h.commentBase, h.indexOffset, h.indexLength);
      default -> throw new AssertionError(c);
    }
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
