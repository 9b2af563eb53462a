/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.util.Locale;

/**
 * The FASTQ byte rules, written once for the reader and the writer: which bytes are bases, which
 * end a name, which end a line, and how a byte and a broken rule are named in messages. Quality
 * characters are {@link QualityEncoding#accepts}. The reader's SWAR loops ({@link Swar}) are faster
 * forms of these predicates and are tested against them byte for byte.
 */
public final class FastqSyntax {
  /** The first byte of a record. */
  public static final byte HEADER = '@';

  /** The first byte of the line between sequence and quality. */
  public static final byte SEPARATOR = '+';

  /** The sequence rule, as messages state it. */
  static final String BASE_RULE = "a letter or one of - . *";

  private FastqSyntax() {}

  /** Whether {@code b} may appear in a sequence: an ASCII letter or one of {@code - . *}. */
  public static boolean isBase(byte b) {
    int folded = b | 0x20; // 'A'..'Z' become 'a'..'z'; no other byte becomes a letter
    return (folded >= 'a' && folded <= 'z') || b == '-' || b == '.' || b == '*';
  }

  /** Whether {@code b} ends a name in a header: a space or a tab (the comment follows). */
  public static boolean isNameBreaker(byte b) {
    return b == ' ' || b == '\t';
  }

  /** Whether {@code b} ends a line: {@code '\n'}, or {@code '\r'} of a CRLF line end. */
  public static boolean isLineEnd(byte b) {
    return b == '\n' || b == '\r';
  }

  // The value checks below read bytes in place: length bytes at an object and an offset as
  // sun.misc.Unsafe reads them (base null for native memory), such as a Spark UTF8String's. Each
  // answers the index of the first byte that breaks the rule, or -1.

  /** Index of the first byte that {@link #isBase} rejects, or -1. */
  public static int firstNonBase(Object base, long offset, int length) {
    return Swar.indexOfNonBase(base, offset, length);
  }

  /** Index of the first byte that {@link #isNameBreaker} or {@link #isLineEnd} accepts, or -1. */
  public static int firstNameEnd(Object base, long offset, int length) {
    return Swar.indexOfBlankOrLineEnd(base, offset, length);
  }

  /** Index of the first byte that {@link #isLineEnd} accepts, or -1. */
  public static int firstLineEnd(Object base, long offset, int length) {
    return Swar.indexOfLineEnd(base, offset, length);
  }

  /** A byte as messages show it: {@code 'A' (0x41)} when printable, else {@code 0x09}. */
  public static String describeByte(byte b) {
    int v = b & 0xFF;
    String hex = String.format(Locale.ROOT, "0x%02X", v);
    return v >= 0x21 && v < 0x7F ? "'" + (char) v + "' (" + hex + ")" : hex;
  }

  /**
   * The broken sequence rule, for example {@code sequence character '1' (0x31) at byte offset 3 is
   * not a letter or one of - . *}; {@code where} (such as {@code " at byte offset 3"}) may be
   * empty.
   */
  public static String badBase(byte b, String where) {
    return "sequence character " + describeByte(b) + where + " is not " + BASE_RULE;
  }

  /** The broken quality rule of {@code encoding}, worded like {@link #badBase}. */
  public static String badQuality(byte b, String where, QualityEncoding encoding) {
    return "quality character "
        + describeByte(b)
        + where
        + " is outside the "
        + encoding.optionValue()
        + " range "
        + encoding.range();
  }
}
