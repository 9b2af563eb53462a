/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastqcStatsTest {
  /**
   * The counting loop works 8 bytes at a time with 16-bit counts for the first positions; its
   * counts must be what one base at a time gives, for reads of every length (past the 16-bit
   * counts' positions too), any byte, and more reads than a 16-bit count holds.
   */
  @Test
  void countsEqualOneBaseAtATime() throws Exception {
    Random random = new Random(5);
    byte[][] adapters = FastqcConfig.load(null).adapters;
    FastqcStats s = new FastqcStats("x", adapters.length);
    int maxLen = FastqcStats.PAIR_POSITIONS + 40;
    long[] quality = new long[maxLen * FastqcStats.CHARS];
    long[] bases = new long[maxLen * 5];
    long[] meanQuality = new long[FastqcStats.CHARS];
    Map<Long, Long> gc = new HashMap<>();
    int lowest = FastqcStats.CHARS;
    int highest = 0;
    byte[] header = "r".getBytes(StandardCharsets.US_ASCII);
    String letters = "GATCGATCGATCN.x";
    for (int read = 0; read < 70_000; read++) {
      int len = read % 1000 == 0 ? random.nextInt(maxLen + 1) : random.nextInt(40);
      byte[] seq = new byte[len + 3];
      byte[] qual = new byte[len + 3];
      long qualitySum = 0;
      int g = 0;
      int truncated = len > 1000 ? len / 1000 * 1000 : len > 100 ? len / 100 * 100 : len;
      int gTruncated = 0;
      for (int i = 0; i < len; i++) {
        seq[i] = (byte) letters.charAt(random.nextInt(letters.length()));
        qual[i] = (byte) (read % 7 == 0 ? random.nextInt(256) : 33 + random.nextInt(42));
        int q = qual[i] & 0x7f;
        quality[i * FastqcStats.CHARS + q]++;
        int slot = "GATCN".indexOf(seq[i]);
        if (slot >= 0) {
          bases[i * 5 + slot]++;
        }
        g += seq[i] == 'G' || seq[i] == 'C' ? 1 : 0;
        gTruncated = i + 1 == truncated ? g : gTruncated;
        qualitySum += q;
        lowest = Math.min(lowest, q);
        highest = Math.max(highest, q);
      }
      if (len > 0) {
        meanQuality[(int) (qualitySum / len)]++;
        gc.merge((long) truncated << 32 | gTruncated, 1L, Long::sum);
      }
      s.add(seq, qual, len, header, header.length, adapters);
    }
    s.flush();
    assertThat(Arrays.copyOf(s.quality, quality.length)).isEqualTo(quality);
    assertThat(Arrays.copyOf(s.bases, bases.length)).isEqualTo(bases);
    assertThat(s.meanQualityChars).isEqualTo(meanQuality);
    assertThat(s.gcByLength).isEqualTo(gc);
    assertThat(s.lowestChar).isEqualTo(lowest);
    assertThat(s.highestChar).isEqualTo(highest);
  }
}
