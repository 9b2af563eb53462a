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
