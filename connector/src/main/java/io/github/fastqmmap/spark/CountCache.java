/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.RangeCounter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counting pass's counts of earlier queries in this driver, by range: a query that reads the
 * same files again (same length and modification time, the same range, counted the same way) takes
 * them instead of counting again, so that only its first query pays for the pass. Files are known
 * unchanged by their length and modification time, as everywhere else (README: a rewrite that keeps
 * both is not seen). A count is kept only when its file's modification time was at least {@link
 * #SETTLED_MILLIS} before the count began ("racily clean" in git's words): a file written just
 * before it was counted could be written again within the same clock tick, keeping its length and
 * modification time, and would then reuse a count of other content. Counts that met an error
 * ({@code ignoreCorruptFiles}, {@code ignoreMissingFiles}) are never kept.
 */
final class CountCache {
  /** The Spark conf that turns the reuse off ({@code false}); on by default. */
  static final String CONF = "spark.fastqmmap.countingPassCache";

  /** How long before the count a file must have been modified for its count to be kept. */
  static final long SETTLED_MILLIS = 2_000;

  /** At most this many ranges are kept (a few hundred bytes each), least recently used go first. */
  static final int MAX_RANGES = 50_000;

  private static final Map<Key, RangeCounter.Result> COUNTS =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, RangeCounter.Result> eldest) {
          return size() > MAX_RANGES;
        }
      };

  private CountCache() {}

  /**
   * What makes two counts of a range the same: the file as it was (length, modification time), the
   * range, and how it was counted (parse options, pairs' ordinals for malformed stretches, fast).
   */
  record Key(String uri, long length, long modificationTime, long start, long end, String how) {}

  static Key key(FileRange r, String how) {
    return new Key(r.file.uri, r.file.length, r.file.modificationTime, r.start, r.end, how);
  }

  static RangeCounter.Result get(Key key) {
    synchronized (COUNTS) {
      return COUNTS.get(key);
    }
  }

  /** Keeps {@code result} if it is complete and its file had settled when counting began. */
  static void put(Key key, RangeCounter.Result result, long countStartMillis) {
    if (result.failure() != null
        || key.modificationTime() <= 0 // unknown: a change would keep it
        || countStartMillis - key.modificationTime() < SETTLED_MILLIS) {
      return;
    }
    synchronized (COUNTS) {
      COUNTS.put(key, result);
    }
  }

  /** Forgets every count (tests). */
  static void clear() {
    synchronized (COUNTS) {
      COUNTS.clear();
    }
  }
}
