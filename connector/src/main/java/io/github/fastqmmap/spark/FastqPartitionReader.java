/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.StreamByteSource;
import io.github.fastqmmap.stream.StreamSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the ranges of one partition in order: opens each with the {@link RangeOpener}, reads its
 * records under the ownership rule and writes rows. Every error names the file; {@code
 * ignoreMissingFiles} and {@code ignoreCorruptFiles} are honoured in {@link RangePartitionReader},
 * in one place for single reads and pairs.
 */
final class FastqPartitionReader extends RangePartitionReader {
  /** Longest raw text kept in the corrupt-record column. */
  private static final int MAX_CORRUPT_TEXT = 1 << 20;

  /** The current record's Casava header, when headers are parsed; else null. */
  private final IlluminaHeader illumina;

  private RecordReader reader;
  private ByteSource source;

  /** The source, when its offsets are not the file's ({@code _offset} asks it), else null. */
  private ByteSource offsets;

  /** The ordinal the next well-formed record of the range has ({@code _ordinal}). */
  private long nextOrdinal;

  FastqPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this(partition, options, columns, partitionColumns, accumulators, hadoopConf, false);
  }

  FastqPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf,
      boolean batches) {
    super(partition, options, columns, partitionColumns, accumulators, hadoopConf, batches);
    this.illumina = options.parsesIlluminaHeaders() ? new IlluminaHeader() : null;
    rowWriter.illumina(illumina);
    if (batch != null) {
      batch.illumina(illumina);
    }
  }

  @Override
  boolean nextInRange() throws IOException {
    while (reader.next()) {
      if (illumina != null && !reader.isMalformed()) {
        FastqRecord r = reader.record();
        if (!illumina.parse(r)) {
          if (!badIlluminaHeader(r)) {
            continue; // DROPMALFORMED
          }
          return true;
        }
        if (illumina.filtered && options.filterFailedQc()) {
          continue; // failed the instrument's QC filter: dropped as Hadoop-BAM drops it
        }
      }
      row = buildRow();
      return true;
    }
    return false;
  }

  @Override
  boolean rangeMapped() {
    return source instanceof MappedByteSource;
  }

  @Override
  Exception explain(IOException e) {
    return source instanceof StreamByteSource stream ? stream.explain(e) : e;
  }

  @Override
  boolean openRange(int index) throws IOException {
    // A file planned without being read is told by the opener, from the input it then reads.
    StreamSources.Opened opened = opener.open(range.file.input, range.start, range.end);
    nextOrdinal = partition.firstOrdinal(index);
    source = opened.source();
    offsets = source instanceof MappedByteSource ? null : source;
    reader = opened.reader(options.parse(), counters.parse);
    if (batch != null) {
      batch.startRange(range, fileUri);
    }
    return true;
  }

  /**
   * A record whose header is not Casava 1.8+ while {@code illuminaHeaders} or {@code
   * filterFailedQc} is on: malformed, in the mode's way. FAILFAST names file and offset;
   * DROPMALFORMED counts and drops it (false); PERMISSIVE sets the corrupt row (true), whose text
   * is the record's four lines (the '+' line bare).
   */
  private boolean badIlluminaHeader(FastqRecord r) throws IOException {
    long offset = offsets == null ? r.offset() : offsets.reportedOffset(r.offset());
    counters.parse.malformedRecords++;
    switch (options.parse().mode()) {
      case FAILFAST:
        throw new FastqParseException(
            range.file.uri,
            offset,
            IlluminaHeader.failFast(
                range.file.uri,
                source.describeOffset(r.offset()),
                illumina.problem(),
                r.name() + (r.hasComment() ? " " + r.comment() : ""),
                "",
                "records"));
      case DROPMALFORMED:
        counters.parse.droppedRecords++;
        return false;
      default:
        String text =
            wantsCorruptText
                ? "@"
                    + r.name()
                    + (r.hasComment() ? " " + r.comment() : "")
                    + "\n"
                    + r.sequence()
                    + "\n+\n"
                    + r.quality()
                    + "\n"
                : "";
        row = corrupt(text.getBytes(StandardCharsets.ISO_8859_1), offset);
        return true;
    }
  }

  /** A malformed record's row (or batch row), PERMISSIVE mode. */
  private InternalRow corrupt(byte[] text, long offset) {
    if (batch != null) {
      batch.writeCorrupt(text, offset);
      return null;
    }
    return rowWriter.writeCorrupt(text, offset, fileUri);
  }

  private void ordinal(long value) {
    if (batch != null) {
      batch.ordinal(value);
    } else {
      rowWriter.ordinal(value);
    }
  }

  /** The current record as a row; built inside next() so that a fault on the mapping is caught. */
  private InternalRow buildRow() throws IOException {
    if (reader.isMalformed()) {
      ordinal(nextOrdinal); // a malformed stretch has no ordinal: the next record's
      long offset = reader.malformedOffset();
      return corrupt(
          wantsCorruptText ? reader.malformedBytes(MAX_CORRUPT_TEXT) : new byte[0],
          offsets == null ? offset : offsets.reportedOffset(offset));
    }
    FastqRecord r = reader.record();
    ordinal(nextOrdinal++);
    long offset = offsets == null ? r.offset() : offsets.reportedOffset(r.offset());
    if (batch != null) {
      batch.write(r, offset);
      return null;
    }
    return rowWriter.write(r, fileUri, offset);
  }

  @Override
  long rangeBytesRead() {
    return source == null ? 0 : source.bytesRead();
  }

  @Override
  void closeRangeReaders() throws IOException {
    RecordReader r = reader;
    reader = null;
    source = null;
    offsets = null;
    if (r != null) {
      r.close();
    }
  }
}
