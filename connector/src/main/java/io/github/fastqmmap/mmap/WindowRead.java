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
 * <p>Why copying at all: setting up a mapping costs per page table entry. A file the page cache
 * holds in large folios (read ahead into a cold cache) maps with one fault per 2 MiB, and a mapped
 * scan is as fast as a copy. A file it holds in 4 KiB pages (just written, or copied with {@code
 * cp}) maps with one fault per 64 KiB of fault-around, and filling those page table entries cost
 * about four times the scan itself (README: Performance, page-cache state); {@code
 * MADV_POPULATE_READ} only moves that cost, while {@code pread} copies through the kernel's own
 * mapping at memory speed in every state.
 */
public enum WindowRead implements OptionValue {
  /**
   * Map windows; when a probe at the start of a mapped window finds the file cached in small pages
   * (more than {@link MappedByteSource#PROBE_MAX_FAULTS} faults to touch its first MiB), copy this
   * and the following windows of the file instead, probing again every {@link
   * MappedByteSource#PROBE_EVERY} windows.
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
