/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.OptionValue;
import java.util.Locale;

/** How the kernel should expect a mapped window to be read; passed to {@code madvise}. */
public enum ReadAdvice implements OptionValue {
  // Declared in the order that messages list them; the madvise values are explicit.
  NORMAL(0),
  SEQUENTIAL(2),
  RANDOM(1),
  WILLNEED(3);

  private final int madviseValue;

  ReadAdvice(int madviseValue) {
    this.madviseValue = madviseValue;
  }

  int madviseValue() {
    return madviseValue;
  }

  /** The option spelling: {@code normal}, {@code sequential}, {@code random}, {@code willneed}. */
  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
