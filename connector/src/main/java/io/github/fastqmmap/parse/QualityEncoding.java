/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * How quality characters encode scores. Output is always Phred+33 (Sanger); the other encodings are
 * converted while rows are written.
 */
public enum QualityEncoding implements OptionValue {
  /** Sanger and Illumina 1.8+: Phred score + 33, characters {@code '!'..'~'}. */
  PHRED33("phred33", 33),
  /** Illumina 1.3 to 1.7: Phred score + 64, characters {@code '@'..'~'}. */
  PHRED64("phred64", 64),
  /** Solexa / early Illumina: Solexa score + 64, characters {@code ';'..'~'}. */
  SOLEXA("solexa", 59);

  /** The highest quality character of every encoding. */
  public static final int MAX_CHAR = '~';

  private final String optionValue;
  private final int minChar;
  private final byte[] toPhred33;

  QualityEncoding(String optionValue, int minChar) {
    this.optionValue = optionValue;
    this.minChar = minChar;
    this.toPhred33 = new byte[256];
    for (int c = 0; c < 256; c++) {
      toPhred33[c] = (byte) (c < minChar || c > MAX_CHAR ? c : phred33Char(c));
    }
  }

  private int phred33Char(int c) {
    switch (optionValue) {
      case "phred64":
        return c - 31;
      case "solexa":
        // Solexa odds to Phred probability: Q = 10 log10(10^(S/10) + 1), rounded.
        double solexa = c - 64;
        int phred = (int) Math.round(10 * Math.log10(Math.pow(10, solexa / 10) + 1));
        return phred + 33;
      default:
        return c;
    }
  }

  @Override
  public String optionValue() {
    return optionValue;
  }

  /** The lowest character of this encoding's range. */
  public int minChar() {
    return minChar;
  }

  /** Whether {@code c} is a quality character of this encoding. */
  public boolean accepts(byte c) {
    int v = c & 0xFF;
    return v >= minChar && v <= MAX_CHAR;
  }

  /**
   * Index of the first of {@code length} bytes at an object and an offset (as {@link
   * FastqSyntax#firstNonBase} reads them) that {@link #accepts} rejects, or -1.
   */
  public int firstRejected(Object base, long offset, int length) {
    return Swar.indexOutsideRange(base, offset, length, minChar, MAX_CHAR);
  }

  /** The range of quality characters as messages show it, such as {@code '!'..'~'}. */
  public String range() {
    return "'" + (char) minChar + "'..'" + (char) MAX_CHAR + "'";
  }

  /** Whether output needs conversion to Phred+33. */
  public boolean converts() {
    return this != PHRED33;
  }

  /** The Phred+33 character for a quality character of this encoding. */
  public byte toPhred33(byte c) {
    return toPhred33[c & 0xFF];
  }
}
