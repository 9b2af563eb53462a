/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

/** What the mapping layer did for one reader. Plain fields: one reader, one thread. */
public final class MappingCounters {
  /** Bytes covered by all windows mapped (page-aligned lengths). */
  public long bytesMapped;

  public long windowsMapped;

  /** Windows copied with {@code pread} instead of mapped (see {@link WindowRead}). */
  public long windowsCopied;

  /** Bytes those copies read. */
  public long bytesCopied;

  public long madviseCalls;
  public long madviseFailures;
  public long lockFailures;
  public long hugePageFailures;
  public long mapNanos;
  public long minorFaults;
  public long majorFaults;

  /** Adds another reader's counters to these. */
  public void add(MappingCounters other) {
    bytesMapped += other.bytesMapped;
    windowsMapped += other.windowsMapped;
    windowsCopied += other.windowsCopied;
    bytesCopied += other.bytesCopied;
    madviseCalls += other.madviseCalls;
    madviseFailures += other.madviseFailures;
    lockFailures += other.lockFailures;
    hugePageFailures += other.hugePageFailures;
    mapNanos += other.mapNanos;
    minorFaults += other.minorFaults;
    majorFaults += other.majorFaults;
  }
}
