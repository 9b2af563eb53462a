/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.IOException;

/**
 * Input that is not the FASTQ the options describe: a malformed record, a record boundary two
 * readers disagree on, a compressed file read as text. The message names the file, the byte offset
 * and what to do.
 */
public class FastqParseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  public FastqParseException(String file, long offset, String message) {
    super(message);
    this.file = file;
    this.offset = offset;
  }

  /** The file, as the reader names it. */
  public String file() {
    return file;
  }

  /** Byte offset of the problem in the file. */
  public long offset() {
    return offset;
  }
}
