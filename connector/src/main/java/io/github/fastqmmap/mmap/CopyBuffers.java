/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.NativeMemory;
import java.util.ArrayDeque;

/**
 * Native buffers for copied windows, shared by the readers of this JVM. A reader lives for one
 * range (128 MiB by default), and a fresh buffer costs a first-touch page fault per 4 KiB page,
 * about as much as the copy it serves; returned buffers are kept for the next reader, up to {@link
 * #MAX_POOLED_BYTES} of them.
 */
final class CopyBuffers {
  /**
   * Two 16 MiB windows per core (a reader holds at most two windows) with room for a few readers
   * more; in copied windows of {@link MappedByteSource#COPY_WINDOW_BYTES}, and the windows a column
   * batch's values still point into, that many more buffers.
   */
  static final long MAX_POOLED_BYTES =
      (2L * Runtime.getRuntime().availableProcessors() + 4) * MappingOptions.DEFAULT_WINDOW_BYTES;

  private static final ArrayDeque<NativeMemory> POOL = new ArrayDeque<>();
  private static long pooledBytes;

  private CopyBuffers() {}

  /**
   * A buffer of at least {@code capacity} bytes: the smallest pooled one that fits, so that a
   * buffer grown for a long record is kept for the next long record, not spent on a short window.
   */
  static NativeMemory take(long capacity) {
    synchronized (POOL) {
      NativeMemory best = null;
      for (NativeMemory b : POOL) {
        if (b.length() >= capacity && (best == null || b.length() < best.length())) {
          best = b;
        }
      }
      if (best != null) {
        POOL.removeFirstOccurrence(best);
        pooledBytes -= best.length();
        return best;
      }
    }
    return new NativeMemory(capacity);
  }

  /** Bytes of the buffers in the pool now. */
  static long pooledBytes() {
    synchronized (POOL) {
      return pooledBytes;
    }
  }

  /** Returns a buffer for reuse, or frees it when the pool is full. */
  static void give(NativeMemory buffer) {
    synchronized (POOL) {
      if (pooledBytes + buffer.length() <= MAX_POOLED_BYTES) {
        POOL.push(buffer);
        pooledBytes += buffer.length();
        return;
      }
    }
    buffer.close();
  }
}
