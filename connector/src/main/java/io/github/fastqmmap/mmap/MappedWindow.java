/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.ByteWindow;

/**
 * One mapped, read-only range of a file. {@link #view()} exposes it to the scanner; {@link
 * MappedFile#unmap} releases it. The mapping itself starts at a page boundary at or before {@code
 * start}.
 */
final class MappedWindow {
  final long mapAddress;
  final long mapLength;
  final long mapOffset;
  final Object keepAlive; // the MappedByteBuffer in the FileChannel fallback

  /** Index of the copy buffer that holds this window, or -1 for a mapping. */
  final int copyBuffer;

  private final ByteWindow view;

  MappedWindow(
      long mapAddress,
      long mapLength,
      long mapOffset,
      long start,
      long end,
      boolean eof,
      Object keepAlive) {
    this(mapAddress, mapLength, mapOffset, start, end, eof, keepAlive, -1, false);
  }

  MappedWindow(
      long mapAddress,
      long mapLength,
      long mapOffset,
      long start,
      long end,
      boolean eof,
      Object keepAlive,
      int copyBuffer,
      boolean retained) {
    this.copyBuffer = copyBuffer;
    this.mapAddress = mapAddress;
    this.mapLength = mapLength;
    this.mapOffset = mapOffset;
    this.keepAlive = keepAlive;
    this.view = new ByteWindow(mapAddress + (start - mapOffset), start, end, eof, retained);
  }

  /** Whether the window is a copy in a buffer, not a mapping. */
  boolean copied() {
    return copyBuffer >= 0;
  }

  ByteWindow view() {
    return view;
  }

  long start() {
    return view.start();
  }

  long end() {
    return view.end();
  }

  /** The address of a file offset inside this window. */
  long addressOf(long fileOffset) {
    return mapAddress + (fileOffset - mapOffset);
  }
}
