/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.Compression;
import io.github.fastqmmap.stream.StreamSources;
import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the records of ordinals {@code [from, to)} of one file: opens it at an {@link
 * OrdinalIndex.Entry} at or before {@code from}, skips to {@code from} and returns {@code to -
 * from} records, reading past any range end. Malformed stretches (PERMISSIVE and DROPMALFORMED)
 * have no ordinal and are passed over, as the counting pass passed over them.
 */
public final class OrdinalReader implements Closeable {
  private final RangeOpener opener;
  private final InputFile file;
  private final ParseOptions parse;
  private final ParseCounters counters;
  private final boolean malformedHaveOrdinals;
  private final long from;
  private long to;

  /** The range end the file is opened with ({@code Long.MAX_VALUE}: its end). */
  private final long end;

  /** Where the windows of a plain file stop (a hint), or -1. */
  private final long windowEnd;

  private RecordReader reader;
  private ByteSource source;
  private long next;

  /**
   * @param entry where to open; a sparse entry is checked and, if the record found there is not the
   *     expected one, {@code fallback} (a range start) is used instead
   * @param malformedHaveOrdinals whether a malformed stretch takes an ordinal and is returned
   *     ({@link #isMalformed()}), as pairs count them ({@link RangeCounter}); in DROPMALFORMED mode
   *     the stretches are then seen as PERMISSIVE mode sees them, the caller drops them
   * @param windowEnd for a plain file, a byte offset before which every record of {@code [from,
   *     to)} starts ({@link OrdinalIndex#positionAfter}), or -1: the source's windows then stop
   *     there (plus the overhang), as a range reader's stop at its range end, instead of mapping or
   *     copying a whole window past the last record (a record crossing it is still read whole)
   * @param end where the records read stop: those starting before it are read ({@code
   *     Long.MAX_VALUE}: on to {@code to}, whatever the range ends). With {@code to} {@code
   *     Long.MAX_VALUE} and a range-start {@code entry}, the reader reads the records that the
   *     range {@code [entry, end)} owns, as a range reader does (pairs aligned by names, {@link
   *     PairAnchors}).
   */
  public OrdinalReader(
      RangeOpener opener,
      InputFile file,
      OrdinalIndex.Entry entry,
      OrdinalIndex.Entry fallback,
      long from,
      long to,
      ParseOptions parse,
      ParseCounters counters,
      boolean malformedHaveOrdinals,
      long windowEnd,
      long end)
      throws IOException {
    if (entry.ordinal() > from || fallback.ordinal() > from || from > to) {
      throw new IllegalArgumentException(
          "bad ordinals: entry "
              + entry
              + ", fallback "
              + fallback
              + ", ["
              + from
              + ", "
              + to
              + ")");
    }
    this.opener = opener;
    this.file = file;
    this.malformedHaveOrdinals = malformedHaveOrdinals;
    this.parse =
        malformedHaveOrdinals && parse.mode() == ParseMode.DROPMALFORMED
            ? parse.withMode(ParseMode.PERMISSIVE)
            : parse;
    this.counters = counters;
    this.from = from;
    this.to = to;
    this.end = end;
    this.windowEnd =
        windowEnd >= 0 && windowEnd != Long.MAX_VALUE && file.compression() == Compression.NONE
            ? windowEnd
            : -1;
    if (from == to) {
      next = to;
      return;
    }
    if (!entry.isRangeStart() && !openAt(entry)) {
      close();
      openAt(fallback);
    } else if (entry.isRangeStart()) {
      openAt(entry);
    }
  }

  /**
   * Opens at {@code e} and skips to {@code from}; false when a sparse entry did not find its record
   * (then nothing was skipped that matters: the caller reopens at a range start).
   */
  private boolean openAt(OrdinalIndex.Entry e) throws IOException {
    StreamSources.Opened opened = opener.open(file, e.position(), end);
    source = opened.source();
    reader = opened.reader(parse, counters);
    if (windowEnd > e.position()) {
      // The reader's end stays open (it reads on to `to` whatever the bytes), only the windows
      // stop.
      source.expectRange(e.position(), windowEnd);
    }
    next = e.ordinal();
    boolean first = true;
    while (next < from) {
      if (!advance()) {
        throw endedEarly(next);
      }
      boolean bad = reader.isMalformed();
      if (bad) {
        counters.malformedRecords--; // a stretch passed over is counted by the reader that owns it
      } else {
        // Records passed over to get to `from` are not read: the records and bases metrics count
        // what the reader returns (bytesParsed still counts the work).
        counters.records--;
        counters.bases -= reader.record().sequenceLength();
      }
      if (first && !e.isRangeStart()) {
        first = false;
        if (bad || source.reportedOffset(reader.record().offset()) != e.reportedOffset()) {
          return false;
        }
      }
      next++;
    }
    if (!e.isRangeStart() && first) {
      // The entry is the first wanted record itself: check it when it is read.
      expectedFirstOffset = e.reportedOffset();
    }
    return true;
  }

  /** The {@code _offset} the first record returned must have, or -1. */
  private long expectedFirstOffset = -1;

  private boolean advance() throws IOException {
    while (reader.next()) {
      if (malformedHaveOrdinals || !reader.isMalformed()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves to the next record; false after ordinal {@code to - 1}, or at the end of the file when
   * {@code to} is {@code Long.MAX_VALUE} (read to the end).
   */
  public boolean next() throws IOException {
    if (next >= to) {
      return false;
    }
    if (!advance()) {
      if (to == Long.MAX_VALUE) {
        to = next;
        return false;
      }
      throw endedEarly(next);
    }
    if (expectedFirstOffset >= 0) {
      long found = reportedOffset();
      if (found != expectedFirstOffset) {
        throw new FastqParseException(
            file.name(),
            found,
            "Record ordinal index mismatch in "
                + file.name()
                + ": record "
                + next
                + " was counted at offset "
                + expectedFirstOffset
                + " but reading from there found one at "
                + found
                + ". The file may have changed since it was counted; load the DataFrame again.");
      }
      expectedFirstOffset = -1;
    }
    next++;
    return true;
  }

  /**
   * Whether the current item is a malformed stretch (only when malformed stretches have ordinals):
   * then {@link #record()} has none, {@link #malformedText(int)} gives its text.
   */
  public boolean isMalformed() {
    return reader.isMalformed();
  }

  /** The current malformed stretch's bytes, at most {@code maxBytes}. */
  public byte[] malformedText(int maxBytes) throws IOException {
    return reader.malformedBytes(maxBytes);
  }

  /** The current record; valid until {@link #next()} is called again. */
  public FastqRecord record() {
    return reader.record();
  }

  /** The current record's ordinal. */
  public long ordinal() {
    return next - 1;
  }

  /** The current record's {@code _offset}: byte offset, or BGZF virtual offset. */
  public long reportedOffset() {
    return source.reportedOffset(
        reader.isMalformed() ? reader.malformedOffset() : reader.record().offset());
  }

  /** The source being read, or null (for metrics: bytes read). */
  public ByteSource source() {
    return source;
  }

  /** The file, as inspected. */
  public InputFile file() {
    return file;
  }

  private FastqParseException endedEarly(long ordinal) {
    return new FastqParseException(
        file.name(),
        -1,
        "File "
            + file.name()
            + " ended at record "
            + ordinal
            + " (0-based) but records up to "
            + (to - 1)
            + " were counted in it when the query was planned. The file may have changed since;"
            + " load the DataFrame again.");
  }

  @Override
  public void close() throws IOException {
    RecordReader r = reader;
    reader = null;
    source = null;
    if (r != null) {
      r.close();
    }
  }
}
