/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CombinerTest {
  @Test
  void blocksHoldEveryOccurrenceUnderItsKeyAtItsReducer() {
    // 300,000 occurrences of 40,000 hashes (far more than the cache holds), two keys that alternate
    // as a sample's and the whole sequences' do, and a third that takes over half-way.
    Random random = new Random(13);
    long[][] hashes = new long[40_000][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = new long[] {random.nextLong(), random.nextLong()};
    }
    int reducers = 3;
    FastqcJob.Combiner combiner = new FastqcJob.Combiner(reducers);
    Map<List<Long>, Long> expected = new HashMap<>();
    for (int i = 0; i < 300_000; i++) {
      long[] h = hashes[random.nextInt(i < 1000 ? 10 : hashes.length)];
      long sample = i < 150_000 ? 7 : 8;
      for (long key : new long[] {sample, FastqcJob.FULL}) {
        combiner.add(key, h[0], h[1]);
        expected.merge(List.of(key, h[0], h[1]), 1L, Long::sum);
      }
    }
    assertThat(countsOf(combiner.blocks(), reducers)).isEqualTo(expected);
  }

  @Test
  void manyKeysInOnePartition() {
    // A partition of many small files: a key per file, each file's hashes after the one before.
    int reducers = 5;
    FastqcJob.Combiner combiner = new FastqcJob.Combiner(reducers);
    Map<List<Long>, Long> expected = new HashMap<>();
    Random random = new Random(7);
    for (long key = 1; key <= 500; key++) {
      for (int i = 0; i < 200; i++) {
        long h1 = random.nextInt(50);
        long h2 = random.nextLong();
        combiner.add(key, h1, h2);
        expected.merge(List.of(key, h1, h2), 1L, Long::sum);
      }
    }
    assertThat(countsOf(combiner.blocks(), reducers)).isEqualTo(expected);
  }

  @Test
  void aReducerWithoutHashesGetsAnEmptyBlock() {
    FastqcJob.Combiner combiner = new FastqcJob.Combiner(2);
    combiner.add(1, 5, 4);
    long[][] blocks = combiner.blocks();
    assertThat(blocks[0]).containsExactly(1, 1, 0, 5, 4);
    assertThat(blocks[1]).isEmpty();
  }

  /** (key, h1, h2) to the summed count, read back from the blocks as the reducers read them. */
  private static Map<List<Long>, Long> countsOf(long[][] blocks, int reducers) {
    assertThat(blocks.length).isEqualTo(reducers);
    Map<List<Long>, Long> counts = new HashMap<>();
    for (int r = 0; r < reducers; r++) {
      long[] b = blocks[r];
      for (int i = 0; i < b.length; ) {
        long key = b[i];
        int once = (int) b[i + 1];
        int counted = (int) b[i + 2];
        i += 3;
        for (int end = i + 2 * once; i < end; i += 2) {
          assertThat(Math.floorMod(b[i + 1], reducers)).isEqualTo(r);
          counts.merge(List.of(key, b[i], b[i + 1]), 1L, Long::sum);
        }
        for (int end = i + 3 * counted; i < end; i += 3) {
          assertThat(Math.floorMod(b[i + 1], reducers)).isEqualTo(r);
          assertThat(b[i + 2]).isGreaterThan(1);
          counts.merge(List.of(key, b[i], b[i + 1]), b[i + 2], Long::sum);
        }
      }
    }
    return counts;
  }
}
