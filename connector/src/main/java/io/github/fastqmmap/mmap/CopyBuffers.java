/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.NativeMemory;
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

  private static final ArrayDeque<NativeMemory> POOL = new ArrayDeque<>();

  private CopyBuffers() {}

  /** A buffer of at least {@code capacity} bytes. */
  static NativeMemory take(long capacity) {
    synchronized (POOL) {
      for (Iterator<NativeMemory> it = POOL.iterator(); it.hasNext(); ) {
        NativeMemory b = it.next();
        if (b.length() >= capacity) {
          it.remove();
          return b;
        }
      }
    }
    return new NativeMemory(capacity);
  }

  /** Returns a buffer for reuse, or frees it when the pool is full. */
  static void give(NativeMemory buffer) {
    synchronized (POOL) {
      if (POOL.size() < MAX_POOLED) {
        POOL.push(buffer);
        return;
      }
    }
    buffer.close();
  }
}
