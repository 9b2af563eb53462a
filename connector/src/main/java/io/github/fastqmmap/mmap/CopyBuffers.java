/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.RawMemory;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Native buffers for copied windows, shared by the readers of this JVM. A reader lives for one
 * range (128 MiB by default), and a fresh 16 MiB buffer costs 4,096 first-touch page faults, about
 * as much as the copy it serves; returned buffers are kept for the next reader, at most {@link
 * #MAX_POOLED} of them.
 */
final class CopyBuffers {
  /** Two per core (a reader holds at most two windows), with room for a few readers more. */
  static final int MAX_POOLED = 2 * Runtime.getRuntime().availableProcessors() + 4;

  private static final ArrayDeque<long[]> POOL = new ArrayDeque<>();

  private CopyBuffers() {}

  /** A buffer of at least {@code capacity} bytes: {@code {address, capacity}}. */
  static long[] take(long capacity) {
    synchronized (POOL) {
      for (Iterator<long[]> it = POOL.iterator(); it.hasNext(); ) {
        long[] b = it.next();
        if (b[1] >= capacity) {
          it.remove();
          return b;
        }
      }
    }
    return new long[] {RawMemory.allocate(capacity), capacity};
  }

  /** Returns a buffer for reuse, or frees it when the pool is full. */
  static void give(long[] buffer) {
    synchronized (POOL) {
      if (POOL.size() < MAX_POOLED) {
        POOL.push(buffer);
        return;
      }
    }
    RawMemory.freeMemory(buffer[0]);
  }
}
