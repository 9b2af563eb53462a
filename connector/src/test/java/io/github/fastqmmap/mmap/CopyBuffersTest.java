/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.NativeMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JVM's pool of copy buffers (shared with other tests: only what holds whatever it holds). */
class CopyBuffersTest {
  private static final long SMALL = MappedByteSource.COPY_WINDOW_BYTES;
  private static final long LARGE = 5 * SMALL + 4096;

  @Test
  void aShortWindowTakesTheSmallestBufferThatFitsAndLeavesALargeOneForALongRecord() {
    List<NativeMemory> drained = drain();
    NativeMemory small = new NativeMemory(SMALL);
    NativeMemory large = new NativeMemory(LARGE);
    CopyBuffers.give(small);
    CopyBuffers.give(large); // the pool's first buffer now
    assertThat(CopyBuffers.pooledBytes()).isEqualTo(SMALL + LARGE);
    NativeMemory forWindow = CopyBuffers.take(SMALL);
    assertThat(forWindow).isSameAs(small);
    NativeMemory forRecord = CopyBuffers.take(LARGE);
    assertThat(forRecord).isSameAs(large);
    assertThat(CopyBuffers.pooledBytes()).isZero();
    CopyBuffers.give(forWindow);
    CopyBuffers.give(forRecord);
    drained.forEach(CopyBuffers::give);
  }

  /** Takes every buffer out of the pool, so that a test sees only its own. */
  static List<NativeMemory> drain() {
    List<NativeMemory> drained = new ArrayList<>();
    while (CopyBuffers.pooledBytes() > 0) {
      drained.add(CopyBuffers.take(1));
    }
    return drained;
  }

  @Test
  void thePoolKeepsAtMostItsBytesAndFreesTheRest() {
    List<NativeMemory> drained = drain();
    assertThat(CopyBuffers.MAX_POOLED_BYTES)
        .isEqualTo(
            (2L * Runtime.getRuntime().availableProcessors() + 4)
                * MappingOptions.DEFAULT_WINDOW_BYTES);
    long n = CopyBuffers.MAX_POOLED_BYTES / SMALL + 4;
    NativeMemory[] taken = new NativeMemory[(int) n];
    for (int i = 0; i < n; i++) {
      taken[i] = CopyBuffers.take(SMALL);
    }
    for (NativeMemory b : taken) {
      CopyBuffers.give(b);
    }
    // Taking them back: the pool's bytes come from it, the rest is new.
    Set<NativeMemory> given = Collections.newSetFromMap(new IdentityHashMap<>());
    given.addAll(Arrays.asList(taken));
    int reused = 0;
    for (int i = 0; i < n; i++) {
      taken[i] = CopyBuffers.take(SMALL);
      if (given.contains(taken[i])) {
        reused++;
      }
    }
    assertThat((long) reused * SMALL).isEqualTo(CopyBuffers.MAX_POOLED_BYTES);
    for (NativeMemory b : taken) {
      CopyBuffers.give(b);
    }
    assertThat(CopyBuffers.pooledBytes()).isEqualTo(CopyBuffers.MAX_POOLED_BYTES);
    drained.forEach(CopyBuffers::give);
  }
}
