/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * Byte searches and checks eight bytes at a time (SIMD within a register) over native memory. Every
 * test is exact per byte, so results do not depend on byte order.
 */
final class Swar {
  private static final long ONES = 0x0101010101010101L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGHS = ~LOW7;
  private static final long NEWLINES = ONES * '\n';
  private static final long CASE_BIT = ONES * 0x20;
  private static final long BIT6 = ONES * 0x40;
  private static final long SPACES = ONES * ' ';
  private static final long TABS = ONES * '\t';
  private static final long RETURNS = ONES * '\r';
  private static final long LETTERS_FROM = ONES * 'a';
  private static final long LETTERS_FILL = ONES * (127 - ('z' - 'a'));

  private Swar() {}

  /** High bit set in exactly the bytes of {@code x} that are zero. */
  static long zeroBytes(long x) {
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }

  /** High bit set in exactly the bytes that are below {@code n} (unsigned), 0 < n <= 128. */
  static long bytesBelow(long x, int n) {
    // (b | 0x80) - n keeps bit 7 iff b >= n for b < 128; bytes >= 128 are never below n.
    return ~((x | ~LOW7) - ONES * n) & ~x & ~LOW7;
  }

  /** High bit set in exactly the bytes that are above {@code n} (unsigned), 0 <= n < 128. */
  static long bytesAbove(long x, int n) {
    return (((x & LOW7) + ONES * (127 - n)) | x) & ~LOW7;
  }

  /**
   * Bytes a search covers in steps before it moves to {@link #BLOCK}s: short reads' lines end
   * within it, so blocks are for long reads only.
   */
  static final int SHORT_SPAN = 256;

  /**
   * Bytes of one block of a long line, tested with no branch inside and one test after it: 1.7x the
   * speed of the 32-byte steps for line ends and 1.2x the 16-byte steps for the quality range, on
   * 10 kb reads here (a guess: the JIT vectorizes such a loop, not one that may leave at every
   * step). The block loops sit in their own methods so that the code short reads run stays small.
   */
  static final int BLOCK = 256;

  /** Address of the first {@code '\n'} in {@code [from, to)}, or -1. */
  static long indexOfNewline(long from, long to) {
    return indexOfNewline(from, to, false);
  }

  /**
   * {@link #indexOfNewline} for a line of bases that is not checked (counting, or checks off): a
   * long line's blocks are first tested for bit 6, which every letter has and {@code '\n'} has not,
   * with one AND per word; only a block that fails it gets the exact test. Exact for any bytes. A
   * walk over every line of 1 GiB of long reads (mapped, read-ahead layout, one thread, after one
   * warm-up walk) took 81 to 83 ms with it against 104 to 114 ms with {@link #indexOfNewline}.
   */
  static long indexOfNewlineInBases(long from, long to) {
    return indexOfNewline(from, to, true);
  }

  /** Steps over the short span, then blocks, tested on bit 6 first when {@code bases}. */
  private static long indexOfNewline(long from, long to, boolean bases) {
    long shortEnd = Math.min(to, from + SHORT_SPAN);
    long hit = indexOfNewlineInSteps(from, shortEnd);
    if (hit >= 0 || shortEnd == to) {
      return hit;
    }
    long past =
        bases
            ? pastBlocksOfBasesWithoutNewline(shortEnd, to)
            : pastBlocksWithoutNewline(shortEnd, to);
    return indexOfNewlineInSteps(past, to);
  }

  /** From {@code from}, past the whole {@link #BLOCK}s of {@code [from, to)} with no line end. */
  private static long pastBlocksWithoutNewline(long from, long to) {
    long p = from;
    for (; p + BLOCK <= to; p += BLOCK) {
      long seen = 0;
      for (int i = 0; i < BLOCK; i += 8) {
        long x = RawMemory.getLong(p + i) ^ NEWLINES;
        seen |= (x - ONES) & ~x; // a high bit in some byte iff some byte of x is zero
      }
      if ((seen & HIGHS) != 0) {
        break;
      }
    }
    return p;
  }

  /**
   * From {@code from}, past the whole {@link #BLOCK}s of {@code [from, to)} with no line end, each
   * block proven so by bit 6 in every byte or, failing that, by the exact test.
   */
  private static long pastBlocksOfBasesWithoutNewline(long from, long to) {
    long p = from;
    for (; p + BLOCK <= to; p += BLOCK) {
      // Four accumulators, so that the ANDs do not wait on each other.
      long a = -1L;
      long b = -1L;
      long c = -1L;
      long d = -1L;
      for (int i = 0; i < BLOCK; i += 32) {
        a &= RawMemory.getLong(p + i);
        b &= RawMemory.getLong(p + i + 8);
        c &= RawMemory.getLong(p + i + 16);
        d &= RawMemory.getLong(p + i + 24);
      }
      if ((~(a & b & c & d) & BIT6) != 0 && pastBlocksWithoutNewline(p, p + BLOCK) == p) {
        break;
      }
    }
    return p;
  }

  /** {@link #indexOfNewline} in 32-byte steps, for short spans. */
  private static long indexOfNewlineInSteps(long from, long to) {
    long p = from;
    // Thirty-two bytes per step, one branch, while no line end is in sight.
    for (; p + 32 <= to; p += 32) {
      long a = zeroBytes(RawMemory.getLong(p) ^ NEWLINES);
      long b = zeroBytes(RawMemory.getLong(p + 8) ^ NEWLINES);
      long c = zeroBytes(RawMemory.getLong(p + 16) ^ NEWLINES);
      long d = zeroBytes(RawMemory.getLong(p + 24) ^ NEWLINES);
      if ((a | b | c | d) != 0) {
        if (a != 0) {
          return p + firstByte(a);
        }
        if (b != 0) {
          return p + 8 + firstByte(b);
        }
        return c != 0 ? p + 16 + firstByte(c) : p + 24 + firstByte(d);
      }
    }
    for (; p + 8 <= to; p += 8) {
      long hits = zeroBytes(RawMemory.getLong(p) ^ NEWLINES);
      if (hits != 0) {
        return p + firstByte(hits);
      }
    }
    for (; p < to; p++) {
      if (RawMemory.getByte(p) == '\n') {
        return p;
      }
    }
    return -1;
  }

  /**
   * Nonzero when some byte of {@code x} lies outside {@code [lo, lo + span]} (unsigned), given
   * {@code loOnes = ONES * lo} with {@code lo <= 128} and {@code spanFill = ONES * (127 - span)}
   * with {@code span < 128}. Exact as a yes/no answer (the lowest bad byte always sets its flag: a
   * byte below {@code lo} wraps to 128 or more, one above lands above {@code span}), but a borrow
   * may also flag good bytes above a bad one, so it does not say which byte.
   */
  static long anyOutside(long x, long loOnes, long spanFill) {
    long y = x - loOnes;
    return (((y & LOW7) + spanFill) | y) & ~LOW7;
  }

  /** Address of the first byte in {@code [from, to)} outside {@code [lo, hi]}, or -1. */
  static long indexOutsideRange(long from, long to, int lo, int hi) {
    long loOnes = ONES * lo;
    long spanFill = ONES * (127 - (hi - lo));
    // A long read's quality first passes the whole blocks that are in range.
    long p = hi >= lo && to - from >= BLOCK ? pastBlocksInRange(from, to, loOnes, spanFill) : from;
    // Sixteen bytes per step while everything is in range: the common case, with one branch.
    for (; hi >= lo && p + 16 <= to; p += 16) {
      if ((anyOutside(RawMemory.getLong(p), loOnes, spanFill)
              | anyOutside(RawMemory.getLong(p + 8), loOnes, spanFill))
          != 0) {
        break;
      }
    }
    for (; p + 8 <= to; p += 8) {
      long x = RawMemory.getLong(p);
      long bad = bytesBelow(x, lo) | bytesAbove(x, hi);
      if (bad != 0) {
        return p + firstByte(bad);
      }
    }
    for (; p < to; p++) {
      int b = RawMemory.getByte(p) & 0xFF;
      if (b < lo || b > hi) {
        return p;
      }
    }
    return -1;
  }

  /**
   * Address of the first byte in {@code [from, to)} that is not a letter or {@code - . *}: the
   * in-place check below on native memory (a line fits an int: maxRecordBytes does).
   */
  static long indexOfNonBase(long from, long to) {
    int bad = indexOfNonBase(null, from, (int) (to - from));
    return bad < 0 ? -1 : from + bad;
  }

  /**
   * Address of the {@code '\n'} that ends a sequence line starting at {@code from}, provided every
   * byte before it is a base (a letter or {@code - . *}), allowing one {@code '\r'} just before the
   * {@code '\n'}; -1 when the line has another byte or does not end before {@code to}. Checks and
   * searches in one pass.
   */
  static long sequenceLineEnd(long from, long to) {
    // Sixteen bytes per step while every byte is a letter (case folded to 'a'..'z'), over the
    // span where short reads' lines end; a long read's line goes on in blocks.
    long shortEnd = Math.min(to, from + SHORT_SPAN);
    long p = pastLetterSteps(from, shortEnd);
    if (p + 16 > shortEnd && shortEnd < to) {
      p = pastLetters(p, to);
    }
    for (; p + 8 <= to; p += 8) {
      long folded = RawMemory.getLong(p) | CASE_BIT;
      long notLetters = bytesBelow(folded, 'a') | bytesAbove(folded, 'z');
      if (notLetters != 0) {
        p += firstByte(notLetters);
        if (RawMemory.getByte(p) == '\n') {
          return p; // the usual end: letters, then the line end
        }
        break; // '\r', '-', '.', '*' or a bad byte: finish byte by byte
      }
    }
    for (; p < to; p++) {
      byte b = RawMemory.getByte(p);
      if (b == '\n') {
        return p;
      }
      if (b == '\r') {
        return p + 1 < to && RawMemory.getByte(p + 1) == '\n' ? p + 1 : -1;
      }
      if (!isBase(b)) {
        return -1;
      }
    }
    return -1;
  }

  /** Address of the first space or tab in {@code [from, to)}, or {@code to}. */
  static long indexOfBlank(long from, long to) {
    long p = from;
    for (; p + 8 <= to; p += 8) {
      long x = RawMemory.getLong(p);
      long hits = zeroBytes(x ^ SPACES) | zeroBytes(x ^ TABS);
      if (hits != 0) {
        return p + firstByte(hits);
      }
    }
    for (; p < to; p++) {
      byte b = RawMemory.getByte(p);
      if (b == ' ' || b == '\t') {
        return p;
      }
    }
    return to;
  }

  /** From {@code from}, past the whole {@link #BLOCK}s of {@code [from, to)} all in the range. */
  private static long pastBlocksInRange(long from, long to, long loOnes, long spanFill) {
    long p = from;
    for (; p + BLOCK <= to; p += BLOCK) {
      long seen = 0;
      for (int i = 0; i < BLOCK; i += 8) {
        seen |= anyOutside(RawMemory.getLong(p + i), loOnes, spanFill);
      }
      if (seen != 0) {
        break;
      }
    }
    return p;
  }

  /**
   * From {@code from}, past the whole {@link #BLOCK}s and then the 16-byte steps of {@code [from,
   * to)} that hold only letters (case folded): where {@link #sequenceLineEnd} is to go on.
   */
  private static long pastLetters(long from, long to) {
    long p = from;
    for (; p + BLOCK <= to; p += BLOCK) {
      long seen = 0;
      for (int i = 0; i < BLOCK; i += 8) {
        seen |= anyOutside(RawMemory.getLong(p + i) | CASE_BIT, LETTERS_FROM, LETTERS_FILL);
      }
      if (seen != 0) {
        break;
      }
    }
    return pastLetterSteps(p, to);
  }

  /**
   * From {@code from}, past the 16-byte steps of {@code [from, to)} that hold only letters (case
   * folded), with one branch per step.
   */
  private static long pastLetterSteps(long from, long to) {
    long p = from;
    for (; p + 16 <= to; p += 16) {
      if ((anyOutside(RawMemory.getLong(p) | CASE_BIT, LETTERS_FROM, LETTERS_FILL)
              | anyOutside(RawMemory.getLong(p + 8) | CASE_BIT, LETTERS_FROM, LETTERS_FILL))
          != 0) {
        break;
      }
    }
    return p;
  }

  /** {@link FastqSyntax#isBase}; the word-wide tests above are its fast forms for letters. */
  static boolean isBase(byte b) {
    return FastqSyntax.isBase(b);
  }

  /** Whether {@code length} bytes at {@code a} and at {@code b} are equal. */
  static boolean equal(long a, long b, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      if (RawMemory.getLong(a + i) != RawMemory.getLong(b + i)) {
        return false;
      }
    }
    for (; i < length; i++) {
      if (RawMemory.getByte(a + i) != RawMemory.getByte(b + i)) {
        return false;
      }
    }
    return true;
  }

  // The checks below read a value in place, as the writer finds it in a Spark row: at an object and
  // an offset (the object null for native memory), {@code length} bytes. Each answers the index of
  // the first byte that breaks its rule, or -1, and tests eight bytes at a time until a word may
  // hold such a byte.

  /** Index of the first byte that is not a letter or {@code - . *}, or -1. */
  static int indexOfNonBase(Object base, long offset, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long folded = RawMemory.getLong(base, offset + i) | CASE_BIT;
      if ((bytesBelow(folded, 'a') | bytesAbove(folded, 'z')) != 0) {
        // '-', '.' and '*' are bases too: only the exact test fails the word.
        int bad = indexOfNonBaseSlow(base, offset, i, i + 8);
        if (bad >= 0) {
          return bad;
        }
      }
    }
    return indexOfNonBaseSlow(base, offset, i, length);
  }

  /** Index of the first byte outside {@code [lo, hi]} (unsigned; lo <= 128, hi < 128), or -1. */
  static int indexOutsideRange(Object base, long offset, int length, int lo, int hi) {
    long loOnes = ONES * lo;
    long spanFill = ONES * (127 - (hi - lo));
    int i = 0;
    for (; hi >= lo && i + 16 <= length; i += 16) {
      if ((anyOutside(RawMemory.getLong(base, offset + i), loOnes, spanFill)
              | anyOutside(RawMemory.getLong(base, offset + i + 8), loOnes, spanFill))
          != 0) {
        break; // every byte before i is in range; the first one outside is at i or after
      }
    }
    for (; i < length; i++) {
      int b = RawMemory.getByte(base, offset + i) & 0xFF;
      if (b < lo || b > hi) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first space, tab, {@code '\n'} or {@code '\r'}, or -1. */
  static int indexOfBlankOrLineEnd(Object base, long offset, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      // All four are below '!': a word with no such byte has none of them.
      if (bytesBelow(RawMemory.getLong(base, offset + i), '!') != 0) {
        break;
      }
    }
    for (; i < length; i++) {
      byte b = RawMemory.getByte(base, offset + i);
      if (FastqSyntax.isNameBreaker(b) || FastqSyntax.isLineEnd(b)) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first {@code '\n'} or {@code '\r'}, or -1. */
  static int indexOfLineEnd(Object base, long offset, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long x = RawMemory.getLong(base, offset + i);
      if ((zeroBytes(x ^ NEWLINES) | zeroBytes(x ^ RETURNS)) != 0) {
        break;
      }
    }
    for (; i < length; i++) {
      if (FastqSyntax.isLineEnd(RawMemory.getByte(base, offset + i))) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfNonBaseSlow(Object base, long offset, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isBase(RawMemory.getByte(base, offset + i))) {
        return i;
      }
    }
    return -1;
  }

  /** Offset within a word of the lowest-addressed byte whose high bit is set in {@code hits}. */
  private static int firstByte(long hits) {
    return (RawMemory.LITTLE_ENDIAN
            ? Long.numberOfTrailingZeros(hits)
            : Long.numberOfLeadingZeros(hits))
        >>> 3;
  }
}
