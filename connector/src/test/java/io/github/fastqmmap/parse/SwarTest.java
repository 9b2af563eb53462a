/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.MemoryByteSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SWAR searches against naive per-byte loops, for random buffers at every alignment and every
 * length from 0 to 40, with bytes of the whole range 0x00..0xFF.
 */
class SwarTest {
  private static final int BUFFER = 128;
  private static final int[] INTERESTING = {
    0x00, 0x01, 0x09, 0x0A, 0x0B, 0x0D, 0x20, 0x21, 0x2A, 0x2B, 0x2D, 0x2E, 0x3A, 0x3B, 0x3F, 0x40,
    0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x7E, 0x7F, 0x80, 0x81, 0x8A, 0xC1, 0xDA, 0xE1, 0xFA,
    0xFE, 0xFF
  };

  private final Random random = new Random(20240611L);
  private MemoryByteSource memory;
  private byte[] bytes;
  private long base;

  @BeforeEach
  void allocate() {
    bytes = new byte[BUFFER];
  }

  @AfterEach
  void free() {
    if (memory != null) {
      memory.close();
    }
  }

  /** Fills the buffer (mostly random, sometimes from interesting bytes) and copies it native. */
  private void fill(int flavour) {
    for (int i = 0; i < BUFFER; i++) {
      switch (flavour) {
        case 0:
          bytes[i] = (byte) random.nextInt(256);
          break;
        case 1:
          bytes[i] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
          break;
        case 2: // mostly bases, the common case, with a rare exception
          bytes[i] =
              random.nextInt(12) == 0
                  ? (byte) INTERESTING[random.nextInt(INTERESTING.length)]
                  : (byte) "ACGTNacgtn-.*".charAt(random.nextInt(13));
          break;
        default: // mostly quality characters
          bytes[i] =
              random.nextInt(12) == 0
                  ? (byte) INTERESTING[random.nextInt(INTERESTING.length)]
                  : (byte) (33 + random.nextInt(94));
      }
    }
    if (memory != null) {
      memory.close();
    }
    memory = new MemoryByteSource("swar", bytes, BUFFER);
    base = memory.window(0, BUFFER).address();
  }

  @Test
  void indexOfNewlineMatchesNaiveLoop() {
    for (int round = 0; round < 200; round++) {
      fill(round % 4);
      if (round % 3 == 0) {
        bytes[random.nextInt(BUFFER)] = '\n';
        memory = replace(memory, bytes);
      }
      for (int align = 0; align < 8; align++) {
        // Up to 100 bytes: several 32-byte steps, then the 8-byte and the single-byte tails.
        for (int length = 0; length <= 100; length++) {
          int from = align;
          int to = align + length;
          long expected = -1;
          for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
              expected = base + i;
              break;
            }
          }
          assertThat(Swar.indexOfNewline(base + from, base + to))
              .as("round %d align %d length %d", round, align, length)
              .isEqualTo(expected);
          assertThat(Swar.indexOfNewlineInBases(base + from, base + to))
              .as("in bases: round %d align %d length %d", round, align, length)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void indexOfNewlineFindsTheFirstOfSeveralInOneStep() {
    for (int first = 0; first < 32; first++) {
      for (int second = first + 1; second < 64; second++) {
        Arrays.fill(bytes, (byte) 'A');
        bytes[first] = '\n';
        bytes[second] = '\n';
        memory = replace(memory, bytes);
        assertThat(Swar.indexOfNewline(base, base + BUFFER))
            .as("line ends at %d and %d", first, second)
            .isEqualTo(base + first);
      }
    }
  }

  @Test
  void indexOfNewlineFindsEveryPosition() {
    for (int i = 0; i < BUFFER; i++) {
      Arrays.fill(bytes, (byte) 'A');
      bytes[i] = '\n';
      memory = replace(memory, bytes);
      for (int from = 0; from <= i; from++) {
        assertThat(Swar.indexOfNewline(base + from, base + BUFFER)).isEqualTo(base + i);
        assertThat(Swar.indexOfNewline(base + from, base + i)).isEqualTo(-1);
      }
    }
  }

  @Test
  void indexOfNewlineFindsEveryPositionOfALongLine() {
    // Among bytes that differ from '\n' in one bit or have the high bit set.
    assertFindsEveryPositionOfALongLine(Swar::indexOfNewline, NEAR_NEWLINE);
  }

  @Test
  void indexOfNewlineInBasesFindsEveryPositionOfALongLine() {
    // Among bases, whose blocks pass on bit 6 alone; among bytes without bit 6 or that differ
    // from '\n' in one bit, whose blocks take the exact test; and among both.
    int[] bases = {'A', 'C', 'G', 'T', 'N', 'a', 'c', 'g', 't', 'n'};
    assertFindsEveryPositionOfALongLine(Swar::indexOfNewlineInBases, bases);
    assertFindsEveryPositionOfALongLine(Swar::indexOfNewlineInBases, NEAR_NEWLINE);
    int[] both = Arrays.copyOf(bases, bases.length + NEAR_NEWLINE.length);
    System.arraycopy(NEAR_NEWLINE, 0, both, bases.length, NEAR_NEWLINE.length);
    assertFindsEveryPositionOfALongLine(Swar::indexOfNewlineInBases, both);
  }

  private static final int[] NEAR_NEWLINE = {0x0B, 0x08, 0x8A, 0x0E, 0x2A, 0xFF, 0x00, 0x41, 0x49};

  /**
   * {@code search} finds a line end at every position of a line past the first 32-byte steps, into
   * whole blocks and the tail after them, from several starts, among {@code others}.
   */
  private void assertFindsEveryPositionOfALongLine(LongBinaryOperator search, int[] others) {
    int length = Swar.SHORT_SPAN + 3 * Swar.BLOCK + 45;
    byte[] line = new byte[length];
    for (int at = 0; at < length; at++) {
      for (int i = 0; i < length; i++) {
        line[i] = (byte) others[random.nextInt(others.length)];
      }
      line[at] = '\n';
      boolean second = at % 3 == 0 && at + 9 < length;
      if (second) {
        line[at + 9] = '\n'; // the first of two in one block is found
      }
      try (MemoryByteSource source = new MemoryByteSource("swar-long", line, length)) {
        long start = source.window(0, length).address();
        for (int from : new int[] {0, 1, 7, 31, 255, 257}) {
          long expected = from <= at ? start + at : second && from <= at + 9 ? start + at + 9 : -1;
          assertThat(search.applyAsLong(start + from, start + length))
              .as("line end at %d, from %d", at, from)
              .isEqualTo(expected);
          if (from <= at) {
            assertThat(search.applyAsLong(start + from, start + at))
                .as("line end at %d just past the end, from %d", at, from)
                .isEqualTo(-1);
          }
        }
      }
    }
  }

  @Test
  void indexOutsideRangeMatchesNaiveLoop() {
    int[][] ranges = {{33, 126}, {64, 126}, {59, 126}, {1, 127}, {128, 0}, {10, 10}, {0x41, 0x5A}};
    for (int round = 0; round < 120; round++) {
      fill(round % 4);
      int lo;
      int hi;
      if (round < ranges.length * 8) {
        lo = ranges[round % ranges.length][0];
        hi = ranges[round % ranges.length][1];
      } else {
        lo = 1 + random.nextInt(128); // the documented domain: 0 < lo <= 128, 0 <= hi < 128
        hi = random.nextInt(128);
      }
      for (int align = 0; align < 8; align++) {
        for (int length = 0; length <= 120; length++) {
          int from = align;
          int to = align + length;
          long expected = -1;
          for (int i = from; i < to; i++) {
            int v = bytes[i] & 0xFF;
            if (v < lo || v > hi) {
              expected = base + i;
              break;
            }
          }
          assertThat(Swar.indexOutsideRange(base + from, base + to, lo, hi))
              .as("round %d range [%d,%d] align %d length %d", round, lo, hi, align, length)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void indexOutsideRangeFindsOneByteOutsideAnywhereInALongSpan() {
    // One byte outside, at every place of spans of several steps, just below or just above the
    // range, or with the high bit set: found exactly.
    int[] outside = {32, 127, 0x80, 0xFF, 0x0A};
    for (int bad = 0; bad < BUFFER; bad++) {
      for (int i = 0; i < BUFFER; i++) {
        bytes[i] = (byte) (33 + random.nextInt(94));
      }
      bytes[bad] = (byte) outside[bad % outside.length];
      memory = replace(memory, bytes);
      for (int from : new int[] {0, 3}) {
        for (int to = from + 64; to <= BUFFER; to += 5) {
          long expected = bad >= from && bad < to ? base + bad : -1;
          assertThat(Swar.indexOutsideRange(base + from, base + to, 33, 126))
              .as("byte 0x%x at %d, span [%d, %d)", bytes[bad] & 0xFF, bad, from, to)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void indexOfNonBaseMatchesNaiveLoop() {
    for (int round = 0; round < 200; round++) {
      fill(round % 4);
      for (int align = 0; align < 8; align++) {
        for (int length = 0; length <= 40; length++) {
          int from = align;
          int to = align + length;
          long expected = -1;
          for (int i = from; i < to; i++) {
            if (!naiveIsBase(bytes[i] & 0xFF)) {
              expected = base + i;
              break;
            }
          }
          assertThat(Swar.indexOfNonBase(base + from, base + to))
              .as("round %d align %d length %d", round, align, length)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void sequenceLineEndMatchesNaiveLoop() {
    for (int round = 0; round < 400; round++) {
      fill(round % 4);
      if (round % 2 == 0) {
        bytes[random.nextInt(BUFFER)] = '\n';
        if (round % 8 == 0) {
          int cr = random.nextInt(BUFFER - 1);
          bytes[cr] = '\r';
          bytes[cr + 1] = '\n';
        }
        memory = replace(memory, bytes);
      }
      for (int align = 0; align < 8; align++) {
        for (int length = 0; length <= 48; length++) {
          int from = align;
          int to = Math.min(BUFFER, align + length);
          long expected = -1;
          for (int i = from; i < to; i++) {
            int v = bytes[i] & 0xFF;
            if (v == '\n') {
              expected = base + i;
              break;
            }
            if (v == '\r') {
              expected = i + 1 < to && bytes[i + 1] == '\n' ? base + i + 1 : -1;
              break;
            }
            if (!naiveIsBase(v)) {
              break;
            }
          }
          assertThat(Swar.sequenceLineEnd(base + from, base + to))
              .as("round %d align %d length %d", round, align, length)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void sequenceLineEndOfALongLineMatchesNaiveLoop() {
    // Long reads' sequences: the first steps, whole blocks, and steps again, with the line's end,
    // a "\r\n", a bad byte or a base that is not a letter at every place.
    int length = Swar.SHORT_SPAN + 3 * Swar.BLOCK + 45;
    byte[] line = new byte[length];
    byte[] odd = {'\n', '\r', '1', (byte) 0xC1, '-', '@'};
    for (int at = 0; at < length; at++) {
      for (int i = 0; i < length; i++) {
        line[i] = (byte) "ACGTNacgtn".charAt(random.nextInt(10));
      }
      line[at] = odd[at % odd.length];
      if (line[at] == '\r' && at + 1 < length) {
        line[at + 1] = '\n';
      }
      if (at % 5 == 0) {
        line[length - 1] = '\n'; // a line end after a base that is not a letter
      }
      try (MemoryByteSource source = new MemoryByteSource("swar-seq", line, length)) {
        long start = source.window(0, length).address();
        for (int from : new int[] {0, 5}) {
          for (int to : new int[] {length, Math.min(length, at + 1), at}) {
            long expected = naiveSequenceLineEnd(line, from, to);
            assertThat(Swar.sequenceLineEnd(start + from, start + to))
                .as("0x%x at %d, span [%d, %d)", line[at] & 0xFF, at, from, to)
                .isEqualTo(expected < 0 ? -1 : start + expected);
          }
        }
      }
    }
  }

  @Test
  void indexOutsideRangeOfALongSpanMatchesNaiveLoop() {
    int length = Swar.SHORT_SPAN + 3 * Swar.BLOCK + 45;
    byte[] quality = new byte[length];
    int[] outside = {32, 127, 0x80, 0xFF, 0x0A};
    for (int at = 0; at < length; at++) {
      for (int i = 0; i < length; i++) {
        quality[i] = (byte) (33 + random.nextInt(94));
      }
      quality[at] = (byte) outside[at % outside.length];
      try (MemoryByteSource source = new MemoryByteSource("swar-qual", quality, length)) {
        long start = source.window(0, length).address();
        for (int from : new int[] {0, 3}) {
          for (int to : new int[] {length, Math.min(length, at + 1), at}) {
            long expected = from <= at && at < to ? start + at : -1;
            assertThat(Swar.indexOutsideRange(start + from, start + to, 33, 126))
                .as("0x%x at %d, span [%d, %d)", quality[at] & 0xFF, at, from, to)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  /** Where {@link Swar#sequenceLineEnd} should answer, as an index into {@code line}, or -1. */
  private static long naiveSequenceLineEnd(byte[] line, int from, int to) {
    for (int i = from; i < to; i++) {
      int v = line[i] & 0xFF;
      if (v == '\n') {
        return i;
      }
      if (v == '\r') {
        return i + 1 < to && line[i + 1] == '\n' ? i + 1 : -1;
      }
      if (!naiveIsBase(v)) {
        return -1;
      }
    }
    return -1;
  }

  @Test
  void anyOutsideAnswersExactlyWhetherAByteIsOutOfRange() {
    StringBuilder misses = new StringBuilder();
    int[][] ranges = {{33, 126}, {64, 126}, {59, 126}, {'a', 'z'}, {1, 127}, {128, 128}, {0, 0}};
    for (int[] range : ranges) {
      long loOnes = 0x0101010101010101L * range[0];
      long spanFill = 0x0101010101010101L * (127 - (range[1] - range[0]));
      for (int position = 0; position < 8; position++) {
        for (int v = 0; v < 256; v++) {
          for (int trial = 0; trial < 4; trial++) {
            // Neighbours in range, or random, around the byte under test.
            long word = 0;
            for (int k = 0; k < 8; k++) {
              int b =
                  trial % 2 == 0
                      ? range[0] + random.nextInt(range[1] - range[0] + 1)
                      : random.nextInt(256);
              word |= (long) (k == position ? v : b) << (8 * k);
            }
            boolean expected = false;
            for (int k = 0; k < 8; k++) {
              int b = (int) (word >>> (8 * k)) & 0xFF;
              expected |= b < range[0] || b > range[1];
            }
            if ((Swar.anyOutside(word, loOnes, spanFill) != 0) != expected) {
              misses.append(
                  String.format(
                      Locale.ROOT, "word %016X range %s%n", word, Arrays.toString(range)));
            }
          }
        }
      }
    }
    assertThat(misses.toString()).isEmpty();
  }

  @Test
  void isBaseAcceptsExactlyLettersAndDashDotStar() {
    for (int v = 0; v < 256; v++) {
      assertThat(Swar.isBase((byte) v)).as("byte 0x%02X", v).isEqualTo(naiveIsBase(v));
    }
  }

  @Test
  void wordPredicatesAreExactPerByte() {
    // Every byte value at every position of a word, with random neighbours, for every threshold.
    // Plain comparisons inside the loop (2 million of them); one assertion on the collected misses.
    StringBuilder misses = new StringBuilder();
    for (int position = 0; position < 8; position++) {
      for (int v = 0; v < 256; v++) {
        long word = random.nextLong();
        word &= ~(0xFFL << (8 * position));
        word |= (long) v << (8 * position);
        for (int n = 0; n <= 128; n++) {
          long below = n >= 1 ? Swar.bytesBelow(word, n) : 0;
          long above = n < 128 ? Swar.bytesAbove(word, n) : 0;
          long expectedBelow = 0;
          long expectedAbove = 0;
          for (int k = 0; k < 8; k++) {
            int b = (int) (word >>> (8 * k)) & 0xFF;
            expectedBelow |= n >= 1 && b < n ? 0x80L << (8 * k) : 0;
            expectedAbove |= n < 128 && b > n ? 0x80L << (8 * k) : 0;
          }
          if (below != expectedBelow || above != expectedAbove) {
            misses.append(String.format(Locale.ROOT, "word %016X n %d%n", word, n));
          }
        }
        long expectedZeros = 0;
        for (int k = 0; k < 8; k++) {
          expectedZeros |= ((word >>> (8 * k)) & 0xFF) == 0 ? 0x80L << (8 * k) : 0;
        }
        if (Swar.zeroBytes(word) != expectedZeros) {
          misses.append(String.format(Locale.ROOT, "zeroBytes word %016X%n", word));
        }
      }
    }
    assertThat(misses.toString()).isEmpty();
  }

  @Test
  void equalComparesExactlyTheGivenLength() {
    for (int round = 0; round < 100; round++) {
      fill(0);
      // Make the second half a copy of the first, then perturb one byte sometimes.
      System.arraycopy(bytes, 0, bytes, 32, 32);
      int perturbed = round % 2 == 0 ? random.nextInt(32) : -1;
      if (perturbed >= 0) {
        bytes[32 + perturbed] ^= (byte) (1 + random.nextInt(255));
      }
      memory = replace(memory, bytes);
      for (int length = 0; length <= 32; length++) {
        boolean expected = perturbed < 0 || perturbed >= length;
        assertThat(Swar.equal(base, base + 32, length))
            .as("round %d length %d perturbed %d", round, length, perturbed)
            .isEqualTo(expected);
      }
    }
  }

  private MemoryByteSource replace(MemoryByteSource old, byte[] data) {
    if (old != null) {
      old.close();
    }
    MemoryByteSource fresh = new MemoryByteSource("swar", data, BUFFER);
    base = fresh.window(0, BUFFER).address();
    return fresh;
  }

  @Test
  void valueChecksInPlaceMatchNaiveLoopsInAByteArrayAndInNativeMemory() {
    int[][] ranges = {{33, 126}, {64, 126}, {59, 126}, {128, 0}, {0x41, 0x5A}};
    for (int round = 0; round < 200; round++) {
      fill(round % 4);
      int[] range = ranges[round % ranges.length];
      for (int align = 0; align < 8; align++) {
        for (int length = 0; length <= 100; length++) {
          String what =
              String.format(Locale.ROOT, "round %d align %d length %d", round, align, length);
          // The same bytes as a value in a Spark row on the heap and as one off the heap.
          assertValueChecks(bytes, RawMemory.BYTE_ARRAY_OFFSET + align, align, length, range, what);
          assertValueChecks(null, base + align, align, length, range, what);
        }
      }
    }
  }

  @Test
  void valueChecksFindOneBadByteAtEveryPlace() {
    // Good values of 128 bytes with one byte that breaks the rule at each place: found exactly.
    byte[] value = new byte[BUFFER];
    for (int at = 0; at < BUFFER; at++) {
      fillWith(value, "ACGTNacgtn-.*");
      value[at] = (byte) new int[] {'1', '\n', 0xC1, '@', ' '}[at % 5];
      assertThat(Swar.indexOfNonBase(value, RawMemory.BYTE_ARRAY_OFFSET, BUFFER)).isEqualTo(at);
      for (int i = 0; i < BUFFER; i++) {
        value[i] = (byte) (33 + random.nextInt(94));
      }
      value[at] = (byte) new int[] {32, 127, 0x80, 0xFF, 0x0A}[at % 5];
      assertThat(Swar.indexOutsideRange(value, RawMemory.BYTE_ARRAY_OFFSET, BUFFER, 33, 126))
          .isEqualTo(at);
      fillWith(value, "SRR1.2/1:ABC_x-y#0");
      value[at] = (byte) new int[] {' ', '\t', '\n', '\r'}[at % 4];
      assertThat(Swar.indexOfBlankOrLineEnd(value, RawMemory.BYTE_ARRAY_OFFSET, BUFFER))
          .isEqualTo(at);
      fillWith(value, "BC:Z:ACGT \tx=1");
      value[at] = (byte) (at % 2 == 0 ? '\n' : '\r');
      assertThat(Swar.indexOfLineEnd(value, RawMemory.BYTE_ARRAY_OFFSET, BUFFER)).isEqualTo(at);
    }
  }

  private void fillWith(byte[] value, String alphabet) {
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
    }
  }

  /** The four value checks over {@code length} bytes of the buffer from {@code from}. */
  private void assertValueChecks(
      Object where, long offset, int from, int length, int[] range, String what) {
    assertThat(Swar.indexOfNonBase(where, offset, length))
        .as("non-base, %s", what)
        .isEqualTo(naiveIndex(from, length, v -> !naiveIsBase(v)));
    assertThat(Swar.indexOutsideRange(where, offset, length, range[0], range[1]))
        .as("outside [%d,%d], %s", range[0], range[1], what)
        .isEqualTo(naiveIndex(from, length, v -> v < range[0] || v > range[1]));
    assertThat(Swar.indexOfBlankOrLineEnd(where, offset, length))
        .as("blank or line end, %s", what)
        .isEqualTo(naiveIndex(from, length, v -> v == ' ' || v == '\t' || v == '\n' || v == '\r'));
    assertThat(Swar.indexOfLineEnd(where, offset, length))
        .as("line end, %s", what)
        .isEqualTo(naiveIndex(from, length, v -> v == '\n' || v == '\r'));
  }

  /** Index from {@code from} of the first of {@code length} buffer bytes that {@code bad} holds. */
  private int naiveIndex(int from, int length, IntPredicate bad) {
    for (int i = 0; i < length; i++) {
      if (bad.test(bytes[from + i] & 0xFF)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean naiveIsBase(int v) {
    return (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') || v == '-' || v == '.' || v == '*';
  }
}
