/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FastqcReportTest {
  @Test
  void positionGroupsAreFastqcs() {
    List<String> labels = new ArrayList<>();
    for (int[] g : FastqcReport.baseGroups(150)) {
      labels.add(FastqcReport.label(g));
    }
    assertThat(labels.subList(0, 13))
        .containsExactly(
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10-14", "15-19", "20-24", "25-29");
    assertThat(labels.get(labels.size() - 1)).isEqualTo("150");
    assertThat(FastqcReport.baseGroups(75)).hasDimensions(75, 2);
  }

  @Test
  void adaptersFoundByEightBytePiecesWhereASearchFindsThem() {
    // The counting loop finds adapters by 8-byte pieces at every 4th position; a plain search must
    // agree, N and other letters included, for the five built-in adapters and for a list too
    // short for the pieces.
    Random random = new Random(13);
    byte[][] builtIn = {
      "AGATCGGAAGAG".getBytes(StandardCharsets.US_ASCII),
      "TGGAATTCTCGG".getBytes(StandardCharsets.US_ASCII),
      "GATCGTCGGACT".getBytes(StandardCharsets.US_ASCII),
      "CTGTCTCTTATA".getBytes(StandardCharsets.US_ASCII),
      "CGCCTTGGCCGT".getBytes(StandardCharsets.US_ASCII)
    };
    byte[][] plain = {"AGATC".getBytes(StandardCharsets.US_ASCII)};
    for (byte[][] adapters : List.of(builtIn, plain)) {
      FastqcStats s = new FastqcStats("x", adapters.length);
      long[][] expected = new long[adapters.length][200];
      byte[] header = "r".getBytes(StandardCharsets.US_ASCII);
      for (int read = 0; read < 3000; read++) {
        int len = 20 + random.nextInt(130);
        byte[] seq = new byte[len];
        for (int i = 0; i < len; i++) {
          seq[i] = (byte) "ACGTACGTACGTN.".charAt(random.nextInt(14));
        }
        byte[] a = adapters[random.nextInt(adapters.length)];
        int at = random.nextInt(len);
        System.arraycopy(a, 0, seq, at, Math.min(a.length, len - at));
        byte[] qual = new byte[len];
        Arrays.fill(qual, (byte) 'I');
        s.add(seq, qual, len, header, header.length, adapters);
        for (int k = 0; k < adapters.length; k++) {
          int index = FastqcStats.indexOf(seq, len, adapters[k]);
          if (index >= 0) {
            expected[k][index]++;
          }
        }
      }
      for (int k = 0; k < adapters.length; k++) {
        long[] got = Arrays.copyOf(s.adapterHits[k], 200);
        assertThat(got).isEqualTo(expected[k]);
      }
    }
  }

  @Test
  void sampleNamesDropFastqAndCompressionSuffixes() {
    assertThat(FastqcReport.sampleName("run1_R1.fastq.gz")).isEqualTo("run1_R1");
    assertThat(FastqcReport.sampleName("a.fq")).isEqualTo("a");
    assertThat(FastqcReport.sampleName("reads.txt")).isEqualTo("reads");
  }

  @Test
  void murmur3MatchesPublishedVectors() {
    // MurmurHash3_x64_128, seed 0, as Guava's Hashing.murmur3_128() prints it (little endian).
    long[] h = new long[2];
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    Hash128.hash(hello, hello.length, h);
    assertThat(h).containsExactly(0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
  }

  @Test
  void hashSetNumbersMembersInInsertionOrder() {
    HashSet128 s = new HashSet128(4);
    for (int i = 0; i < 1000; i++) {
      assertThat(s.add(i * 31L, -i)).isEqualTo(-i - 1);
    }
    assertThat(s.add(31L * 7, -7)).isEqualTo(7);
    assertThat(s.indexOf(31L * 999, -999)).isEqualTo(999);
    assertThat(s.indexOf(1, 1)).isEqualTo(-1);
    assertThat(s.size()).isEqualTo(1000);
  }

  @Test
  void contaminantHitsNameTheLongestStretch() {
    List<String[]> list = new ArrayList<>();
    list.add(new String[] {"Adapter X", "AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC"});
    String read = "TTTTTAGATCGGAAGAGCACACGTCTGAACTCCAGTCACTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT";
    assertThat(Contaminants.bestHit(read.substring(0, 50), list))
        .isEqualTo("Adapter X (100% over 34bp)");
    assertThat(Contaminants.bestHit("ACGTACGTACGTACGTACGTACGTACGT", list)).isEqualTo("No Hit");
    list.add(new String[] {"Bad", "ACGU"});
    assertThatThrownBy(() -> Contaminants.bestHit("ACGTACGTACGTACGTACGTACGTACGT", list))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Contaminant contained the illegal character 'U'");
  }

  @Test
  void gcModelGivesEveryClaimedPercentageOneReadInAll() {
    // Each whole percentage a read length can round to is shared out among the GC counts that
    // claim it, so one read of every GC count of a 100-base read adds up to 101 percentages.
    double[] d = new double[101];
    for (int gc = 0; gc <= 100; gc++) {
      FastqcReport.addGcModel(d, 100, gc, 1);
    }
    double sum = 0;
    for (double v : d) {
      sum += v;
    }
    assertThat(sum).isCloseTo(101.0, Offset.offset(1e-9));
    assertThat(d[0]).isEqualTo(1.0);
  }

  /**
   * The duplication levels are floating-point sums in the order FastQC's HashMaps give the levels,
   * which follows its HashMap of sequences: computed here with real HashMaps keyed by the
   * sequences' texts, as FastQC does, and required equal to the last bit.
   */
  @Test
  void duplicationLevelsAreSummedInFastqcsOrderToTheLastBit() {
    Random rng = new Random(11);
    for (int round = 0; round < 60; round++) {
      int n = 1 + rng.nextInt(round < 30 ? 60 : 5000);
      List<String> sequences = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (sequences.size() < n) {
        StringBuilder b = new StringBuilder();
        int length = 20 + rng.nextInt(31);
        for (int j = 0; j < length; j++) {
          b.append("ACGTN".charAt(rng.nextInt(5)));
        }
        if (seen.add(b.toString())) {
          sequences.add(b.toString());
        }
      }
      long[] counts = new long[n];
      int[] stringHashes = new int[n];
      long sum = 0;
      for (int i = 0; i < n; i++) {
        // Many levels, up to beyond the map's table size, so that levels share buckets.
        counts[i] = rng.nextInt(4) == 0 ? 1 + rng.nextInt(700) : 1 + rng.nextInt(12);
        stringHashes[i] = sequences.get(i).hashCode();
        sum += counts[i];
      }
      long total = sum + rng.nextInt(1000); // reads of sequences not tracked
      long atLimit = n + (long) (rng.nextDouble() * (total - n)); // corrections: not integers
      FastqcDuplication d =
          new FastqcDuplication(total, atLimit, counts, stringHashes, n, List.of());
      double[] percentDistinct = new double[1];
      double[][] ours = FastqcReport.duplicationLevels(d, percentDistinct);

      // FastQC's way: its map of sequences, iterated; levels collated and corrected in maps.
      java.util.HashMap<String, Integer> bySequence = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        bySequence.put(sequences.get(i), (int) counts[i]);
      }
      java.util.HashMap<Integer, Integer> collated = new java.util.HashMap<>();
      for (String sequence : bySequence.keySet()) {
        int level = bySequence.get(sequence);
        collated.put(level, collated.containsKey(level) ? collated.get(level) + 1 : 1);
      }
      java.util.HashMap<Integer, Double> corrected = new java.util.HashMap<>();
      for (int level : collated.keySet()) {
        corrected.put(
            level, FastqcReport.correctedCount(atLimit, total, level, collated.get(level)));
      }
      double[] dedup = new double[16];
      double[] all = new double[16];
      double dedupTotal = 0;
      double rawTotal = 0;
      for (int level : corrected.keySet()) {
        double count = corrected.get(level);
        dedupTotal += count;
        rawTotal += count * level;
        int slot = slot(level);
        dedup[slot] += count;
        all[slot] += count * level;
      }
      for (int i = 0; i < 16; i++) {
        dedup[i] /= dedupTotal;
        dedup[i] *= 100;
        all[i] /= rawTotal;
        all[i] *= 100;
      }
      assertThat(ours[0]).as("round %d, deduplicated", round).containsExactly(dedup);
      assertThat(ours[1]).as("round %d, total", round).containsExactly(all);
      assertThat(percentDistinct[0]).as("round %d", round).isEqualTo(dedupTotal / rawTotal * 100);
    }
  }

  /** FastQC's slot of a duplication level. */
  private static int slot(int level) {
    int slot = level - 1;
    if (slot > 9999) {
      return 15;
    } else if (slot > 4999) {
      return 14;
    } else if (slot > 999) {
      return 13;
    } else if (slot > 499) {
      return 12;
    } else if (slot > 99) {
      return 11;
    } else if (slot > 49) {
      return 10;
    } else if (slot > 9) {
      return 9;
    }
    return slot;
  }
}
