/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

/**
 * Whether column batches of long pairs ({@link FastqInputPartition#holdsLongPairs()}) copy every
 * window, as other batches of the sequence and the quality do, or map them (probed as any
 * reader's), chosen from the CPU time per byte that earlier tasks of this JVM took each way. Which
 * is cheaper depends on the host: on the AVX-512 Intel host (2026-12-05) tasks of long pairs took
 * 10 to 20% less CPU mapped; on the AMD EPYC host (2026-12-06) a repeated query of them took 0.69 s
 * copying every window against 0.78 s probed (docs/measurements/paired-reads.md). So the first two
 * tasks take one way each, then every task takes the cheaper way, ties copied (mapping must cost
 * less than {@link #MAP_BELOW} of copying), and now and then a task takes the other way to measure
 * it again. Ties copy because the two mistakes differ: copying costs about the same on every host
 * and page-cache layout, mapping up to twice as much where the layout is bad, so a wrong copy costs
 * a few percent, a wrong map up to half the time. An exploring task may cost half as much again as
 * the others, so each exploration that leaves the choice as it was doubles the interval to the next
 * (up to {@link #EXPLORE_EVERY_MOST}), one that changes it starts again from {@link
 * #EXPLORE_EVERY}, and a task explores only in the first half of its stage, where the other tasks
 * still running absorb its extra time, not as the stage's last. Both ways give the same rows; the
 * metrics {@code windowsMapped} and {@code windowsCopied} show which was taken. Its methods lock,
 * off the read path: a task asks once when it starts and reports once when it ends.
 */
final class LongPairWindows {
  /** The JVM's choice, shared by its tasks. */
  static final LongPairWindows JVM = new LongPairWindows();

  /**
   * Tasks between explorations at first, and again once the choice changes. The other way may cost
   * twice as much (mapped long pairs on the AMD EPYC host): every 8th task cost a repeated query
   * there 12% (0.654 s against 0.585 s copying every window), every 32nd costs it about 3%.
   */
  static final int EXPLORE_EVERY = 32;

  /** The longest interval between explorations, in tasks, reached as explorations confirm. */
  static final int EXPLORE_EVERY_MOST = 1024;

  /** Mapping is chosen when its cost per byte is below this share of copying's. */
  static final double MAP_BELOW = 0.95;

  /**
   * Weight of a new task's cost against the way's earlier ones: the queries of a JVM differ in what
   * their rows go on to cost, so old measurements fade; but tasks' costs vary widely (AMD EPYC
   * host, 1 GiB per mate: the ways' means moved between 0.33 and 0.94 ns per byte), and at half
   * weight one cheap task of the other way switched every later task to it.
   */
  static final double NEW_WEIGHT = 0.25;

  private double mapCost = Double.NaN;
  private double copyCost = Double.NaN;
  private long tasks;

  /** Tasks between explorations now. */
  private int exploreEvery = EXPLORE_EVERY;

  /** Tasks that took the chosen way since the last exploration. */
  private int sinceExplored;

  /**
   * Whether the task that starts now copies its windows; {@code mayExplore} is false for a task in
   * the second half of its stage, which takes the chosen way even when an exploration is due.
   */
  synchronized boolean copyNext(boolean mayExplore) {
    long task = tasks++;
    if (Double.isNaN(mapCost) && Double.isNaN(copyCost)) {
      return task % 2 == 1; // the first tasks: mapped, then copied
    }
    if (Double.isNaN(mapCost) || Double.isNaN(copyCost)) {
      return Double.isNaN(copyCost); // the way not measured yet
    }
    boolean copy = copiesNow();
    if (++sinceExplored >= exploreEvery && mayExplore) {
      sinceExplored = 0;
      return !copy;
    }
    return copy;
  }

  /** Tasks between explorations now: for tests. */
  synchronized int exploreEvery() {
    return exploreEvery;
  }

  /** Whether the cheaper way measured so far is copying (or no cheaper one is known). */
  synchronized boolean copiesNow() {
    return Double.isNaN(copyCost) || Double.isNaN(mapCost) || !(mapCost < MAP_BELOW * copyCost);
  }

  /** A task that read {@code bytes} in {@code nanos} of its thread's CPU time, one way. */
  synchronized void finished(boolean copied, long nanos, long bytes) {
    if (bytes <= 0 || nanos <= 0) {
      return;
    }
    double cost = (double) nanos / bytes;
    boolean measured = !Double.isNaN(copyCost) && !Double.isNaN(mapCost);
    boolean before = copiesNow();
    if (copied) {
      copyCost = Double.isNaN(copyCost) ? cost : copyCost + NEW_WEIGHT * (cost - copyCost);
    } else {
      mapCost = Double.isNaN(mapCost) ? cost : mapCost + NEW_WEIGHT * (cost - mapCost);
    }
    if (!measured) {
      return;
    }
    if (copiesNow() != before) {
      exploreEvery = EXPLORE_EVERY; // a new choice: measure the old way again soon
    } else if (copied != before) {
      exploreEvery = Math.min(2 * exploreEvery, EXPLORE_EVERY_MOST); // the choice confirmed
    }
  }

  /** Starts again from nothing, or (costs not NaN) from these costs: for tests. */
  synchronized void reset(double mapCost, double copyCost) {
    this.mapCost = mapCost;
    this.copyCost = copyCost;
    this.tasks = 0;
    this.exploreEvery = EXPLORE_EVERY;
    this.sinceExplored = 0;
  }
}
