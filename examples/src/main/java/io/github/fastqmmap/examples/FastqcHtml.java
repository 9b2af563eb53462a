/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.nio.file.Path;

/** FastQC's modules over all inputs, as a section of the merged HTML report, with their plots. */
final class FastqcHtml {
  private FastqcHtml() {}

  /** Draws the plots into {@code dir} and returns the section's HTML. */
  static String write(Path dir, FastqcJob.Sample all, FastqcConfig cfg) throws IOException {
    return "";
  }
}
