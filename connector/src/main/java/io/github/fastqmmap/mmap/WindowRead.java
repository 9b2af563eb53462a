/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.OptionValue;
import java.util.Locale;

/**
 * How a window of a local file gets into memory: mapped, or copied with {@code pread} into a buffer
 * the reader reuses.
 *
 * <p>Why copying at all: how much a mapped scan costs depends on how the file entered the page
 * cache. A file read ahead into a cold cache maps with a fault per large folio and a mapped scan is
 * as fast as a copy. In a file just written by a program, or copied with {@code cp}, each page
 * costs several times as much to reach through a new mapping (about 1.4 to 1.7 µs in this project's
 * VM against 0.22 µs read ahead; a written file takes as few faults as one read ahead, so it is the
 * time per page that tells them apart), four times the scan itself (README: Performance, page-cache
 * state); {@code MADV_POPULATE_READ} only moves that cost, while {@code pread} copies through the
 * kernel's own mapping at memory speed (0.25 µs a page) in every state.
 */
public enum WindowRead implements OptionValue {
  /**
   * Map windows; when a probe of a freshly mapped window finds that touching its pages costs more
   * than copying the same bytes (a file just written or copied into the page cache), copy this and
   * the following windows of the file instead, probing again every 8 windows.
   */
  AUTO,
  /** Always map (the behaviour before {@code auto}). */
  MAP,
  /** Copy every window that fits the buffer (longer windows, for long records, are mapped). */
  COPY;

  /** The option spelling: {@code auto}, {@code map}, {@code copy}. */
  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
