/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.OptionValue;
import java.util.Locale;

/**
 * The {@code pairAlignment} option: how the ranges of an R1 file find the same records in R2. Under
 * {@code auto}, by the mates' names where that can work ({@link
 * io.github.fastqmmap.open.PairAnchors}; README: Paired reads), else by the counting pass; under
 * {@code count}, always by the counting pass.
 */
enum PairAlignment implements OptionValue {
  /** By names where they allow it (the default), else counted. */
  AUTO,
  /** Always counted. */
  COUNT;

  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
