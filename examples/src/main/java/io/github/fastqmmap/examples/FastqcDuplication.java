/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What FastQC's duplication and overrepresented-sequence modules see of one sample: FastQC tracks
 * the first 100,000 distinct sequences of the file (each cut to 50 bases when longer than 75),
 * counts them over the whole file, and notes how many reads it had seen when the 100,000th
 * appeared. Spark gets the same figures from 128-bit hashes of the (cut) sequences: the distinct
 * hashes with the earliest first occurrence, their counts over all reads, and the read count up to
 * the 100,000th's first occurrence. Besides, {@link #distinctSequences} counts every distinct (cut)
 * sequence of the sample, FastQC's estimate's exact counterpart.
 */
public final class FastqcDuplication implements Serializable {
  private static final long serialVersionUID = 1L;

  /** FastQC's limit on tracked distinct sequences. */
  public static final int OBSERVATION_CUTOFF = 100_000;

  /** Reads of the sample. */
  final long count;

  /** Reads seen when the last tracked sequence first appeared (all reads if fewer tracked). */
  final long countAtUniqueLimit;

  /** Occurrences of each tracked sequence, in the order they first appeared. */
  final long[] trackedCounts;

  /** Each tracked sequence's {@code String.hashCode()}, in the same order. */
  final int[] trackedStringHashes;

  /** Distinct (cut) sequences of the whole sample. */
  final long distinctSequences;

  /** Tracked sequences above FastQC's overrepresentation limit, with their counts. */
  final List<Overrepresented> overrepresented;

  FastqcDuplication(
      long count,
      long countAtUniqueLimit,
      long[] trackedCounts,
      int[] trackedStringHashes,
      long distinctSequences,
      List<Overrepresented> overrepresented) {
    this.count = count;
    this.countAtUniqueLimit = countAtUniqueLimit;
    this.trackedCounts = trackedCounts;
    this.trackedStringHashes = trackedStringHashes;
    this.distinctSequences = distinctSequences;
    this.overrepresented = new ArrayList<>(overrepresented);
  }

  public long distinctSequences() {
    return distinctSequences;
  }

  /** An overrepresented (cut) sequence. */
  static final class Overrepresented implements Serializable {
    private static final long serialVersionUID = 1L;

    final String sequence;
    final long count;

    Overrepresented(String sequence, long count) {
      this.sequence = sequence;
      this.count = count;
    }
  }
}
