/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.util.Random;
import java.util.TreeSet;

/** Cut points {@code 0 = c0 < c1 < ... < cn = length} that split a file into byte ranges. */
public final class RangeCuts {
  private RangeCuts() {}

  /** Cuts for ranges of {@code size} bytes (the last one shorter). */
  public static long[] ofSize(long length, long size) {
    int n = (int) Math.max(1, (length + size - 1) / size);
    long[] cuts = new long[n + 1];
    for (int i = 0; i < n; i++) {
      cuts[i] = i * size;
    }
    cuts[n] = length;
    return cuts;
  }

  /** Up to {@code count} cuts at random offsets inside the file, plus 0 and {@code length}. */
  public static long[] random(long length, int count, Random random) {
    TreeSet<Long> set = new TreeSet<>();
    set.add(0L);
    set.add(length);
    for (int i = 0; i < count && length > 1; i++) {
      set.add(1 + (long) random.nextInt((int) length - 1));
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }
}
