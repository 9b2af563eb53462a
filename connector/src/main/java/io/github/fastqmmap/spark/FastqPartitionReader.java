package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.metrics.ReadTaskMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.RecordReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads the ranges of one partition in order: maps each file range, reads its records under the
 * ownership rule and writes rows. Every error names the file; {@code ignoreMissingFiles} and {@code
 * ignoreCorruptFiles} are honoured here, in one place.
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

  private int nextRange;
  private FileRange range;
  private RecordReader reader;
  private UTF8String fileUri;
  private InternalRow row;
  private boolean closed;

  FastqPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      ScanAccumulators accumulators) {
    this.partition = partition;
    this.options = options;
    this.accumulators = accumulators;
    this.rowWriter = new FastqRowWriter(columns, counters);
    this.wantsCorruptText = rowWriter.wantsCorruptText();
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      try {
        return nextRow();
      } catch (InternalError e) {
        // In JIT-compiled code HotSpot raises a fault on a mapped page asynchronously, at the
        // thread's next safepoint check: the faulting load is skipped, the garbage it left can
        // look like a malformed record, and the InternalError may arrive while nextRow handles
        // that. It must not leave this method: Spark's executor exits on an InternalError.
        IOException changed = fileChangedDuringRead(e);
        closeQuietly();
        if (!skipCorrupt(changed)) {
          throw changed;
        }
      }
    }
  }

  private boolean nextRow() throws IOException {
    while (true) {
      if (reader == null && !openNextRange()) {
        return false;
      }
      try {
        if (reader.next()) {
          row = buildRow();
          return true;
        }
        closeReader();
      } catch (InternalError | FileChangedDuringReadException e) {
        // A fault on a mapped page: the file shrank under the mapping (SIGBUS). The record reader
        // reports faults inside it as FileChangedDuringReadException; copying values can fault too.
        IOException changed = fileChangedDuringRead(e);
        closeQuietly();
        if (!skipCorrupt(changed)) {
          throw changed;
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        if (fileLengthChanged()) {
          // What a fault left unread, not the file's content, made this error.
          IOException changed = fileChangedDuringRead(e);
          if (!skipCorrupt(changed)) {
            throw changed;
          }
          continue;
        }
        if (!skipCorrupt(e)) {
          throw e;
        }
      }
    }
  }

  /** Whether the current range's file now has another length than planned (false if unknown). */
  private boolean fileLengthChanged() {
    try {
      return java.nio.file.Files.size(localPath(range.file.uri)) != range.file.length;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opens the next range that exists; false when none is left. */
  private boolean openNextRange() throws IOException {
    while (nextRange < partition.ranges.size()) {
      range = partition.ranges.get(nextRange++);
      fileUri = UTF8String.fromString(range.file.uri);
      MappedByteSource source;
      try {
        source =
            MappedByteSource.open(
                localPath(range.file.uri), range.file.uri, options.mapping(), counters.mapping);
      } catch (NoSuchFileException e) {
        if (options.ignoreMissingFiles()) {
          LOG.log(Level.WARNING, "fastq-mmap: skipping missing file " + range.file.uri);
          continue;
        }
        throw new IOException(
            "File not found: "
                + range.file.uri
                + ". It existed when the query was planned; it may have been deleted since, or"
                + " this executor cannot see it (a local path must exist on every executor)."
                + " Set ignoreMissingFiles=true to skip missing files.",
            e);
      } catch (IOException e) {
        // Unreadable, or no longer a regular file: a corrupt file, as in Spark's file sources.
        if (skipCorrupt(e)) {
          continue;
        }
        throw e;
      }
      try {
        checkUnchanged(source);
      } catch (IOException e) {
        source.close();
        if (skipCorrupt(e)) {
          continue;
        }
        throw e;
      }
      reader = new RecordReader(source, range.start, range.end, options.parse(), counters.parse);
      return true;
    }
    return false;
  }

  private static Path localPath(String uri) throws IOException {
    try {
      // Hadoop's URIs keep non-ASCII characters unescaped, which Paths.get(URI) rejects.
      return Paths.get(URI.create(URI.create(uri).toASCIIString()));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IOException(
          "fastq-mmap maps local files only, and " + uri + " is not one (" + e.getMessage() + ").",
          e);
    }
  }

  private void checkUnchanged(MappedByteSource source) throws IOException {
    long length = source.file().length();
    long modified = source.file().lastModifiedMillis();
    if (length != range.file.length || modified != range.file.modificationTime) {
      throw new IOException(
          "File changed since the query was planned: "
              + range.file.uri
              + " was "
              + range.file.length
              + " bytes, modified "
              + Instant.ofEpochMilli(range.file.modificationTime)
              + ", and is now "
              + length
              + " bytes, modified "
              + Instant.ofEpochMilli(modified)
              + ". Load the DataFrame again to read the file as it is now.");
    }
  }

  private IOException fileChangedDuringRead(Throwable fault) {
    String now;
    try {
      now = java.nio.file.Files.size(localPath(range.file.uri)) + " bytes";
    } catch (IOException e) {
      now = "unreadable (" + e.getMessage() + ")";
    }
    IOException changed =
        new IOException(
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
                + "). Do not modify files while a query reads them; load the DataFrame again.");
    // Never an Error as the cause: Spark's executor exits when a failed task's cause chain holds a
    // VirtualMachineError (InternalError is one), and the fault is not fatal.
    if (fault instanceof Error) {
      changed.addSuppressed(fault);
    } else {
      changed.initCause(fault);
    }
    return changed;
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

  /** The current record as a row; built here so that a fault on the mapping is caught above. */
  private InternalRow buildRow() throws IOException {
    if (reader.isMalformed()) {
      return rowWriter.writeCorrupt(
          wantsCorruptText ? reader.malformedBytes(MAX_CORRUPT_TEXT) : new byte[0],
          reader.malformedOffset(),
          fileUri);
    }
    return rowWriter.write(reader.record(), fileUri);
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return taskMetrics;
  }

  private void closeReader() throws IOException {
    RecordReader r = reader;
    reader = null;
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
      accumulators.add(counters);
    }
  }
}
