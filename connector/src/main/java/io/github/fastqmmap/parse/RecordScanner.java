/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * Parses one record at a given offset of a {@link ByteWindow}: four-line records, or wrapped ones
 * with {@code multiLine}. It never reads outside the window; when the record runs past the window
 * it answers {@link #INCOMPLETE} and the caller offers a larger one.
 */
final class RecordScanner {
  static final int OK = 0;
  static final int INCOMPLETE = 1;
  static final int MALFORMED = 2;

  /** The fast path's answer for "not the common case; take the exact path". */
  private static final int SLOW = 3;

  /** Which line a truncation happened in, for messages. */
  private static final String[] LINE_NAMES = {"header", "sequence", "'+'", "quality"};

  private final boolean multiLine;
  private final boolean strict;
  private final QualityEncoding encoding;
  private final long maxRecordBytes;

  // Details of the last MALFORMED answer.
  Problem problem;
  long problemOffset;
  long problemDetail1;
  long problemDetail2;

  /**
   * Whether the fast path skips the checks a well-formed record passes anyway (bases, quality
   * range, the '+' line's title): set for one call by {@link #parseForCount}.
   */
  private boolean lax;

  // Per-call state, so that helpers need not return pairs.
  private long base;
  private long limit;
  private long recordStart;
  private long budgetEnd;
  private boolean eof;
  private int status;

  RecordScanner(ParseOptions options) {
    this.multiLine = options.multiLine();
    this.strict = options.validation() == Validation.STRICT;
    this.encoding = options.qualityEncoding();
    this.maxRecordBytes = options.maxRecordBytes();
  }

  /** A scanner with the same checks but for wrapped records; used to explain failures. */
  RecordScanner asMultiLine() {
    return new RecordScanner(
        ParseOptions.builder()
            .multiLine(true)
            .validation(strict ? Validation.STRICT : Validation.BASIC)
            .qualityEncoding(encoding)
            .maxRecordBytes(maxRecordBytes)
            .build());
  }

  boolean multiLine() {
    return multiLine;
  }

  long maxRecordBytes() {
    return maxRecordBytes;
  }

  /**
   * Like {@link #parse}, for counting records only: a record of four lines whose quality is as long
   * as its sequence is accepted without checking its bases, its quality's range or its '+' line's
   * title, so that each byte of the quality is not read at all. On a well-formed file it finds the
   * same records with the same ends; a record it cannot accept so goes the exact way. Only where a
   * malformed record fails the read anyway (FAILFAST) may a count use it.
   */
  int parseForCount(ByteWindow w, long pos, FastqRecord out) {
    lax = true;
    try {
      return parse(w, pos, out);
    } finally {
      lax = false;
    }
  }

  /**
   * Parses the record whose '@' should be at file offset {@code pos}, which lies inside the window.
   * Returns {@link #OK} with {@code out} filled, {@link #INCOMPLETE}, or {@link #MALFORMED} with
   * {@link #problem} set.
   */
  int parse(ByteWindow w, long pos, FastqRecord out) {
    base = w.address() - w.start();
    limit = base + w.end();
    eof = w.eof();
    long start = base + pos;
    recordStart = start;
    budgetEnd = Math.min(limit, start + maxRecordBytes);
    out.reset();
    out.offset = pos;
    if (start >= limit) {
      return eof ? malformed(Problem.TRUNCATED, pos, 0, 0) : INCOMPLETE;
    }
    if (RawMemory.getByte(start) != FastqSyntax.HEADER) {
      return malformed(Problem.NO_HEADER, pos, 0, 0);
    }
    if (multiLine) {
      return parseWrapped(start, out);
    }
    return parseFourLinesFast(start, out) == OK ? OK : parseFourLines(start, out);
  }

  /**
   * The common case in one pass per line: a whole, well-formed four-line record inside the window.
   * It answers {@link #OK}, or {@link #SLOW} for anything else (malformed, cut by the window,
   * unusual line ends), which {@link #parseFourLines} then works out exactly. Whatever it accepts,
   * {@link #parseFourLines} accepts with the same fields.
   */
  private int parseFourLinesFast(long start, FastqRecord out) {
    long titleStart = start + 1;
    long titleNl = Swar.indexOfNewline(titleStart, budgetEnd);
    if (titleNl < 0) {
      return SLOW;
    }
    long titleEnd = trimCr(titleStart, titleNl);
    long seqStart = titleNl + 1;
    long seqNl =
        strict && !lax
            ? Swar.sequenceLineEnd(seqStart, budgetEnd)
            : Swar.indexOfNewlineInBases(seqStart, budgetEnd);
    if (seqNl < 0) {
      return SLOW;
    }
    long seqEnd = trimCr(seqStart, seqNl);
    long plusStart = seqNl + 1;
    if (plusStart + 1 >= budgetEnd || RawMemory.getByte(plusStart) != FastqSyntax.SEPARATOR) {
      return SLOW;
    }
    long plusNl;
    if (RawMemory.getByte(plusStart + 1) == '\n') {
      plusNl = plusStart + 1; // a bare '+' line: nothing to compare
    } else {
      plusNl = Swar.indexOfNewline(plusStart + 1, budgetEnd);
      if (plusNl < 0
          || (strict
              && !lax
              && checkPlusTitle(titleStart, titleEnd, plusStart + 1, trimCr(plusStart + 1, plusNl))
                  != OK)) {
        return SLOW;
      }
    }
    long qualStart = plusNl + 1;
    int seqLength = (int) (seqEnd - seqStart);
    // The quality must end exactly where the sequence length says.
    long qualEnd = qualStart + seqLength;
    long recordEnd;
    if (qualEnd < budgetEnd) {
      byte b = RawMemory.getByte(qualEnd);
      if (b == '\n') {
        recordEnd = qualEnd + 1;
      } else if (b == '\r' && qualEnd + 1 < budgetEnd && RawMemory.getByte(qualEnd + 1) == '\n') {
        recordEnd = qualEnd + 2;
      } else {
        return SLOW;
      }
    } else if (qualEnd == budgetEnd && budgetEnd == limit && eof) {
      recordEnd = limit; // the last line of the file, without a line end
    } else {
      return SLOW;
    }
    if (lax) {
      // Counting: the quality's bytes are not read; a quality of another length than the
      // sequence's seldom ends in a line end exactly there, and fails the read if it does.
    } else if (strict) {
      // The range check also proves that no line end lies inside the quality.
      if (Swar.indexOutsideRange(qualStart, qualEnd, encoding.minChar(), QualityEncoding.MAX_CHAR)
          >= 0) {
        return SLOW;
      }
    } else if (Swar.indexOfNewline(qualStart, qualEnd) >= 0
        || (qualEnd > qualStart
            && recordEnd != qualEnd + 2
            && RawMemory.getByte(qualEnd - 1) == '\r')) {
      return SLOW;
    }
    fillTitle(out, titleStart, titleEnd);
    out.sequenceAddress = seqStart;
    out.sequenceLength = seqLength;
    out.qualityAddress = qualStart;
    out.qualityLength = seqLength;
    out.end = recordEnd - base;
    return OK;
  }

  private int parseFourLines(long start, FastqRecord out) {
    long titleStart = start + 1;
    long nl = lineEnd(titleStart, 0);
    if (nl < 0) {
      return status;
    }
    long titleEnd = trimCr(titleStart, nl);
    long seqStart = nl + 1;
    nl = lineEnd(seqStart, 1);
    if (nl < 0) {
      return status;
    }
    long seqEnd = trimCr(seqStart, nl);
    long plusStart = nl + 1;
    if (plusStart >= limit) {
      return missingLine(plusStart, 2);
    }
    if (RawMemory.getByte(plusStart) != FastqSyntax.SEPARATOR) {
      return malformed(Problem.NO_PLUS, plusStart - base, 0, 0);
    }
    nl = lineEnd(plusStart + 1, 2);
    if (nl < 0) {
      return status;
    }
    long plusEnd = trimCr(plusStart + 1, nl);
    long qualStart = nl + 1;
    long qualLineEnd = lastLineEnd(qualStart);
    if (qualLineEnd < 0) {
      return status;
    }
    long qualEnd = trimCr(qualStart, qualLineEnd);
    int seqLength = (int) (seqEnd - seqStart);
    int qualLength = (int) (qualEnd - qualStart);
    if (seqLength != qualLength) {
      return malformed(Problem.LENGTH_MISMATCH, qualStart - base, seqLength, qualLength);
    }
    if (strict) {
      int checked = checkSequence(seqStart, seqEnd);
      if (checked != OK) {
        return checked;
      }
      checked = checkQuality(qualStart, qualEnd);
      if (checked != OK) {
        return checked;
      }
      checked = checkPlusTitle(titleStart, titleEnd, plusStart + 1, plusEnd);
      if (checked != OK) {
        return checked;
      }
    }
    fillTitle(out, titleStart, titleEnd);
    out.sequenceAddress = seqStart;
    out.sequenceLength = seqLength;
    out.qualityAddress = qualStart;
    out.qualityLength = qualLength;
    out.end = qualLineEnd == limit ? qualLineEnd - base : qualLineEnd + 1 - base;
    return OK;
  }

  private int parseWrapped(long start, FastqRecord out) {
    long titleStart = start + 1;
    long nl = lineEnd(titleStart, 0);
    if (nl < 0) {
      return status;
    }
    long titleEnd = trimCr(titleStart, nl);
    // Sequence lines run until a line that starts with '+'.
    long line = nl + 1;
    long seqLength = 0;
    while (true) {
      if (line >= limit) {
        return missingLine(line, 1);
      }
      if (RawMemory.getByte(line) == FastqSyntax.SEPARATOR) {
        break;
      }
      nl = lineEnd(line, 1);
      if (nl < 0) {
        return status;
      }
      long end = trimCr(line, nl);
      if (strict) {
        int checked = checkSequence(line, end);
        if (checked != OK) {
          return checked;
        }
      }
      out.sequenceParts.add(line, (int) (end - line));
      seqLength += end - line;
      line = nl + 1;
    }
    long plusStart = line;
    nl = lineEnd(plusStart + 1, 2);
    if (nl < 0) {
      return status;
    }
    long plusEnd = trimCr(plusStart + 1, nl);
    // Quality lines: at least one, then more until the quality is as long as the sequence.
    line = nl + 1;
    long qualLength = 0;
    long recordEnd;
    while (true) {
      long lineEnd = lastLineEnd(line);
      if (lineEnd < 0) {
        return status;
      }
      long end = trimCr(line, lineEnd);
      if (strict) {
        int checked = checkQuality(line, end);
        if (checked != OK) {
          return checked;
        }
      }
      out.qualityParts.add(line, (int) (end - line));
      qualLength += end - line;
      if (lineEnd == limit) {
        recordEnd = lineEnd;
        break;
      }
      recordEnd = lineEnd + 1;
      if (qualLength >= seqLength) {
        break;
      }
      line = recordEnd;
      if (line >= limit && eof) {
        break; // the file ends short of the sequence's length
      }
    }
    if (qualLength != seqLength) {
      return malformed(Problem.LENGTH_MISMATCH, line - base, seqLength, qualLength);
    }
    if (strict) {
      int checked = checkPlusTitle(titleStart, titleEnd, plusStart + 1, plusEnd);
      if (checked != OK) {
        return checked;
      }
    }
    fillTitle(out, titleStart, titleEnd);
    out.sequenceLength = (int) seqLength;
    out.qualityLength = (int) qualLength;
    out.wrapped = true;
    out.end = recordEnd - base;
    return OK;
  }

  /**
   * The address of the newline ending the line that starts at {@code from}, or -1 with {@link
   * #status} set when the window or the record budget ends first.
   */
  private long lineEnd(long from, int lineKind) {
    long nl = Swar.indexOfNewline(from, budgetEnd);
    if (nl >= 0) {
      return nl;
    }
    status = missingLine(from, lineKind);
    return -1;
  }

  /** Like {@link #lineEnd} for a quality line, which may also end at the end of the file. */
  private long lastLineEnd(long from) {
    long nl = Swar.indexOfNewline(from, budgetEnd);
    if (nl >= 0) {
      return nl;
    }
    if (eof && budgetEnd == limit) {
      return limit;
    }
    status = missingLine(from, 3);
    return -1;
  }

  private int missingLine(long lineStart, int lineKind) {
    if (budgetEnd - recordStart >= maxRecordBytes) {
      return status = malformed(Problem.TOO_LONG, recordStart - base, maxRecordBytes, 0);
    }
    if (!eof) {
      return status = INCOMPLETE;
    }
    return status = malformed(Problem.TRUNCATED, lineStart - base, lineKind, 0);
  }

  private static long trimCr(long lineStart, long lineEnd) {
    return lineEnd > lineStart && RawMemory.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
  }

  private int checkSequence(long from, long to) {
    long bad = Swar.indexOfNonBase(from, to);
    return bad < 0 ? OK : malformed(Problem.BAD_BASE, bad - base, RawMemory.getByte(bad), 0);
  }

  private int checkQuality(long from, long to) {
    long bad = Swar.indexOutsideRange(from, to, encoding.minChar(), QualityEncoding.MAX_CHAR);
    return bad < 0 ? OK : malformed(Problem.BAD_QUALITY, bad - base, RawMemory.getByte(bad), 0);
  }

  private int checkPlusTitle(long titleStart, long titleEnd, long plusStart, long plusEnd) {
    long plusLength = plusEnd - plusStart;
    if (plusLength == 0) {
      return OK;
    }
    if (plusLength == titleEnd - titleStart
        && Swar.equal(titleStart, plusStart, (int) plusLength)) {
      return OK;
    }
    return malformed(Problem.TITLE_MISMATCH, plusStart - 1 - base, 0, 0);
  }

  private static void fillTitle(FastqRecord out, long titleStart, long titleEnd) {
    out.titleAddress = titleStart;
    out.titleLength = (int) (titleEnd - titleStart);
  }

  private int malformed(Problem kind, long offset, long detail1, long detail2) {
    problem = kind;
    problemOffset = offset;
    problemDetail1 = detail1;
    problemDetail2 = detail2;
    return MALFORMED;
  }

  /** The last MALFORMED answer in words, without file or offset. */
  String describeProblem() {
    switch (problem) {
      case NO_HEADER:
        return "expected '@' at the start of a record";
      case NO_PLUS:
        return "expected a '+' line after the sequence line";
      case LENGTH_MISMATCH:
        return "the quality has "
            + characters(problemDetail2)
            + " but the sequence has "
            + problemDetail1;
      case TRUNCATED:
        return "the file ends inside the record's " + LINE_NAMES[(int) problemDetail1] + " line";
      case BAD_BASE:
        return FastqSyntax.badBase((byte) problemDetail1, "");
      case BAD_QUALITY:
        return FastqSyntax.badQuality((byte) problemDetail1, "", encoding);
      case TITLE_MISMATCH:
        return "the title on the '+' line differs from the header's";
      case TOO_LONG:
        return "the record is longer than maxRecordBytes ("
            + problemDetail1
            + " bytes); raise maxRecordBytes if records this long are expected";
      default:
        throw new AssertionError(problem);
    }
  }

  private static String characters(long n) {
    return n == 1 ? "1 character" : n + " characters";
  }
}
