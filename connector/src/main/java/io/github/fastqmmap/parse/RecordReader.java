/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.Closeable;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads the records of one byte range {@code [start, end)} of a file under the ownership rule: a
 * range owns the records whose '@' lies inside it. Ranges that tile a file therefore return every
 * record exactly once.
 *
 * <p>A reader whose range starts after 0 begins at the first record start at or after {@code start}
 * ({@link RecordBoundary}). It then follows records one after another (after a malformed stretch,
 * from the next record start), returns every record that starts before {@code end}, and finishes
 * the last one past {@code end}. Before it stops it checks that where it stopped is where the next
 * range's reader will begin; if not, the split is ambiguous and it fails rather than lose or repeat
 * a record.
 *
 * <p>Usage: {@code while (reader.next()) { if (!reader.isMalformed()) use(reader.record()); }}.
 * Malformed stretches surface only in {@link ParseMode#PERMISSIVE}; {@link ParseMode#FAILFAST}
 * throws {@link FastqParseException} and {@link ParseMode#DROPMALFORMED} counts and skips them.
 */
public final class RecordReader implements Closeable {
  private static final int MAX_SNIPPET = 60;
  private static final int TIMING_STRIDE = 64;

  private final ByteSource source;
  private final long start;

  /** The range end; a source may narrow Long.MAX_VALUE to the real end ({@link #RecordReader}). */
  private long end;

  private final ParseOptions options;
  private final ParseCounters counters;
  private final RecordScanner scanner;
  private final RecordBoundary boundary;
  private final FastqRecord record;

  private boolean started;
  private boolean finished;
  private boolean closed;
  private long chainStart;
  private long pos;
  private long successor = -1;

  /** The window the last record came from; null when the source may have moved on. */
  private ByteWindow window;

  private long calls;

  private boolean malformed;

  /** Whether records are only counted ({@link #countOnly()}). */
  private boolean countOnly;

  private long malformedOffset;
  private long malformedEnd;

  /**
   * @param source the file's bytes; closed with this reader
   * @param start first byte of the range
   * @param end end of the range (exclusive); use {@code Long.MAX_VALUE} for the rest of the file,
   *     or for a range whose end the source reports through {@link ByteSource#onRangeEnd} once it
   *     knows it (BGZF ranges)
   */
  public RecordReader(
      ByteSource source, long start, long end, ParseOptions options, ParseCounters counters) {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
    }
    this.source = source;
    this.start = start;
    this.end = end;
    this.options = options;
    this.counters = counters;
    this.scanner = new RecordScanner(options);
    this.record = new FastqRecord(options.qualityEncoding());
    this.boundary = new RecordBoundary(source, scanner, new FastqRecord(options.qualityEncoding()));
    source.expectRange(start, end);
    source.onRangeEnd(knownEnd -> this.end = knownEnd);
  }

  /**
   * Moves to the next record (or, in PERMISSIVE mode, malformed stretch).
   *
   * @return false when the range has no more
   * @throws FastqParseException for a malformed record in FAILFAST mode, or an ambiguous split
   * @throws FileChangedDuringReadException when the file was truncated under its mapping
   */
  public boolean next() throws IOException {
    if (finished) {
      return false;
    }
    // Timing every call would cost about as much as parsing a short read, so every
    // TIMING_STRIDE-th call is timed and stands for the calls around it.
    boolean timed = (calls++ & (TIMING_STRIDE - 1)) == 0;
    long t0 = timed ? System.nanoTime() : 0;
    try {
      return advance();
    } catch (InternalError e) {
      throw changedDuringRead(e);
    } finally {
      if (timed) {
        counters.parseNanos += (System.nanoTime() - t0) * TIMING_STRIDE;
      }
    }
  }

  /**
   * A fault reading a mapped page (SIGBUS, raised by the JVM as an InternalError from Unsafe) means
   * that the file shrank under its mapping. Any other InternalError is rethrown as it is.
   */
  private FileChangedDuringReadException changedDuringRead(InternalError e) {
    if (e.getMessage() == null || !e.getMessage().contains("unsafe memory access")) {
      throw e;
    }
    return FileChangedDuringReadException.of(
        source.name(),
        pos,
        "File changed during read: "
            + source.name()
            + " was "
            + source.length()
            + " bytes when it was opened, and reading it near byte offset "
            + pos
            + " faulted: it was truncated or replaced while being read. Do not modify files while"
            + " they are read; open the file again to read it as it is now.",
        e);
  }

  private boolean advance() throws IOException {
    if (!started) {
      started = true;
      if (start == end) {
        finish(); // an empty range owns nothing and needs no bytes
        return false;
      }
      chainStart = start == 0 ? 0 : boundary.nextRecordStart(start);
      pos = chainStart;
      counters.bytesSkipped += Math.min(chainStart, end) - start;
    }
    malformed = false;
    while (true) {
      if (pos >= end && reachedSuccessor()) {
        finish();
        return false;
      }
      ByteWindow w = window;
      if (w == null || pos < w.start() || pos >= w.end()) {
        if (boundary.isEnd(pos)) {
          finish();
          return false;
        }
        w = window = source.window(pos, 1);
      }
      source.advance(pos);
      int status =
          countOnly ? scanner.parseForCount(w, pos, record) : scanner.parse(w, pos, record);
      boolean retained = w.retained();
      if (status == RecordScanner.INCOMPLETE) {
        window = null; // growing the window may replace it
        status = boundary.parse(pos, record);
        retained = false; // parsed from windows the boundary reader chose
      }
      if (status == RecordScanner.OK) {
        record.retained = retained;
        counters.records++;
        counters.bases += record.sequenceLength;
        long length = record.end - pos;
        if (length > counters.maxRecordBytes) {
          counters.maxRecordBytes = length;
        }
        pos = record.end;
        return true;
      }
      window = null; // the boundary's look-ahead may move the source's windows
      long blankTailEnd = boundary.blankTailEnd(pos);
      if (blankTailEnd >= 0) {
        pos = blankTailEnd; // blank lines at the end of a file are tolerated
        continue;
      }
      long bad = pos;
      counters.malformedRecords++;
      if (options.mode() == ParseMode.FAILFAST) {
        throw describe(bad);
      }
      long resume = boundary.nextRecordStart(bad + 1);
      pos = resume;
      if (options.mode() == ParseMode.DROPMALFORMED) {
        counters.droppedRecords++;
        continue;
      }
      malformed = true;
      malformedOffset = bad;
      malformedEnd = resume;
      return true;
    }
  }

  /**
   * Called once the chain has passed the range end: true when it stands exactly where the next
   * range's reader will start. A chain still short of that start goes on (what lies between is a
   * malformed stretch that this range reports); a chain past it means the split is ambiguous.
   */
  private boolean reachedSuccessor() throws IOException {
    if (successor < 0) {
      window = null;
      successor = boundary.nextRecordStart(end);
    }
    if (pos == successor) {
      return true;
    }
    if (pos > successor) {
      throw new FastqParseException(
          source.name(),
          source.reportedOffset(successor),
          "Record boundary mismatch in "
              + source.name()
              + " at "
              + source.describeOffset(successor)
              + ": the reader of the range ending at "
              + source.reportedOffset(end)
              + " finished its last record at "
              + source.reportedOffset(pos)
              + ", but a record start was recognised at "
              + source.describeOffset(successor)
              + " inside it, where the next range's reader would begin. The split is ambiguous"
              + " (wrapped FASTQ whose quality lines look like records, or a malformed file);"
              + " check the file, or read it as one range with a larger maxPartitionBytes.");
    }
    return false;
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (started && start != end) {
      counters.bytesParsed += pos - chainStart;
      counters.bytesOverhang += Math.max(0, pos - end);
    }
  }

  /** The current record; valid after {@link #next()} returned true and until it is called again. */
  public FastqRecord record() {
    if (malformed) {
      throw new IllegalStateException("the current item is malformed; see isMalformed()");
    }
    return record;
  }

  /**
   * Makes this reader a counter: in FAILFAST mode, records are then found without checking what a
   * well-formed record passes anyway (bases, quality range), so that counting costs less than
   * reading. The records' positions and count are a read's on a well-formed file; on a malformed
   * one they may differ where a read fails. {@link #record()} gives positions, not checked fields.
   *
   * @throws IllegalStateException in another mode, where malformed records are skipped or kept and
   *     a count must find exactly the ones a read finds
   */
  public void countOnly() {
    if (options.mode() != ParseMode.FAILFAST) {
      throw new IllegalStateException("countOnly needs FAILFAST mode, not " + options.mode());
    }
    countOnly = true;
  }

  /** Whether the current item is a malformed stretch (PERMISSIVE mode only). */
  public boolean isMalformed() {
    return malformed;
  }

  /** Byte offset where the current malformed stretch starts. */
  public long malformedOffset() {
    return malformedOffset;
  }

  /** Length of the current malformed stretch, up to the next record start. */
  public long malformedLength() {
    return malformedEnd - malformedOffset;
  }

  /**
   * The raw bytes of the current malformed stretch, at most {@code maxBytes} of them, without its
   * final line end.
   */
  public byte[] malformedBytes(int maxBytes) throws IOException {
    window = null; // reading the stretch may move the source's windows
    try {
      long to = malformedEnd;
      while (to > malformedOffset && isLineEnd(boundary.byteAt(to - 1))) {
        to--;
      }
      int length = (int) Math.min(maxBytes, to - malformedOffset);
      byte[] out = new byte[length];
      int done = 0;
      while (done < length) {
        long at = malformedOffset + done;
        ByteWindow w = source.window(at, length - done);
        int n = (int) Math.min(length - done, w.end() - at);
        RawMemory.copyToArray(w.addressOf(at), out, done, n);
        done += n;
      }
      return out;
    } catch (InternalError e) {
      throw changedDuringRead(e);
    }
  }

  private static boolean isLineEnd(byte b) {
    return b == '\n' || b == '\r';
  }

  /** The error for a malformed record at {@code offset}, in words a user can act on. */
  private FastqParseException describe(long offset) throws IOException {
    boundary.parse(offset, record); // sets the scanner's problem for this offset
    String reason = scanner.describeProblem();
    long problemOffset = scanner.problemOffset;
    Problem problem = scanner.problem;
    StringBuilder m = new StringBuilder();
    m.append("Malformed FASTQ record in ")
        .append(source.name())
        .append(" at ")
        .append(source.describeOffset(offset))
        .append(": ")
        .append(reason);
    if (problemOffset != offset) {
      m.append(" (at ").append(source.describeOffset(problemOffset)).append(')');
    }
    m.append("; the line there reads \"").append(snippet(problemOffset)).append("\". ");
    String compressed = offset == 0 ? compressionName() : null;
    if (compressed != null) {
      m.append("The file looks ")
          .append(compressed)
          .append("-compressed; this reader needs uncompressed FASTQ, so decompress it first.");
    } else if (!scanner.multiLine()
        && (problem == Problem.NO_PLUS || problem == Problem.LENGTH_MISMATCH)
        && boundary.parse(scanner.asMultiLine(), offset, record) == RecordScanner.OK) {
      m.append(
          "The record is wrapped over several lines: set multiLine=true to read wrapped FASTQ.");
    } else {
      m.append("Fix the file, or set mode to DROPMALFORMED to skip malformed records")
          .append(" or to PERMISSIVE to keep their text in the corrupt-record column.");
    }
    return new FastqParseException(source.name(), source.reportedOffset(offset), m.toString());
  }

  private String compressionName() throws IOException {
    ByteWindow w = source.window(0, CompressionMagic.MAX_BYTES);
    int n = (int) Math.min(CompressionMagic.MAX_BYTES, w.end() - w.start());
    byte[] head = new byte[n];
    RawMemory.copyToArray(w.addressOf(0), head, 0, n);
    return CompressionMagic.name(head, n);
  }

  /** The start of the line holding {@code offset}, printable, for error messages. */
  private String snippet(long offset) throws IOException {
    long lineStart = offset;
    while (lineStart > 0
        && offset - lineStart < MAX_SNIPPET
        && boundary.byteAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    StringBuilder s = new StringBuilder();
    for (long p = lineStart; p < lineStart + MAX_SNIPPET && !boundary.isEnd(p); p++) {
      byte b = boundary.byteAt(p);
      if (b == '\n') {
        break;
      }
      int v = b & 0xFF;
      if (v >= 0x20 && v < 0x7F) {
        s.append((char) v);
      } else {
        s.append(String.format(Locale.ROOT, "\\x%02X", v));
      }
    }
    return s.toString();
  }

  /**
   * Closes the source (unmapping its windows).
   *
   * @throws FileChangedDuringReadException when a fault on the mapping was still pending ({@link
   *     PendingFault}): the file shrank, and records returned since the fault may hold bytes of
   *     skipped loads
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    InternalError pending = PendingFault.take(); // first, so that closing runs to its end
    closed = true;
    if (started && !finished) {
      counters.bytesParsed += pos - chainStart;
      finished = true;
    }
    try {
      source.close();
    } catch (InternalError e) {
      throw changedDuringRead(e);
    }
    if (pending != null) {
      throw changedDuringRead(pending);
    }
  }
}
