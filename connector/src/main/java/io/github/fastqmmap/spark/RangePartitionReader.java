/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.metrics.ReadTaskMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.BufferHold;
import io.github.fastqmmap.mmap.ProbeClock;
import io.github.fastqmmap.mmap.WindowRead;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.open.Storage;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.PendingFault;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * What reading the ranges of one partition shares, for single reads ({@link FastqPartitionReader})
 * and pairs ({@link PairPartitionReader}): the loop over ranges, opening each (a missing file under
 * {@code ignoreMissingFiles}), the one catch that turns a fault on a mapping into {@link
 * FileChangedDuringReadException} and honours {@code ignoreCorruptFiles}, metrics and closing. A
 * subclass opens a range's readers, reads its rows and closes them.
 */
abstract class RangePartitionReader implements PartitionReader<InternalRow> {
  private static final System.Logger LOG = System.getLogger(RangePartitionReader.class.getName());

  final FastqInputPartition partition;
  final FastqOptions options;
  private final ScanAccumulators accumulators;
  final ReadCounters counters = new ReadCounters();
  private final ReadTaskMetric.Reported taskMetrics = new ReadTaskMetric.Reported(counters);
  final FastqRowWriter rowWriter;
  final boolean wantsCorruptText;
  final Storage storage;
  final RangeOpener opener;

  /**
   * Where rows go when a {@link ColumnarPartitionReader} reads this partition (each {@link #next()}
   * then appends a row to its batch and {@link #get()} is null); null for rows.
   */
  final FastqBatchWriter batch;

  /**
   * With batches: the copy buffers of windows read since the batch began, which its values point
   * into; released when the next batch begins and at close. Null for rows.
   */
  private final BufferHold hold;

  private int nextRange;

  /** The range being read (or last read). */
  FileRange range;

  UTF8String fileUri;

  /** The row {@link #get()} returns, set by {@link #nextInRange()}. */
  InternalRow row;

  /** Whether this task reads long pairs' batches, whose way {@link LongPairWindows} chooses. */
  private final boolean longPairs;

  /** Whether those copy their windows (else they map them). */
  private final boolean longPairsCopy;

  /** The thread and its CPU time at the start, to measure the way taken. */
  private final Thread startThread;

  private final long startCpu;

  /** Whether a range's readers are open. */
  private boolean open;

  /** Bytes read from storage by the ranges already closed. */
  private long closedBytesRead;

  private boolean closed;

  /** Whether {@link #next()} has returned false: the values Spark asks for next are final. */
  private boolean exhausted;

  /** Whether the last {@link #advance} returned false at a range's end, not the partition's. */
  boolean rangeEnded;

  /**
   * Whether the last {@link #advance} skipped a range whose file changed under its mapping (under
   * {@code ignoreCorruptFiles}): rows read from it since the last check for a pending fault may
   * hold bytes of a load the fault skipped.
   */
  boolean rangeFaulted;

  /** Every how many calls {@link #currentMetricsValues} gives live values. */
  private int metricStride = METRIC_STRIDE;

  /** How often Spark asked for the metrics ({@link #currentMetricsValues}). */
  private long metricCalls;

  /**
   * Spark asks for the metrics every hundred rows; live values are given every this many calls
   * (6,400 rows), final ones always ({@link #currentMetricsValues}).
   */
  private static final int METRIC_STRIDE = 64;

  private static final CustomTaskMetric[] NO_METRICS = new CustomTaskMetric[0];

  RangePartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf,
      boolean batches) {
    this.partition = partition;
    this.options = options;
    this.accumulators = accumulators;
    this.rowWriter = new FastqRowWriter(columns, partitionColumns, counters);
    this.wantsCorruptText = rowWriter.wantsCorruptText();
    this.storage = new HadoopStorage(() -> hadoopConf == null ? null : hadoopConf.value().value());
    this.opener =
        new RangeOpener(
            storage, options.parse(), options.mapping(), counters.mapping, counters.codec);
    this.batch = batches ? new FastqBatchWriter(columns, partitionColumns, counters) : null;
    boolean valuesFill = batches && FastqBatchWriter.valuesFillRecords(columns);
    boolean longPairBatches = valuesFill && partition.holdsLongPairs();
    // Long pairs' batches map their windows or copy them, as earlier tasks measured cheaper (an
    // explicit windowRead decides alone).
    this.longPairs = longPairBatches && options.mapping().windowRead() == WindowRead.AUTO;
    this.longPairsCopy = longPairs && LongPairWindows.JVM.copyNext(inFirstHalfOfStage());
    this.startThread = Thread.currentThread();
    this.startCpu = longPairs ? ProbeClock.now() : 0;
    this.hold = batches ? new BufferHold(valuesFill && (!longPairBatches || longPairsCopy)) : null;
    if (hold != null) {
      opener.holdCopies(hold);
      liveMetricsEveryCall();
    }
  }

  /**
   * Spark is done with the last batch (it asks for the next one, or closes the reader): the windows
   * its values pointed into may be reused.
   */
  final void releaseHeldWindows() {
    if (hold != null) {
      hold.release();
    }
  }

  /**
   * Opens the readers of range {@code index} ({@link #range}); false when it has nothing to read.
   *
   * @throws NoSuchFileException or {@link FileNotFoundException} when a file is gone
   */
  abstract boolean openRange(int index) throws IOException;

  /** Sets {@link #row} to the range's next row; false when the range has no more. */
  abstract boolean nextInRange() throws IOException;

  /** Bytes the open range's readers read from storage. */
  abstract long rangeBytesRead();

  /** Closes the open range's readers. */
  abstract void closeRangeReaders() throws IOException;

  /** Whether the open range reads a mapping (where a fault means the file changed). */
  abstract boolean rangeMapped();

  /** The error to report for {@code e} of the open range (a stream source explains its own). */
  Exception explain(IOException e) {
    return e;
  }

  /** The files the current range reads: the one a changed-during-read error names is among them. */
  FastqFile[] rangeFiles() {
    return new FastqFile[] {range.file};
  }

  @Override
  public final boolean next() throws IOException {
    return advance(false);
  }

  /**
   * Reads the next row, as {@link #next()}; with {@code stopAtRangeEnd} (the columnar reader, whose
   * batches never span two ranges), also returns false when the range just ended or was skipped
   * under {@code ignoreCorruptFiles}, with {@link #rangeEnded} set: rows may follow.
   */
  final boolean advance(boolean stopAtRangeEnd) throws IOException {
    rangeEnded = false;
    rangeFaulted = false;
    while (true) {
      try {
        boolean more = nextRow(stopAtRangeEnd);
        exhausted = !more && !rangeEnded;
        return more;
      } catch (MissingFileException e) {
        throw e; // ignoreMissingFiles decided already; not a corrupt file
      } catch (IOException | RuntimeException | InternalError e) {
        // Every failure of a range (opening, reading, building rows) lands here. An InternalError
        // (a fault on a mapped page) must not leave: Spark's executor exits on one. In compiled
        // code HotSpot raises it late, at a call into the VM runtime (PendingFault), after the
        // faulting load was skipped: the garbage left can look like a malformed record (see
        // failure()).
        try {
          handled(e); // skipped under ignoreCorruptFiles; else thrown
        } catch (InternalError late) {
          // The fault's error may also arrive as handled() returns or throws what it made of the
          // first failure (CI saw it replace a FileChangedDuringReadException): handled in place.
          handled(late);
        }
        if (stopAtRangeEnd) {
          rangeEnded = true;
          return false;
        }
      }
    }
  }

  /**
   * Handles a failure of the current range as {@link #advance} does: true when {@code
   * ignoreCorruptFiles} skips the range, else throws the error users see. A fault's late {@link
   * InternalError} may arrive while this runs (with a batch, the loop that fills it runs more code
   * between loads): it is then handled in its place, so it never leaves.
   */
  final boolean handled(Throwable e) throws IOException {
    Exception failure;
    try {
      failure = failure(e);
    } catch (InternalError late) {
      failure = failure(late);
    }
    if (!skipCorrupt(failure)) {
      if (failure instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) failure;
    }
    rangeFaulted |= failure instanceof FileChangedDuringReadException;
    return true;
  }

  private boolean nextRow(boolean stopAtRangeEnd) throws IOException {
    while (true) {
      if (!open && !openNextRange()) {
        return false;
      }
      if (nextInRange()) {
        return true;
      }
      closeRange();
      if (stopAtRangeEnd) {
        rangeEnded = true;
        return false;
      }
    }
  }

  /** Opens the next range that exists and has something to read; false when none is left. */
  private boolean openNextRange() throws IOException {
    while (nextRange < partition.ranges.size()) {
      int index = nextRange++;
      range = partition.ranges.get(index);
      fileUri = UTF8String.fromString(range.file.uri);
      try {
        open = openRange(index);
      } catch (NoSuchFileException | FileNotFoundException e) {
        closeQuietly(); // a pair's first mate may be open
        String missing = missingFile();
        if (options.ignoreMissingFiles()) {
          LOG.log(Level.WARNING, "fastq-mmap: skipping missing file " + missing);
          continue;
        }
        throw new MissingFileException(
            "File not found: "
                + missing
                + ". It existed when the query was planned; it may have been deleted since, or"
                + " this executor cannot see it (a local path must exist on every executor)."
                + " Set ignoreMissingFiles=true to skip missing files.",
            e);
      }
      if (!open) {
        continue;
      }
      rowWriter.startRange(range);
      // What input_file_name() and input_file_block_start/length() read, as Spark's FileScanRDD
      // sets it for each file it opens.
      InputFileBlockHolder.set(range.file.sparkPath(), range.start, range.length());
      return true;
    }
    return false;
  }

  /** Which of the range's files is gone (a pair's R2 may be), as far as storage tells. */
  private String missingFile() {
    for (FastqFile f : rangeFiles()) {
      try {
        storage.status(f.uri);
      } catch (IOException | RuntimeException e) {
        return f.uri;
      }
    }
    return range.file.uri;
  }

  /**
   * What a failure of the current range is to the user, with the range closed: a {@link
   * FileChangedDuringReadException} when its mapping faulted (or the error came from what a fault
   * left, seen as a mapped file's changed length), else the error itself, explained.
   */
  private Exception failure(Throwable e) {
    boolean mapped = open && rangeMapped();
    // First: a fault HotSpot has not raised yet (e is then what its garbage made the parser say)
    // would otherwise be raised somewhere in closing and could skip an unmapping.
    InternalError pending = mapped ? PendingFault.take() : null;
    if (mapped) {
      closeQuietly();
    }
    Exception reported =
        e instanceof IOException io && open ? explain(io) : e instanceof Exception x ? x : null;
    closeQuietly();
    FastqFile changed = mapped ? changedFile() : null;
    if (e instanceof InternalError
        || e instanceof FileChangedDuringReadException
        || changed != null
        || pending != null) {
      FileChangedDuringReadException failure = fileChangedDuringRead(e, changed);
      if (pending != null) {
        failure.addSuppressed(pending);
      }
      return failure;
    }
    return reported;
  }

  /** The first of the range's files that now has another length than planned, or null. */
  private FastqFile changedFile() {
    if (range == null) {
      return null;
    }
    for (FastqFile f : rangeFiles()) {
      try {
        if (storage.status(f.uri).length() != f.length) {
          return f;
        }
      } catch (IOException | RuntimeException e) {
        // unknown: not seen as changed
      }
    }
    return null;
  }

  /** The one error users see when a file changed under its mapping. */
  private FileChangedDuringReadException fileChangedDuringRead(Throwable fault, FastqFile file) {
    FastqFile f = file != null ? file : changedFile();
    if (f == null) {
      f = range.file;
    }
    String now;
    try {
      now = storage.status(f.uri).length() + " bytes";
    } catch (IOException | RuntimeException e) {
      now = "unreadable (" + e.getMessage() + ")";
    }
    String where = "in range [" + range.start + ", " + range.end + ")";
    if (f != range.file) {
      where =
          "while reading the mates of range ["
              + range.start
              + ", "
              + range.end
              + ") of "
              + range.file.uri;
    }
    return FileChangedDuringReadException.of(
        f.uri,
        f == range.file ? range.start : -1,
        "File changed during read: "
            + f.uri
            + " was "
            + f.length
            + " bytes when planned and is now "
            + now
            + "; reading its mapping faulted "
            + where
            + ". Do not modify files while a query reads them; load the DataFrame again.",
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

  @Override
  public final InternalRow get() {
    return row;
  }

  /**
   * Spark asks every hundred rows, and Spark 4.2 then merges the values by name into hash maps:
   * with a value every time, that merge took about a quarter of the CPU time of reading all four
   * columns of short reads. So live values (what the SQL tab shows while the task runs) come every
   * {@link #METRIC_STRIDE}-th call and otherwise none, which leaves Spark's metrics as they were.
   * Final values are always given: once the reader is exhausted or closed, and when the task has
   * completed (Spark's last call after an early stop, such as a limit, comes from the task's
   * completion listener).
   */
  @Override
  public final CustomTaskMetric[] currentMetricsValues() {
    if (!exhausted && !closed && metricCalls++ % metricStride != 0 && !taskCompleted()) {
      return NO_METRICS;
    }
    counters.bytesRead = closedBytesRead + (open ? rangeBytesRead() : 0);
    return taskMetrics.current();
  }

  /**
   * Live values at every call: a columnar reader is asked every hundred batches, not rows, where
   * the merge costs nothing worth saving.
   */
  void liveMetricsEveryCall() {
    metricStride = 1;
  }

  /** Whether this task's partition is in the first half of its stage's (or there is no task). */
  private static boolean inFirstHalfOfStage() {
    TaskContext task = TaskContext.get();
    return task == null || 2L * task.partitionId() < task.numPartitions();
  }

  private static boolean taskCompleted() {
    TaskContext task = TaskContext.get();
    return task == null || task.isCompleted();
  }

  /**
   * Closes the open range.
   *
   * @throws InternalError a fault on its mapping that HotSpot had not raised yet, before anything
   *     is closed (the caller handles it as a failure of the range)
   */
  private void closeRange() throws IOException {
    if (!open) {
      return;
    }
    PendingFault.raise();
    open = false;
    closedBytesRead += rangeBytesRead();
    counters.bytesRead = closedBytesRead;
    closeRangeReaders();
  }

  private void closeQuietly() {
    try {
      if (open) {
        closeRange();
      } else {
        closeRangeReaders(); // whatever a failed open left
      }
    } catch (IOException | RuntimeException | InternalError e) {
      LOG.log(Level.DEBUG, "fastq-mmap: error while closing " + range, e);
    }
  }

  @Override
  public final void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeRange();
      if (longPairs && exhausted && Thread.currentThread() == startThread) {
        LongPairWindows.JVM.finished(longPairsCopy, ProbeClock.now() - startCpu, closedBytesRead);
      }
    } catch (InternalError e) {
      // A fault's error raised late, before closing began: never let it reach Spark's executor.
      closeQuietly();
      throw fileChangedDuringRead(e, null);
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
