/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the windows of one file are mapped or copied ({@link WindowRead#AUTO}), from what the
 * last probe of the file measured; shared by the readers of the file's ranges in this JVM, so
 * updated without locks (a lost update costs one window read the slower way).
 *
 * <p>A probe times two ways of getting the same {@link MappedByteSource#PROBE_BYTES} of a freshly
 * mapped window: touching one byte of every page of the mapping, and {@code pread} of those bytes
 * into a copy buffer. Touching costs what mapping adds to a scan (faults, page-table entries,
 * translation misses: the parser then reads the bytes at the same cost either way), and {@code
 * pread} what copying adds, so the cheaper of the two is the cheaper way to read the window. The
 * page faults of the touch are no measure of that cost: a file just written by a program maps 1 MiB
 * per fault, like a file read ahead, yet its touches cost ten times as much (README: Page-cache
 * state).
 */
class WindowChoice {
  /**
   * While a file is copied, a window is mapped and probed again after every so many windows' bytes
   * have been copied.
   */
  static final int PROBE_EVERY = 8;

  private volatile boolean copy;
  private final AtomicLong bytesSinceProbe = new AtomicLong();

  /** The last probe's copy time; -1 before the first. */
  private volatile long lastCopyNanos = -1;

  private final AtomicInteger probesSinceCopyTimed = new AtomicInteger();

  /**
   * Whether {@code copyBytes} of a window of {@code windowBytes} are copied without a probe: while
   * the file is copied, until {@link #PROBE_EVERY} windows' bytes have been copied since the last
   * probe, and always for a window too short to hold a probe. Copies are counted in bytes, not in
   * windows, because a copy may be shorter than the window a mapping would take ({@link
   * MappedByteSource#COPY_WINDOW_BYTES}).
   */
  boolean copyWithoutProbe(long windowBytes, long copyBytes) {
    if (!copy) {
      return false;
    }
    if (windowBytes < MappedByteSource.PROBE_MIN_WINDOW) {
      return true;
    }
    if (bytesSinceProbe.addAndGet(copyBytes) < PROBE_EVERY * windowBytes) {
      return true;
    }
    bytesSinceProbe.set(0);
    return false;
  }

  /**
   * Whether the coming probe copies the probed bytes to time the copy. While the file is mapped,
   * every window is probed, and its touches cost nothing a mapped scan does not pay anyway, but a
   * timed copy would (a sixteenth of copying the window): so only every {@link #PROBE_EVERY}th
   * probe of a mapped file times one, the others reuse the last time. The first probe, and every
   * probe while the file is copied, time theirs.
   */
  boolean timeCopy() {
    return copy || lastCopyNanos < 0 || probesSinceCopyTimed.incrementAndGet() % PROBE_EVERY == 0;
  }

  /**
   * Records a probe of the file: {@code touchNanos} to touch the probed pages of the mapping,
   * {@code loopNanos} to run the same loop over memory already at hand (the loop's own cost, not
   * the mapping's), {@code copyNanos} to copy the probed bytes, or -1 when this probe did not copy
   * them ({@link #timeCopy()}): then the last time taken stands in. Returns whether the probed
   * window, and the following ones, are copied.
   */
  boolean probed(long touchNanos, long loopNanos, long copyNanos) {
    long c = copyNanos;
    if (c >= 0) {
      lastCopyNanos = c;
      probesSinceCopyTimed.set(0);
    } else {
      c = lastCopyNanos;
    }
    return record(c >= 0 && copyIsCheaper(touchNanos, loopNanos, c));
  }

  /** Records a probe's outcome: copy the file's windows, or map them. Returns {@code c}. */
  final boolean record(boolean c) {
    if (c) {
      bytesSinceProbe.set(0);
    }
    copy = c;
    return c;
  }

  /** Whether the file's windows are copied now (what the last probe found). */
  boolean copying() {
    return copy;
  }

  /**
   * How many times the copy's cost reaching the pages through the mapping must exceed before the
   * file is copied. Per 4 KiB page (Spark-free probe, thread CPU time, load 15): a file just
   * written costs 1.38 to 1.41 µs to touch mapped against 0.25 to 0.27 µs to copy (5 to 6 times),
   * one copied with {@code cp} 1.71 to 1.75 against 0.27 to 0.29 (6 times), one read ahead 0.22 to
   * 0.23 against 0.24 to 0.26 (a tie). Mapping, the way local files are read, keeps ties and
   * anything short of twice the copy, so that noise near a tie does not decide. (On an idle machine
   * the probe still copied 71 of 73 read-ahead windows with this margin: there the mapping measured
   * dearer still; see docs/measurements/page-cache.md, "timed probe".)
   */
  static final int COPY_MARGIN = 2;

  /**
   * The decision: copy when reaching the probed pages through the mapping cost more than {@link
   * #COPY_MARGIN} times copying their bytes, the loop's own cost taken off (most of the touch time
   * while the JIT has not compiled the loop yet, the first probes of a JVM).
   */
  static boolean copyIsCheaper(long touchNanos, long loopNanos, long copyNanos) {
    return touchNanos - Math.max(0, loopNanos) > COPY_MARGIN * copyNanos;
  }
}
