/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.IOException;

/**
 * Finds record starts in a {@link ByteSource}, the function every reader of a file must agree on.
 *
 * <p>A record starts at offset {@code p} when {@code p} is 0 or follows a {@code '\n'}, the byte at
 * {@code p} is '@', and a well-formed record parses from {@code p}; for wrapped FASTQ, the record
 * after it must parse too (or the data end there). {@link #nextRecordStart} returns the first such
 * offset at or after a position, so two readers that look from the same position get the same
 * answer from the same bytes.
 */
final class RecordBoundary {
  private final ByteSource source;
  private final RecordScanner scanner;
  private final FastqRecord probe;

  RecordBoundary(ByteSource source, RecordScanner scanner, FastqRecord probe) {
    this.source = source;
    this.scanner = scanner;
    this.probe = probe;
  }

  /**
   * Parses the record at {@code pos}, asking the source for larger windows while the record runs
   * past the one it has. Returns {@link RecordScanner#OK} or {@link RecordScanner#MALFORMED}.
   */
  int parse(long pos, FastqRecord out) throws IOException {
    return parse(scanner, pos, out);
  }

  int parse(RecordScanner with, long pos, FastqRecord out) throws IOException {
    long want = 1;
    while (true) {
      ByteWindow w = source.window(pos, want);
      int status = with.parse(w, pos, out);
      if (status != RecordScanner.INCOMPLETE) {
        return status;
      }
      // The scanner answers INCOMPLETE only while the window ends inside the record budget.
      want = Math.max(want, w.end() - pos) * 2 + 4096;
    }
  }

  /** The first record start at or after {@code pos}, or the end of the data if there is none. */
  long nextRecordStart(long pos) throws IOException {
    long p = pos;
    if (p > 0 && byteAt(p - 1) != '\n') {
      p = lineAfter(p);
    }
    while (!isEnd(p)) {
      if (byteAt(p) == '@') {
        if (isRecordStart(p)) {
          return p;
        }
        if (noStartAfterProbe) {
          return endOfData(p);
        }
      }
      p = lineAfter(p);
    }
    return p;
  }

  /**
   * Set when the last {@link #isRecordStart} probe failed because its header or sequence ran into
   * the end of the data: then no line after its header starts with '+' (sequence lines stop at the
   * first one), so no later offset can start a record. Without this, text with many '@' lines and
   * no '+' line (a SAM header read with multiLine and basic validation) costs quadratic time.
   */
  private boolean noStartAfterProbe;

  /** Whether a record parses at {@code p} (and, for wrapped FASTQ, after it too). */
  boolean isRecordStart(long p) throws IOException {
    noStartAfterProbe = false;
    if (parse(p, probe) != RecordScanner.OK) {
      noStartAfterProbe = scanner.problem == Problem.TRUNCATED && scanner.problemDetail1 <= 1;
      return false;
    }
    if (!scanner.multiLine()) {
      return true;
    }
    // Wrapped quality lines may start with '@': demand that the record after this one parses.
    long next = probe.end;
    return isEnd(next) || blankTailEnd(next) >= 0 || parse(next, probe) == RecordScanner.OK;
  }

  /** The offset just after the next {@code '\n'} at or after {@code p}, or the data's end. */
  long lineAfter(long p) throws IOException {
    long from = p;
    while (true) {
      ByteWindow w = source.window(from, 1);
      if (from >= w.end()) {
        return from; // the end of the data
      }
      long nl = Swar.indexOfNewline(w.addressOf(from), w.addressOf(w.end()));
      if (nl >= 0) {
        return from + (nl - w.addressOf(from)) + 1;
      }
      if (w.eof()) {
        return w.end();
      }
      from = w.end();
    }
  }

  /**
   * The end of the data, at or after {@code p}. After a probe that ran into the end, a source has
   * produced its last byte, so its length is known; a stream reports -1 until then, and this reads
   * on to the end rather than rely on that.
   */
  private long endOfData(long p) throws IOException {
    long length = source.length();
    if (length >= 0) {
      return length;
    }
    ByteWindow w = source.window(p, 1);
    while (!w.eof()) {
      w = source.window(w.end(), 1);
    }
    return w.end();
  }

  /** Whether {@code p} is the end of the data. */
  boolean isEnd(long p) throws IOException {
    ByteWindow w = source.window(p, 1);
    return w.eof() && p >= w.end();
  }

  /**
   * The data's end if only line ends ({@code \n}, {@code \r}) remain from {@code p} to it, else -1.
   */
  long blankTailEnd(long p) throws IOException {
    long from = p;
    while (true) {
      ByteWindow w = source.window(from, 1);
      for (long a = w.addressOf(from), end = w.addressOf(w.end()); a < end; a++) {
        byte b = RawMemory.getByte(a);
        if (b != '\n' && b != '\r') {
          return -1;
        }
      }
      if (w.eof()) {
        return w.end();
      }
      from = w.end();
    }
  }

  byte byteAt(long p) throws IOException {
    ByteWindow w = source.window(p, 1);
    return RawMemory.getByte(w.addressOf(p));
  }
}
