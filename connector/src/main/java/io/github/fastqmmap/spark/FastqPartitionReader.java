/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.metrics.ReadTaskMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.open.Storage;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.StreamByteSource;
import io.github.fastqmmap.stream.StreamSources;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the ranges of one partition in order: opens each with the {@link RangeOpener}, reads its
 * records under the ownership rule and writes rows. Every error names the file; {@code
 * ignoreMissingFiles} and {@code ignoreCorruptFiles} are honoured here, in one place.
 */
final class FastqPartitionReader implements PartitionReader<InternalRow> {
  private static final System.Logger LOG = System.getLogger(FastqPartitionReader.class.getName());

  /** Longest raw text kept in the corrupt-record column. */
  private static final int MAX_CORRUPT_TEXT = 1 << 20;

  private final FastqInputPartition partition;
  private final FastqOptions options;
  private final ScanAccumulators accumulators;
  private final ReadCounters counters = new ReadCounters();
  private final CustomTaskMetric[] taskMetrics = ReadTaskMetric.of(counters);
  private final FastqRowWriter rowWriter;
  private final boolean wantsCorruptText;

  /** The current record's Casava header, when headers are parsed; else null. */
  private final IlluminaHeader illumina;

  private final Storage storage;
  private final RangeOpener opener;

  private int nextRange;
  private FileRange range;
  private RecordReader reader;
  private ByteSource source;

  /** The source, when its offsets are not the file's ({@code _offset} asks it), else null. */
  private ByteSource offsets;

  /** Bytes read from storage by the ranges already closed. */
  private long closedBytesRead;

  private UTF8String fileUri;

  /** The ordinal the next well-formed record of the range has ({@code _ordinal}). */
  private long nextOrdinal;

  private InternalRow row;
  private boolean closed;

  FastqPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this.partition = partition;
    this.options = options;
    this.accumulators = accumulators;
    this.rowWriter = new FastqRowWriter(columns, partitionColumns, counters);
    this.wantsCorruptText = rowWriter.wantsCorruptText();
    this.illumina = options.parsesIlluminaHeaders() ? new IlluminaHeader() : null;
    rowWriter.illumina(illumina);
    this.storage = new HadoopStorage(() -> hadoopConf == null ? null : hadoopConf.value().value());
    this.opener =
        new RangeOpener(
            storage, options.parse(), options.mapping(), counters.mapping, counters.codec);
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      try {
        return nextRow();
      } catch (MissingFileException e) {
        throw e; // ignoreMissingFiles decided already; not a corrupt file
      } catch (IOException | RuntimeException | InternalError e) {
        // Every failure of a range (opening, reading, building rows) lands here. An InternalError
        // (a fault on a mapped page) must not leave: Spark's executor exits on one. In compiled
        // code HotSpot raises it late, at a safepoint check, after the faulting load was skipped:
        // the garbage left can look like a malformed record (see failure()).
        Exception failure = failure(e);
        if (!skipCorrupt(failure)) {
          if (failure instanceof IOException io) {
            throw io;
          }
          throw (RuntimeException) failure;
        }
      }
    }
  }

  private boolean nextRow() throws IOException {
    while (true) {
      if (reader == null && !openNextRange()) {
        return false;
      }
      if (reader.next()) {
        if (illumina != null && !reader.isMalformed()) {
          FastqRecord r = reader.record();
          if (!illumina.parse(r)) {
            row = badIlluminaHeader(r);
            if (row == null) {
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
      closeReader();
    }
  }

  /**
   * What a failure of the current range is to the user, with the range closed: a {@link
   * FileChangedDuringReadException} when its mapping faulted (or the error came from what a fault
   * left, seen as a mapped file's changed length), else the error itself, explained.
   */
  private Exception failure(Throwable e) {
    boolean mapped = source instanceof MappedByteSource;
    if (mapped) {
      // First: unmapping is a native call, where a fault's late InternalError arrives at the
      // latest, and closeQuietly takes it; nothing before it here could let it escape next().
      closeQuietly();
    }
    Exception reported =
        e instanceof IOException io && source instanceof StreamByteSource stream
            ? stream.explain(io)
            : e instanceof Exception x ? x : null;
    closeQuietly();
    if (e instanceof InternalError
        || e instanceof FileChangedDuringReadException
        || (mapped && fileLengthChanged())) {
      return fileChangedDuringRead(e);
    }
    return reported;
  }

  /** Whether the current range's file now has another length than planned (false if unknown). */
  private boolean fileLengthChanged() {
    try {
      return storage.status(range.file.uri).length() != range.file.length;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opens the next range that exists; false when none is left. */
  private boolean openNextRange() throws IOException {
    while (nextRange < partition.ranges.size()) {
      range = partition.ranges.get(nextRange++);
      fileUri = UTF8String.fromString(range.file.uri);
      StreamSources.Opened opened;
      try {
        // A file planned without reading it (one range) is inspected by the task that reads it.
        opened = opener.open(range.file.input.inspected(storage), range.start, range.end);
      } catch (NoSuchFileException | FileNotFoundException e) {
        if (options.ignoreMissingFiles()) {
          LOG.log(Level.WARNING, "fastq-mmap: skipping missing file " + range.file.uri);
          continue;
        }
        throw new MissingFileException(
            "File not found: "
                + range.file.uri
                + ". It existed when the query was planned; it may have been deleted since, or"
                + " this executor cannot see it (a local path must exist on every executor)."
                + " Set ignoreMissingFiles=true to skip missing files.",
            e);
      }
      rowWriter.startRange(range);
      nextOrdinal = partition.firstOrdinal(nextRange - 1);
      // What input_file_name() and input_file_block_start/length() read, as Spark's FileScanRDD
      // sets it for each file it opens.
      InputFileBlockHolder.set(range.file.sparkPath(), range.start, range.length());
      source = opened.source();
      offsets = source instanceof MappedByteSource ? null : source;
      reader = opened.reader(options.parse(), counters.parse);
      return true;
    }
    return false;
  }

  /** The one error users see when a file changed under its mapping. */
  private FileChangedDuringReadException fileChangedDuringRead(Throwable fault) {
    String now;
    try {
      now = storage.status(range.file.uri).length() + " bytes";
    } catch (IOException | RuntimeException e) {
      now = "unreadable (" + e.getMessage() + ")";
    }
    return FileChangedDuringReadException.of(
        range.file.uri,
        range.start,
        "File changed during read: "
            + range.file.uri
            + " was "
            + range.file.length
            + " bytes when planned and is now "
            + now
            + "; reading its mapping faulted in range ["
            + range.start
            + ", "
            + range.end
            + "). Do not modify files while a query reads them; load the DataFrame again.",
        fault);
  }

  /** With ignoreCorruptFiles, logs the error and moves to the next range; otherwise false. */
  private boolean skipCorrupt(Exception e) {
    if (!options.ignoreCorruptFiles()) {
      return false;
    }
    LOG.log(
        Level.WARNING,
        "fastq-mmap: skipping the rest of "
            + (range == null ? "a file" : range.toString())
            + " (ignoreCorruptFiles=true): "
            + e.getMessage());
    return true;
  }

  /**
   * A record whose header is not Casava 1.8+ while {@code illuminaHeaders} or {@code
   * filterFailedQc} is on: malformed, in the mode's way. FAILFAST names file and offset;
   * DROPMALFORMED counts and drops it (null); PERMISSIVE returns the corrupt row, whose text is the
   * record's four lines (the '+' line bare).
   */
  private InternalRow badIlluminaHeader(FastqRecord r) throws IOException {
    long offset = offsets == null ? r.offset() : offsets.reportedOffset(r.offset());
    counters.parse.malformedRecords++;
    switch (options.parse().mode()) {
      case FAILFAST:
        throw new FastqParseException(
            range.file.uri,
            offset,
            "Malformed FASTQ record in "
                + range.file.uri
                + " at "
                + source.describeOffset(r.offset())
                + ": "
                + illumina.problem()
                + "; the header reads \"@"
                + r.name()
                + (r.hasComment() ? " " + r.comment() : "")
                + "\". Set illuminaHeaders=false and filterFailedQc=false to read headers of"
                + " other formats, or set mode to DROPMALFORMED to skip such records or to"
                + " PERMISSIVE to keep their text in the corrupt-record column.");
      case DROPMALFORMED:
        counters.parse.droppedRecords++;
        return null;
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
        return rowWriter.writeCorrupt(text.getBytes(StandardCharsets.ISO_8859_1), offset, fileUri);
    }
  }

  /** The current record as a row; built inside next() so that a fault on the mapping is caught. */
  private InternalRow buildRow() throws IOException {
    if (reader.isMalformed()) {
      rowWriter.ordinal(nextOrdinal); // a malformed stretch has no ordinal: the next record's
      long offset = reader.malformedOffset();
      return rowWriter.writeCorrupt(
          wantsCorruptText ? reader.malformedBytes(MAX_CORRUPT_TEXT) : new byte[0],
          offsets == null ? offset : offsets.reportedOffset(offset),
          fileUri);
    }
    FastqRecord r = reader.record();
    rowWriter.ordinal(nextOrdinal++);
    return rowWriter.write(
        r, fileUri, offsets == null ? r.offset() : offsets.reportedOffset(r.offset()));
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    counters.bytesRead = closedBytesRead + (source == null ? 0 : source.bytesRead());
    return taskMetrics;
  }

  private void closeReader() throws IOException {
    RecordReader r = reader;
    ByteSource s = source;
    reader = null;
    source = null;
    offsets = null;
    if (s != null) {
      closedBytesRead += s.bytesRead();
      counters.bytesRead = closedBytesRead;
    }
    if (r != null) {
      r.close();
    }
  }

  private void closeQuietly() {
    try {
      closeReader();
    } catch (IOException | RuntimeException | InternalError e) {
      LOG.log(Level.DEBUG, "fastq-mmap: error while closing " + range, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeReader();
    } catch (InternalError e) {
      // A fault's error raised late, while unmapping: never let it reach Spark's executor.
      throw fileChangedDuringRead(e);
    } finally {
      InputFileBlockHolder.unset();
      accumulators.add(counters);
    }
  }

  /** A file gone since planning, with ignoreMissingFiles off: not a corrupt file. */
  private static final class MissingFileException extends FileNotFoundException {
    private static final long serialVersionUID = 1L;

    MissingFileException(String message, Throwable cause) {
      super(message);
      initCause(cause);
    }
  }
}
