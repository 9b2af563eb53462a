/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.NativeMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the copy buffers of a reader's consumed windows until its consumer is done with what it
 * read from them: a column batch's values point into copied windows instead of being copied again
 * ({@link io.github.fastqmmap.parse.ByteWindow#retained()}), and a window the reader left, or whose
 * source closed at a range's end, must keep its bytes until Spark has read the batch. Sources that
 * share a hold never reuse a buffer it holds; {@link #release()} returns them to the pool. One
 * reader's thread uses it.
 */
public final class BufferHold {
  private final List<NativeMemory> held = new ArrayList<>();
  private final boolean valuesFillWindows;

  /** A hold for a consumer whose values are a small part of each window (see the other). */
  public BufferHold() {
    this(false);
  }

  /**
   * A hold; {@code valuesFillWindows} when the consumer's values are most of each window's bytes (a
   * column batch of the sequence and the quality). Such a consumer copies its values out of a
   * mapped window but points at them in a copied one, so a copied window costs one copy where a
   * mapped one costs the mapping and that copy: {@link WindowRead#AUTO} then copies every window
   * that fits, without a probe (docs/measurements/page-cache.md, "Column batches copy windows").
   */
  public BufferHold(boolean valuesFillWindows) {
    this.valuesFillWindows = valuesFillWindows;
  }

  /** Whether the consumer's values are most of each window's bytes (see the constructor). */
  boolean valuesFillWindows() {
    return valuesFillWindows;
  }

  /** Keeps {@code buffer} until {@link #release()}. */
  void keep(NativeMemory buffer) {
    held.add(buffer);
  }

  /** Buffers held now. */
  public int size() {
    return held.size();
  }

  /** The consumer has read everything so far: the held buffers go back to the pool. */
  public void release() {
    for (NativeMemory b : held) {
      CopyBuffers.give(b);
    }
    held.clear();
  }
}
