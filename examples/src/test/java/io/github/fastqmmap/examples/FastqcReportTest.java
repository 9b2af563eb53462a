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
}
