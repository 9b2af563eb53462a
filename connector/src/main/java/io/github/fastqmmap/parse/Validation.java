/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.util.Locale;

/** How much of a record is checked beyond its structure. */
public enum Validation implements OptionValue {
  /**
   * Structure and lengths, plus: sequence characters are letters or {@code - . *}, quality
   * characters lie in the encoding's range, and a title on the '+' line equals the header's.
   */
  STRICT,
  /** Structure and lengths only. */
  BASIC;

  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
