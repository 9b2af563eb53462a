/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.Compression;
import io.github.fastqmmap.stream.StreamSources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aligns an R1 file's ranges with its R2 file by the mates' names instead of counting them: for
 * each R1 range start, the first record that range owns, and the one record of R2 near the same
 * share of R2's bytes that bears its name. A task then reads R1's range and R2 from that record to
 * the next range's.
 *
 * <p>Nothing here is trusted. Each task checks that its R1 range and its R2 stretch hold as many
 * records ({@link PairReader}); the first range starts both files at record 0 and the last ends
 * both at their ends, so equal counts in every range mean that record {@code i} of R1 meets record
 * {@code i} of R2 everywhere. A wrong guess (a run of names repeated nearer the estimate than the
 * true mates) fails a task that reads its range to the end rather than pair wrong mates there, and
 * a match is taken only where such a repeat is unlikely ({@link #UNIQUE_REACH}). A name not found
 * exactly once near its estimate, not followed by the names that follow R1's record, or a malformed
 * record near it gives null: the caller counts instead.
 */
public final class PairAnchors {
  /** R2 is searched this many bytes either side of the estimate first. */
  static final long FIRST_REACH = 256 << 10;

  /** Then a reach this many times wider, each time scanning only what it adds. */
  static final int WIDEN = 4;

  /**
   * The widest reach (64 MiB either side) before giving up and counting: reads of 10 kb drift by
   * about 2 MB between equal shares of 1 GiB mates, and a name that is nowhere costs this much.
   */
  static final long MAX_REACH = 64L << 20;

  /**
   * A name found must be the only one of its kind this far either side of the estimate at least,
   * and the records after it must bear the names of the records after R1's ({@link #NEIGHBOURS}): a
   * wrong alignment fails a task that reads its whole range, but a query that stops early (a LIMIT)
   * would pair its first rows by it, so a match is taken only when a repeat is unlikely.
   */
  static final long UNIQUE_REACH = 1 << 20;

  /** The records after a match whose names must agree with those after R1's record. */
  static final int NEIGHBOURS = 16;

  /** Bytes sampled from a file with one range, for its mean record size. */
  static final long SAMPLE_BYTES = 1 << 20;

  /**
   * Where R2's stretches start ({@code starts2[k]} for R1's range starting at {@code starts1[k]}),
   * and the mean bytes per record over the records read to find them (0 when none was read).
   */
  public record Result(long[] starts2, long meanRecordBytes) {}

  /**
   * What aligning one R1 range start found: the R2 offset of its first record's mate ({@code -1}:
   * none could be told), and the records read meanwhile ({@code bytes} between the first and last
   * of each stretch, over {@code records} such gaps), for the mean record size.
   */
  public record Anchor(long offset2, long bytes, long records) {}

  private PairAnchors() {}

  /**
   * Finds the R2 start of every R1 range of {@code starts1} (ascending, the first 0), one after the
   * other ({@link #anchor} and {@link #combine} let a caller find them in parallel).
   *
   * @return the starts, or null when a range start cannot be aligned by name (then count)
   */
  public static Result find(
      RangeOpener opener, InputFile r1, InputFile r2, long[] starts1, ParseOptions parse)
      throws IOException {
    List<Anchor> anchors = new ArrayList<>();
    if (starts1.length == 1) {
      anchors.add(sample(opener, r1, parse));
    }
    for (int k = 1; k < starts1.length; k++) {
      Anchor a = anchor(opener, r1, r2, starts1[k], parse);
      if (a.offset2() < 0) {
        return null;
      }
      anchors.add(a);
    }
    return combine(starts1, anchors);
  }

  /**
   * The starts of {@code anchors} (one per range start after the first, in order, or one {@link
   * #sample} for a single range), or null when one was not found or they go backwards.
   */
  public static Result combine(long[] starts1, List<Anchor> anchors) {
    long[] starts2 = new long[starts1.length];
    long bytes = 0;
    long records = 0;
    for (int i = 0; i < anchors.size(); i++) {
      Anchor a = anchors.get(i);
      bytes += a.bytes();
      records += a.records();
      if (starts1.length == 1) {
        continue;
      }
      int k = i + 1;
      if (a.offset2() < 0 || a.offset2() < starts2[k - 1]) {
        return null;
      }
      starts2[k] = a.offset2();
    }
    return new Result(starts2, records == 0 ? 0 : bytes / records);
  }

  /**
   * Aligns the R1 range starting at {@code start1}: the first record that range owns, and the one
   * record of R2 bearing its name near R1's share of R2's bytes (searched from {@link #FIRST_REACH}
   * either side, widened {@link #WIDEN}-fold up to {@link #MAX_REACH}), followed by records named
   * as R1's next {@link #NEIGHBOURS}.
   */
  public static Anchor anchor(
      RangeOpener opener, InputFile r1, InputFile r2, long start1, ParseOptions parse)
      throws IOException {
    // Malformed text near a start is a reason to count (which reports it as the mode says): a
    // malformed record, or in FAILFAST mode its exception. The query's own mode, so that the
    // parser's code runs as in the tasks that follow.
    Sample sample = new Sample();
    try (Cursor c = new Cursor(opener, r1, start1, Long.MAX_VALUE, parse)) {
      if (!c.next()) {
        // R1 has no record from here on: nor has R2's stretch.
        return new Anchor(r2.length(), 0, 0);
      }
      if (c.malformed()) {
        return new Anchor(-1, 0, 0);
      }
      Mate m = new Mate();
      m.view(c.reader.record(), c.offset(), 0);
      byte[] wanted = m.pairNameBytes();
      long around = estimate(c.offset(), r1, r2);
      byte[][] after = names(c, NEIGHBOURS, m);
      if (after == null) {
        return new Anchor(-1, 0, 0);
      }
      long found = search(opener, r2, around, wanted, parse, sample);
      if (found >= 0 && !followedBy(opener, r2, found, after, parse)) {
        found = -1;
      }
      return new Anchor(found, sample.bytes, sample.records);
    } catch (FastqParseException e) {
      return new Anchor(-1, 0, 0);
    }
  }

  /**
   * The pair names of the next {@code n} records of {@code c} (fewer at the end of the file), or
   * null at a malformed one.
   */
  private static byte[][] names(Cursor c, int n, Mate m) throws IOException {
    byte[][] out = new byte[n][];
    int i = 0;
    while (i < n && c.next()) {
      if (c.malformed()) {
        return null;
      }
      m.view(c.reader.record(), c.offset(), 0);
      out[i++] = m.pairNameBytes();
    }
    return i == n ? out : Arrays.copyOf(out, i);
  }

  /**
   * Whether the records of R2 after the one at {@code at} bear {@code names}, and R2 ends there
   * when R1 did (fewer names than asked).
   */
  private static boolean followedBy(
      RangeOpener opener, InputFile r2, long at, byte[][] names, ParseOptions parse)
      throws IOException {
    try (Cursor c = new Cursor(opener, r2, at, Long.MAX_VALUE, parse)) {
      if (!c.next()) {
        return false;
      }
      Mate m = new Mate();
      byte[][] after = names(c, NEIGHBOURS, m);
      if (after == null || after.length != names.length) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        if (!Arrays.equals(after[i], names[i])) {
          return false;
        }
      }
      return true;
    }
  }

  /** R2's offset at R1's share of its bytes. */
  private static long estimate(long offset1, InputFile r1, InputFile r2) {
    return r1.length() == 0 ? 0 : (long) ((double) offset1 / r1.length() * r2.length());
  }

  /**
   * The offset of the record of R2 named {@code wanted} around {@code around}, the reach widened
   * while none is found and until {@link #UNIQUE_REACH}; -1 when none is, or when the stretch that
   * finds it holds two.
   */
  private static long search(
      RangeOpener opener,
      InputFile r2,
      long around,
      byte[] wanted,
      ParseOptions parse,
      Sample sample)
      throws IOException {
    Mate seen = new Mate();
    long[] found = {-1};
    int matches = 0;
    long lo = around;
    long hi = around;
    for (long reach = FIRST_REACH; reach <= MAX_REACH; reach *= WIDEN) {
      long from = Math.max(0, around - reach);
      long to = Math.min(r2.length(), around + reach);
      // Only what this reach adds: ranges own the records that start in them, so none is seen
      // twice.
      int below = scan(opener, r2, from, lo, wanted, seen, parse, sample, found);
      int above = below < 0 ? -1 : scan(opener, r2, hi, to, wanted, seen, parse, sample, found);
      if (above < 0) {
        return -1; // a malformed record
      }
      matches += below + above;
      if (matches > 1) {
        return -1;
      }
      if (matches == 1 && reach >= UNIQUE_REACH) {
        return found[0];
      }
      if (from == 0 && to == r2.length()) {
        return matches == 1 ? found[0] : -1;
      }
      lo = from;
      hi = to;
    }
    return -1;
  }

  /**
   * Reads the records of {@code f} starting in {@code [from, to)} into {@code sample}: how many
   * bear the name {@code wanted} (none sought when null; the last one's offset into {@code found}),
   * or -1 at a malformed record.
   */
  private static int scan(
      RangeOpener opener,
      InputFile f,
      long from,
      long to,
      byte[] wanted,
      Mate seen,
      ParseOptions parse,
      Sample sample,
      long[] found)
      throws IOException {
    if (from >= to) {
      return 0;
    }
    int matches = 0;
    try (Cursor c = new Cursor(opener, f, from, to, parse)) {
      long first = -1;
      long last = -1;
      long n = 0;
      while (c.next()) {
        if (c.malformed()) {
          return -1;
        }
        last = c.offset();
        first = first < 0 ? last : first;
        n++;
        if (wanted == null) {
          continue;
        }
        seen.view(c.reader.record(), last, 0);
        if (seen.pairNameIs(wanted)) {
          matches++;
          found[0] = last;
        }
      }
      sample.add(first, last, n);
    }
    return matches;
  }

  /**
   * Reads a plain file's first bytes for its mean record size (a single range aligns nothing). A
   * compressed file is not read at planning: the mean only chooses how mapped windows are read.
   */
  public static Anchor sample(RangeOpener opener, InputFile f, ParseOptions parse)
      throws IOException {
    Sample s = new Sample();
    if (f.compression() != Compression.NONE) {
      return new Anchor(0, 0, 0);
    }
    try {
      scan(opener, f, 0, Math.min(f.length(), SAMPLE_BYTES), null, null, parse, s, null);
    } catch (FastqParseException e) {
      // No mean: the range is then not taken for long reads.
    }
    return new Anchor(0, s.bytes, s.records);
  }

  /** Bytes between the first and last record of every stretch read, over the records between. */
  private static final class Sample {
    long bytes;
    long records;

    void add(long first, long last, long n) {
      if (n > 1) {
        bytes += last - first;
        records += n - 1;
      }
    }
  }

  /** The records a range owns, with their offsets. */
  private static final class Cursor implements AutoCloseable {
    final RecordReader reader;
    private final StreamSources.Opened opened;

    Cursor(RangeOpener opener, InputFile f, long start, long end, ParseOptions parse)
        throws IOException {
      opened = opener.open(f, start, end);
      reader = opened.reader(parse, new ParseCounters());
    }

    boolean next() throws IOException {
      return reader.next();
    }

    boolean malformed() {
      return reader.isMalformed();
    }

    long offset() {
      return opened.source().reportedOffset(reader.record().offset());
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
