/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The clock of the window probe, and of the choice of how long pairs read their windows ({@code
 * LongPairWindows}): the calling thread's CPU time where the JVM measures it, else wall time. A
 * probe lasts a fraction of a millisecond; on a busy machine a wall clock counts the time the
 * thread waited for a core, which would make whichever half of the probe was preempted look
 * expensive (README: Page-cache state).
 */
public final class ProbeClock {
  private static final ThreadMXBean THREADS = threads();

  private ProbeClock() {}

  private static ThreadMXBean threads() {
    try {
      ThreadMXBean t = ManagementFactory.getThreadMXBean();
      if (t.isCurrentThreadCpuTimeSupported()
          && t.isThreadCpuTimeEnabled()
          && t.getCurrentThreadCpuTime() >= 0) {
        return t;
      }
    } catch (RuntimeException | LinkageError e) {
      // No management support (a minimal runtime image): wall time below.
    }
    return null;
  }

  /** Nanoseconds from an arbitrary origin, for differences within one thread. */
  public static long now() {
    if (THREADS != null) {
      long t = THREADS.getCurrentThreadCpuTime();
      if (t >= 0) {
        return t;
      }
    }
    return System.nanoTime();
  }
}
