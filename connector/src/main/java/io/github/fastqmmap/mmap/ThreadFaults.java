/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import com.sun.jna.LastErrorException;

/**
 * Page faults taken by the calling thread so far, from {@code getrusage(RUSAGE_THREAD)} (the whole
 * process on macOS, which has no per-thread usage). Zeros where libc is unavailable.
 */
final class ThreadFaults {
  private final long[] usage = new long[LibC.RUSAGE_LONGS];
  long minor;
  long major;

  /** Reads the current totals into {@link #minor} and {@link #major}. */
  void sample() {
    if (!NativeLibc.AVAILABLE) {
      return;
    }
    try {
      LibC.getrusage(NativeLibc.LINUX ? LibC.RUSAGE_THREAD : LibC.RUSAGE_SELF, usage);
      minor = usage[LibC.RUSAGE_MINFLT];
      major = usage[LibC.RUSAGE_MAJFLT];
    } catch (LastErrorException e) {
      // getrusage fails only on bad arguments; leave the totals unchanged.
    }
  }
}
