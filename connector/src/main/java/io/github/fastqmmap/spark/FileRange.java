/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.Serializable;

/** The byte range {@code [start, end)} of one file that a task reads. */
final class FileRange implements Serializable {
  private static final long serialVersionUID = 1L;

  final FastqFile file;
  final long start;
  final long end;

  FileRange(FastqFile file, long start, long end) {
    this.file = file;
    this.start = start;
    this.end = end;
  }

  long length() {
    return end - start;
  }

  @Override
  public String toString() {
    return file.uri + " [" + start + ", " + end + ")";
  }
}
