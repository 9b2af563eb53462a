/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QcStatsTest {
  @Test
  void countsBasesGcNAndLengths() {
    QcStats s = new QcStats();
    s.add("ACGTN", "IIII#"); // Phred 40 x4, 2
    s.add("GGCC", "5555"); // Phred 20
    assertThat(s.reads()).isEqualTo(2);
    assertThat(s.bases()).isEqualTo(9);
    assertThat(s.gcBases()).isEqualTo(6);
    assertThat(s.nBases()).isEqualTo(1);
    assertThat(s.minLength()).isEqualTo(4);
    assertThat(s.maxLength()).isEqualTo(5);
    assertThat(s.lengthCounts()).containsExactly(Map.entry(4L, 1L), Map.entry(5L, 1L));
    // Read means: 162/5 = 32.4 and 20.
    assertThat(s.meanReadQuality()).isEqualTo(26.2);
    assertThat(s.meanQualityCounts()[32]).isEqualTo(1);
    assertThat(s.meanQualityCounts()[20]).isEqualTo(1);
    // GC of A/C/G/T bases only: 2 of 4 (the N is left out), and 4 of 4.
    assertThat(s.gcContentCounts()[50]).isEqualTo(1);
    assertThat(s.gcContentCounts()[100]).isEqualTo(1);
  }

  @Test
  void perPositionPercentilesAsFastQc() {
    QcStats s = new QcStats();
    // Cycle 1 gets Phred 10, 20, 30, 40 once each.
    for (String q : List.of("+", "5", "?", "I")) {
      s.add("A", q);
    }
    QcStats.QualityDistribution d = s.positionQuality(0);
    assertThat(d.total()).isEqualTo(4);
    assertThat(d.mean()).isEqualTo(25.0);
    assertThat(d.percentile(10)).isEqualTo(10);
    assertThat(d.percentile(25)).isEqualTo(10);
    assertThat(d.percentile(50)).isEqualTo(20);
    assertThat(d.percentile(75)).isEqualTo(30);
    assertThat(d.percentile(90)).isEqualTo(40);
  }

  @Test
  void mergeOrderDoesNotMatter() {
    QcStats a = new QcStats();
    QcStats b = new QcStats();
    QcStats c = new QcStats();
    a.add("ACGTACGT", "IIIII###");
    b.add("ACG", "5?I");
    c.add("NNNNNNNNNNNN", "############");
    String abc = QcReport.summaryTsv(copy(a).merge(copy(b)).merge(copy(c)), dup());
    String cba = QcReport.summaryTsv(copy(c).merge(copy(b)).merge(copy(a)), dup());
    assertThat(abc).isEqualTo(cba).contains("summary\treads\t3\n");
  }

  @Test
  void longReadsArePooledIntoCycleGroups() {
    assertThat(QcStats.bucketOf(999)).isEqualTo(999);
    assertThat(QcStats.bucketOf(1000)).isEqualTo(1000);
    assertThat(QcStats.bucketOf(1999)).isEqualTo(1000);
    assertThat(QcStats.bucketOf(2000)).isEqualTo(1001);
    assertThat(QcStats.bucketOf(Integer.MAX_VALUE)).isEqualTo(QcStats.MAX_BUCKETS);
    assertThat(QcReport.cycles(999)).isEqualTo("1000");
    assertThat(QcReport.cycles(1000)).isEqualTo("1001-2000");
    QcStats s = new QcStats();
    s.add("A".repeat(2500), "I".repeat(2500));
    assertThat(s.positionBuckets()).isEqualTo(1002);
    assertThat(s.positionQuality(1001).total()).isEqualTo(500);
  }

  @Test
  void duplicationTiesAreOrderedBySequence() {
    Duplication d = Duplication.of(Map.of("CCC", 2L, "AAA", 2L, "GGG", 3L, "TTT", 1L), 10);
    assertThat(d.distinctSequences()).isEqualTo(4);
    assertThat(d.levels()).containsExactly(Map.entry(1L, 1L), Map.entry(2L, 2L), Map.entry(3L, 1L));
    assertThat(d.top()).extracting(c -> c.sequence).containsExactly("GGG", "AAA", "CCC");
  }

  private static Duplication dup() {
    return Duplication.of(Map.of(), 0);
  }

  private static QcStats copy(QcStats s) {
    return new QcStats().merge(s);
  }
}
