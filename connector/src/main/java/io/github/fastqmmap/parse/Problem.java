/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/** Why the scanner rejected a record; turned into words only when someone needs them. */
enum Problem {
  NO_HEADER,
  NO_PLUS,
  LENGTH_MISMATCH,
  TRUNCATED,
  BAD_BASE,
  BAD_QUALITY,
  TITLE_MISMATCH,
  TOO_LONG
}
