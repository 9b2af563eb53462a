/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quality-control totals of a set of reads; each partition computes its own and the driver merges
 * them. Every field is an integer count, so the totals are the same whatever the partitioning and
 * whatever order partitions are merged in (a local run and a cluster run agree to the last digit).
 *
 * <p>Qualities are Phred+33, as the connector always returns them. Per-position qualities are kept
 * as a histogram of Phred scores per cycle (FastQC's per-base sequence quality), for the first
 * {@value #EXACT_POSITIONS} cycles one by one and past that in groups of {@value #GROUP_POSITIONS}
 * cycles, so that megabase reads stay within bounded memory.
 */
public final class QcStats implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Highest Phred score a Phred+33 character can carry ('~'). */
  public static final int MAX_PHRED = 93;

  /** Cycles kept one by one. */
  public static final int EXACT_POSITIONS = 1000;

  /** Cycles per group past {@link #EXACT_POSITIONS}. */
  public static final int GROUP_POSITIONS = 1000;

  /** Most position groups kept; the last one takes every later cycle. */
  static final int MAX_BUCKETS = EXACT_POSITIONS + 999;

  /** Per-read mean qualities are summed in millionths, rounded per read. */
  static final long QUALITY_SCALE = 1_000_000L;

  long reads;
  long bases;
  long gcBases;
  long nBases;
  long sumOfMeanQualitiesMicro;
  long minLength = Long.MAX_VALUE;
  long maxLength;

  /** Read length to number of reads. */
  final TreeMap<Long, Long> lengthCounts = new TreeMap<>();

  /** Reads by GC content of their A/C/G/T bases, in whole percent (index 0..100). */
  final long[] gcContentCounts = new long[101];

  /** Reads by their mean Phred quality, rounded down (index 0..{@link #MAX_PHRED}). */
  final long[] meanQualityCounts = new long[MAX_PHRED + 1];

  /** positionQuality[bucket][phred]: bases at that cycle (group) with that quality. */
  long[][] positionQuality = new long[0][];

  /** Adds one read; quality is Phred+33 as the connector always returns it. */
  public void add(String sequence, String quality) {
    byte[] seq = sequence.getBytes(StandardCharsets.US_ASCII);
    byte[] qual = quality.getBytes(StandardCharsets.US_ASCII);
    add(seq, seq.length, qual, qual.length);
  }

  /** Adds one read given as bytes: {@code seq[0..length)} and {@code qual[0..qualLength)}. */
  void add(byte[] seq, int length, byte[] qual, int qualLength) {
    reads++;
    bases += length;
    minLength = Math.min(minLength, length);
    maxLength = Math.max(maxLength, length);
    lengthCounts.merge((long) length, 1L, Long::sum);
    long gc = 0;
    long n = 0;
    long acgt = 0;
    for (int i = 0; i < length; i++) {
      byte b = seq[i];
      switch (b) {
        case 'G':
        case 'C':
        case 'g':
        case 'c':
          gc++;
          acgt++;
          break;
        case 'A':
        case 'T':
        case 'a':
        case 't':
          acgt++;
          break;
        case 'N':
        case 'n':
          n++;
          break;
        default:
          break;
      }
    }
    gcBases += gc;
    nBases += n;
    if (acgt > 0) {
      gcContentCounts[(int) ((200 * gc + acgt) / (2 * acgt))]++; // rounded half up
    }
    if (qualLength > 0) {
      ensureBuckets(bucketOf(qualLength - 1) + 1);
      long sum = 0;
      for (int i = 0; i < qualLength; i++) {
        int q = Math.max(0, Math.min(MAX_PHRED, qual[i] - 33));
        sum += q;
        positionQuality[bucketOf(i)][q]++;
      }
      sumOfMeanQualitiesMicro += (sum * QUALITY_SCALE + qualLength / 2) / qualLength;
      meanQualityCounts[(int) Math.min(MAX_PHRED, sum / qualLength)]++;
    }
  }

  /** The position group of a 0-based cycle. */
  static int bucketOf(int position) {
    if (position < EXACT_POSITIONS) {
      return position;
    }
    return Math.min(MAX_BUCKETS, EXACT_POSITIONS + (position - EXACT_POSITIONS) / GROUP_POSITIONS);
  }

  /** First 1-based cycle of a position group. */
  public static long bucketFirstCycle(int bucket) {
    if (bucket < EXACT_POSITIONS) {
      return bucket + 1L;
    }
    return EXACT_POSITIONS + (long) (bucket - EXACT_POSITIONS) * GROUP_POSITIONS + 1;
  }

  /** Last 1-based cycle of a position group ({@code Long.MAX_VALUE} for the open last group). */
  public static long bucketLastCycle(int bucket) {
    if (bucket < EXACT_POSITIONS) {
      return bucket + 1L;
    }
    if (bucket == MAX_BUCKETS) {
      return Long.MAX_VALUE;
    }
    return bucketFirstCycle(bucket) + GROUP_POSITIONS - 1;
  }

  private void ensureBuckets(int count) {
    if (positionQuality.length < count) {
      int old = positionQuality.length;
      positionQuality = Arrays.copyOf(positionQuality, count);
      for (int i = old; i < count; i++) {
        positionQuality[i] = new long[MAX_PHRED + 1];
      }
    }
  }

  /** Adds another partition's totals to these; returns this. */
  public QcStats merge(QcStats other) {
    reads += other.reads;
    bases += other.bases;
    gcBases += other.gcBases;
    nBases += other.nBases;
    sumOfMeanQualitiesMicro += other.sumOfMeanQualitiesMicro;
    minLength = Math.min(minLength, other.minLength);
    maxLength = Math.max(maxLength, other.maxLength);
    for (Map.Entry<Long, Long> e : other.lengthCounts.entrySet()) {
      lengthCounts.merge(e.getKey(), e.getValue(), Long::sum);
    }
    add(gcContentCounts, other.gcContentCounts);
    add(meanQualityCounts, other.meanQualityCounts);
    ensureBuckets(other.positionQuality.length);
    for (int i = 0; i < other.positionQuality.length; i++) {
      add(positionQuality[i], other.positionQuality[i]);
    }
    return this;
  }

  private static void add(long[] into, long[] from) {
    for (int i = 0; i < from.length; i++) {
      into[i] += from[i];
    }
  }

  public long reads() {
    return reads;
  }

  public long bases() {
    return bases;
  }

  public long gcBases() {
    return gcBases;
  }

  public long nBases() {
    return nBases;
  }

  /** G and C among all bases, in percent. */
  public double gcPercent() {
    return bases == 0 ? 0 : 100.0 * gcBases / bases;
  }

  /** N among all bases, in percent. */
  public double nPercent() {
    return bases == 0 ? 0 : 100.0 * nBases / bases;
  }

  /** Mean over reads of each read's mean Phred quality. */
  public double meanReadQuality() {
    return reads == 0 ? 0 : (double) sumOfMeanQualitiesMicro / QUALITY_SCALE / reads;
  }

  public long minLength() {
    return reads == 0 ? 0 : minLength;
  }

  public long maxLength() {
    return maxLength;
  }

  public double meanLength() {
    return reads == 0 ? 0 : (double) bases / reads;
  }

  /** Read length to number of reads, ascending by length. */
  public TreeMap<Long, Long> lengthCounts() {
    return new TreeMap<>(lengthCounts);
  }

  /** Reads by GC content in whole percent of their A/C/G/T bases (index 0..100). */
  public long[] gcContentCounts() {
    return gcContentCounts.clone();
  }

  /** Reads by mean Phred quality, rounded down (index 0..{@link #MAX_PHRED}). */
  public long[] meanQualityCounts() {
    return meanQualityCounts.clone();
  }

  /** Number of position groups (cycles 1..{@link #EXACT_POSITIONS} each have their own). */
  public int positionBuckets() {
    return positionQuality.length;
  }

  /** The quality distribution at one position group. */
  public QualityDistribution positionQuality(int bucket) {
    return new QualityDistribution(positionQuality[bucket]);
  }

  /**
   * A distribution of Phred scores given as counts, with FastQC's summary: mean, and the 10th,
   * 25th, 50th, 75th and 90th percentiles (the smallest score whose cumulative count reaches that
   * share of all bases).
   */
  public static final class QualityDistribution {
    private final long[] counts;
    private final long total;
    private final long sum;

    QualityDistribution(long[] counts) {
      this.counts = counts;
      long t = 0;
      long s = 0;
      for (int q = 0; q < counts.length; q++) {
        t += counts[q];
        s += q * counts[q];
      }
      this.total = t;
      this.sum = s;
    }

    public long total() {
      return total;
    }

    public double mean() {
      return total == 0 ? 0 : (double) sum / total;
    }

    /** The smallest score q with at least {@code percent}% of the bases at or below q. */
    public int percentile(int percent) {
      if (total == 0) {
        return 0;
      }
      long cumulative = 0;
      for (int q = 0; q < counts.length; q++) {
        cumulative += counts[q];
        if (cumulative * 100 >= total * percent) {
          return q;
        }
      }
      return counts.length - 1;
    }
  }
}
