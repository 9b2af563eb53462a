/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * A contiguous run of readable bytes: file offsets {@code [start, end)} live at native address
 * {@code address + (offset - start)}. Valid until its {@link ByteSource} moves on.
 */
public final class ByteWindow {
  private final long address;
  private final long start;
  private final long end;
  private final boolean eof;
  private final boolean retained;

  /**
   * @param address native address of the byte at file offset {@code start}
   * @param eof whether {@code end} is the end of the data
   */
  public ByteWindow(long address, long start, long end, boolean eof) {
    this(address, start, end, eof, false);
  }

  /**
   * @param retained whether the bytes stay in place after the source moves on, until its reader's
   *     consumer releases them (see {@link #retained()})
   */
  public ByteWindow(long address, long start, long end, boolean eof, boolean retained) {
    this.address = address;
    this.start = start;
    this.end = end;
    this.eof = eof;
    this.retained = retained;
  }

  public long address() {
    return address;
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  /** Whether {@link #end()} is the end of the data, not just of this window. */
  public boolean eof() {
    return eof;
  }

  /**
   * Whether the bytes stay at their addresses after the source moves on, until the consumer of the
   * records read from them releases them (a copied window under a {@code BufferHold}): values may
   * then point at them instead of being copied.
   */
  public boolean retained() {
    return retained;
  }

  /** The native address of a file offset inside this window. */
  public long addressOf(long offset) {
    return address + (offset - start);
  }
}
