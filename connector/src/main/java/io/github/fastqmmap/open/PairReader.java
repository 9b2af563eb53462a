/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.stream.Compression;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads paired-end reads, mate by mate, without Spark: record {@code i} of an R1 file with record
 * {@code i} of its R2 file, or records {@code 2i} and {@code 2i + 1} of an interleaved file. Mates'
 * names must agree once a trailing {@code /1} or {@code /2} is removed (unless the check is off); a
 * disagreement is a malformed pair under the parse mode: FAILFAST throws, naming both files, both
 * offsets and the pair's ordinal; DROPMALFORMED skips the pair; PERMISSIVE returns it with {@link
 * #isMalformed()} true. Files whose record counts differ fail, naming both counts and where each
 * file's last record is.
 *
 * <pre>{@code
 * try (PairReader pairs = PairReader.open(Path.of("S1_R1.fastq.gz"), Path.of("S1_R2.fastq.gz"))) {
 *   while (pairs.next()) {
 *     System.out.println(pairs.first().pairName() + " " + pairs.second().sequence());
 *   }
 * }
 * }</pre>
 *
 * <p>The Spark data source reads pairs through the same class, with readers positioned by the
 * counting pass ({@link RangeCounter}, {@link OrdinalIndex}) so that each task reads the same
 * ordinals of both files.
 */
public final class PairReader implements Closeable {
  private final OrdinalReader first;
  private final OrdinalReader second;
  private final boolean interleaved;
  private final ParseOptions parse;
  private final ParseCounters counters;
  private final boolean checkNames;
  private final Mate mate1 = new Mate();
  private final Mate mate2 = new Mate();

  private long nextPair;
  private boolean malformed;

  /**
   * For a stretch aligned by names ({@link #alignedByNames}): the opener that recounts on error
   * paths, and where the stretch starts in each file; else null. The pair ordinals are then
   * relative to the stretch until {@link #ordinal()} resolves them.
   */
  private RangeOpener recount;

  private long start1;
  private long start2;

  /** Pairs before the stretch, once counted (-1 before). */
  private long pairsBefore = -1;

  /**
   * Pairs two readers over the same ordinals of R1 and R2 ({@code second} non-null), or reads pairs
   * from one interleaved reader ({@code second} null) that starts at an even record ordinal.
   *
   * @param firstPair the ordinal of the first pair the readers give
   */
  public PairReader(
      OrdinalReader first,
      OrdinalReader second,
      long firstPair,
      ParseOptions parse,
      ParseCounters counters,
      boolean checkNames) {
    this.first = first;
    this.second = second;
    this.interleaved = second == null;
    this.parse = parse;
    this.counters = counters;
    this.checkNames = checkNames;
    this.nextPair = firstPair;
  }

  /**
   * Makes this reader one over a stretch of R1 from byte {@code start1} and of R2 from {@code
   * start2} that {@link PairAnchors} aligned by names: its ordinals start at 0 (the pairs before
   * are counted only if an error or {@link #ordinal()} needs them), and when one file's stretch
   * ends before the other's, the files are counted whole to tell different counts from a wrong
   * alignment.
   */
  public void alignedByNames(RangeOpener opener, long start1, long start2) {
    this.recount = opener;
    this.start1 = start1;
    this.start2 = start2;
    this.nextPair = 0;
  }

  /** Reads two whole files as pairs, with default options. */
  public static PairReader open(Path r1, Path r2) throws IOException {
    return open(r1, r2, ParseOptions.defaults(), true);
  }

  /** Reads two whole files as pairs. */
  public static PairReader open(Path r1, Path r2, ParseOptions parse, boolean checkNames)
      throws IOException {
    ParseCounters counters = new ParseCounters();
    OrdinalReader a = wholeFile(r1, parse, counters);
    try {
      return new PairReader(a, wholeFile(r2, parse, counters), 0, parse, counters, checkNames);
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** Reads a whole interleaved file as pairs. */
  public static PairReader interleaved(Path file, ParseOptions parse, boolean checkNames)
      throws IOException {
    ParseCounters counters = new ParseCounters();
    return new PairReader(wholeFile(file, parse, counters), null, 0, parse, counters, checkNames);
  }

  private static OrdinalReader wholeFile(Path file, ParseOptions parse, ParseCounters counters)
      throws IOException {
    InputFile input = InputFile.inspect(LocalStorage.INSTANCE, file.toString());
    RangeOpener opener =
        new RangeOpener(
            LocalStorage.INSTANCE, parse, MappingOptions.defaults(), new MappingCounters());
    OrdinalIndex.Entry start = new OrdinalIndex.Entry(0, 0, -1);
    return new OrdinalReader(
        opener, input, start, start, 0, Long.MAX_VALUE, parse, counters, true, -1, Long.MAX_VALUE);
  }

  /**
   * Moves to the next pair.
   *
   * @return false after the last pair
   * @throws FastqParseException for mates whose names disagree in FAILFAST mode, for files whose
   *     record counts differ, and for an interleaved file with an odd number of records
   */
  public boolean next() throws IOException {
    while (true) {
      boolean a = first.next();
      if (a && first.isMalformed()) {
        mate1.malformed(malformedText(first), first.reportedOffset(), first.ordinal());
      } else if (a && interleaved) {
        mate1.copy(first.record(), first.reportedOffset(), first.ordinal());
      } else if (a) {
        mate1.view(first.record(), first.reportedOffset(), first.ordinal());
      }
      OrdinalReader other = interleaved ? first : second;
      boolean b = other.next();
      if (!a && !b) {
        return false;
      }
      if (interleaved && !b) {
        throw oddCount(
            first.file().name(), offsetLabel(first.file()), mate1.recordOrdinal(), mate1.offset());
      }
      if (!a || !b) {
        throw recount != null ? unaligned() : differentCounts(a);
      }
      if (other.isMalformed()) {
        mate2.malformed(malformedText(other), other.reportedOffset(), other.ordinal());
      } else {
        mate2.view(other.record(), other.reportedOffset(), other.ordinal());
      }
      long ordinal = nextPair++;
      if (mate1.isMalformed() || mate2.isMalformed()) {
        // A malformed mate (PERMISSIVE or DROPMALFORMED; FAILFAST failed in the parser, which
        // counted it as a malformed record) kept its ordinal: the pair is malformed, and the pairs
        // after it stay aligned.
        if (parse.mode() == ParseMode.DROPMALFORMED) {
          counters.droppedRecords++;
          continue;
        }
        malformed = true;
        return true;
      }
      if (!checkNames || Mate.namesAgree(mate1, mate2)) {
        malformed = false;
        return true;
      }
      counters.malformedRecords++;
      if (parse.mode() == ParseMode.FAILFAST) {
        throw countsFirst(mismatch(ordinal + pairsBefore()));
      }
      if (parse.mode() == ParseMode.DROPMALFORMED) {
        counters.droppedRecords++;
        continue;
      }
      malformed = true;
      return true;
    }
  }

  /** Longest malformed mate's text kept for the corrupt record. */
  private static final int MAX_MALFORMED_TEXT = 1 << 20;

  private static String malformedText(OrdinalReader r) throws IOException {
    return new String(r.malformedText(MAX_MALFORMED_TEXT), StandardCharsets.UTF_8);
  }

  private FastqParseException differentCounts(boolean firstLonger) throws IOException {
    OrdinalReader longer = firstLonger ? first : second;
    long shorterCount = (firstLonger ? second : first).ordinal() + 1;
    // The shorter file's last item is still its mate's; the longer one is read to its end.
    long shorterLast = shorterCount == 0 ? -1 : (firstLonger ? mate2 : mate1).offset();
    long longerCount = longer.ordinal() + 1;
    long longerLast = longer.reportedOffset();
    while (longer.next()) {
      longerCount++;
      longerLast = longer.reportedOffset();
    }
    return differentCounts(
        first.file(),
        firstLonger ? longerCount : shorterCount,
        firstLonger ? longerLast : shorterLast,
        second.file(),
        firstLonger ? shorterCount : longerCount,
        firstLonger ? shorterLast : longerLast);
  }

  /**
   * Pairs before this reader's first: 0 unless aligned by names, where R1's records before the
   * stretch are counted (once).
   */
  private long pairsBefore() throws IOException {
    if (recount == null) {
      return 0;
    }
    if (pairsBefore < 0) {
      pairsBefore = countBefore(first.file(), start1).records();
    }
    return pairsBefore;
  }

  /**
   * The records (and malformed stretches, as pairs count them) of {@code f} that start before
   * {@code end}: the counting pass's count, for the error paths of a stretch aligned by names,
   * which knows neither its ordinals nor the files' counts.
   */
  private RangeCounter.Result countBefore(InputFile f, long end) throws IOException {
    return RangeCounter.count(
        recount, f, 0, end, parse, new ParseCounters(), Integer.MAX_VALUE, true, false, false);
  }

  /**
   * For a stretch aligned by names, the files' different counts when they differ (else null): a
   * record missing from one file makes the names disagree from there on, or one stretch end before
   * the other's, and counted pairs report the counts before any read.
   */
  private FastqParseException countsDiffer(RangeCounter.Result c1, RangeCounter.Result c2) {
    return c1.records() == c2.records()
        ? null
        : differentCounts(
            first.file(),
            c1.records(),
            c1.lastOffset(),
            second.file(),
            c2.records(),
            c2.lastOffset());
  }

  /** {@code e}, or for a stretch aligned by names whose files' counts differ, that error. */
  private FastqParseException countsFirst(FastqParseException e) throws IOException {
    if (recount == null) {
      return e;
    }
    FastqParseException differ =
        countsDiffer(
            countBefore(first.file(), first.file().length()),
            countBefore(second.file(), second.file().length()));
    return differ != null ? differ : e;
  }

  /**
   * The error for a stretch aligned by names whose R1 and R2 parts hold different numbers of
   * records: the files' counts differ (named as ever), or, the counts being equal, a name near a
   * range start repeats and the alignment guessed wrong.
   */
  private FastqParseException unaligned() throws IOException {
    InputFile f1 = first.file();
    InputFile f2 = second.file();
    RangeCounter.Result c1 = countBefore(f1, f1.length());
    FastqParseException differ = countsDiffer(c1, countBefore(f2, f2.length()));
    if (differ != null) {
      return differ;
    }
    return new FastqParseException(
        f1.name(),
        start1,
        "Paired files "
            + f1.name()
            + " and "
            + f2.name()
            + " both hold "
            + c1.records()
            + " records, but the task that read R1 from "
            + offsetLabel(f1)
            + " "
            + start1
            + " and R2 from "
            + offsetLabel(f2)
            + " "
            + start2
            + " found different numbers of records in them. Their ranges were aligned at planning by"
            + " the mates' names (pairAlignment=auto), and a name near a range start repeats, or"
            + " the files changed since the query was planned. Read them with"
            + " pairAlignment=count, which counts the records instead.");
  }

  /**
   * The error for an interleaved file whose last record (or malformed stretch), of ordinal {@code
   * last} at {@code offset} ({@code offsetLabel} says of what kind), has no mate.
   */
  public static FastqParseException oddCount(
      String file, String offsetLabel, long last, long offset) {
    return new FastqParseException(
        file,
        offset,
        "Interleaved file "
            + file
            + " has an odd number of records: record "
            + last
            + " (0-based, at "
            + offsetLabel
            + " "
            + offset
            + ") has no mate. An interleaved file holds R1, R2, R1, R2, ...; read it without"
            + " interleaved=true if it holds single reads.");
  }

  /**
   * The error for mate files whose record counts differ, naming where each file's last record (or
   * malformed stretch) is ({@code last1}, {@code last2}: -1 for a file without any), so that a user
   * sees where the shorter one may have been cut.
   */
  public static FastqParseException differentCounts(
      InputFile r1, long count1, long last1, InputFile r2, long count2, long last2) {
    InputFile longer = count1 > count2 ? r1 : r2;
    return new FastqParseException(
        longer.name(),
        count1 > count2 ? last1 : last2,
        "Paired files have different record counts: "
            + r1.name()
            + " has "
            + count1
            + " records and "
            + r2.name()
            + " has "
            + count2
            + ". The records of "
            + longer.name()
            + " from record "
            + Math.min(count1, count2)
            + " (0-based) on have no mate; "
            + lastRecord(r1, count1, last1)
            + " and "
            + lastRecord(r2, count2, last2)
            + ". Record i of one is paired with record i of the other, so both must hold the same"
            + " reads in the same order; check that they are mates (and complete).");
  }

  private static String lastRecord(InputFile f, long count, long offset) {
    return count == 0
        ? f.name() + " has none"
        : "the last record of " + f.name() + " is at " + offsetLabel(f) + " " + offset;
  }

  private FastqParseException mismatch(long ordinal) {
    InputFile f1 = first.file();
    InputFile f2 = interleaved ? f1 : second.file();
    String where =
        interleaved ? "interleaved file " + f1.name() : "files " + f1.name() + " and " + f2.name();
    return new FastqParseException(
        f1.name(),
        mate1.offset(),
        "Mates' names disagree in pair "
            + ordinal
            + " (0-based) of "
            + where
            + ": the record at "
            + offsetLabel(f1)
            + " "
            + mate1.offset()
            + " of "
            + f1.name()
            + " is named '"
            + mate1.name()
            + "' and the record at "
            + offsetLabel(f2)
            + " "
            + mate2.offset()
            + " of "
            + f2.name()
            + " is named '"
            + mate2.name()
            + "'. Mates' names must be equal once a trailing /1 or /2 is removed. Check that the"
            + " files are mates in the same order; set checkPairNames=false if the names differ"
            + " on purpose, or mode to DROPMALFORMED to skip such pairs or to PERMISSIVE to keep"
            + " their text in the corrupt-record column.");
  }

  /** What an offset of this file counts, in messages. */
  public static String offsetLabel(InputFile f) {
    if (f.compression() == Compression.BGZF) {
      return "BGZF virtual offset";
    }
    return f.compression() == Compression.NONE ? "byte offset" : "uncompressed byte offset";
  }

  /** Mate 1 of the current pair. */
  public Mate first() {
    return mate1;
  }

  /** Mate 2 of the current pair. */
  public Mate second() {
    return mate2;
  }

  /**
   * The current pair's ordinal (0-based) in its files. A reader {@link #alignedByNames} counts the
   * pairs before its stretch the first time it is asked.
   */
  public long ordinal() throws IOException {
    return nextPair - 1 + pairsBefore();
  }

  /** Whether the current pair's names disagree (PERMISSIVE mode only). */
  public boolean isMalformed() {
    return malformed;
  }

  /** What the readers counted so far (both mates' records, malformed pairs). */
  public ParseCounters counters() {
    return counters;
  }

  /** The R1 (or interleaved) reader. */
  public OrdinalReader firstReader() {
    return first;
  }

  /** The R2 reader, or null for an interleaved file. */
  public OrdinalReader secondReader() {
    return second;
  }

  @Override
  public void close() throws IOException {
    try {
      first.close();
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }
}
