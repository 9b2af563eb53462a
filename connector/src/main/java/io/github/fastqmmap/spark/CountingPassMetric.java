/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.Locale;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * Driver metrics of the scan node: what the counting pass did at planning (only when {@code
 * _ordinal} or pairs were asked for; 0 otherwise). Spark re-creates metric classes by name, so each
 * is a public class with a no-arg constructor.
 */
public abstract class CountingPassMetric implements CustomMetric {
  /** Records counted by the counting pass, over every counted range (R2 files included). */
  public static final String RECORDS = "countingPassRecords";

  /** Ranges the counting pass counted. */
  public static final String RANGES = "countingPassRanges";

  /**
   * Of those ranges, the ones whose count an earlier query in this driver made (the files
   * unchanged): no task counted them again.
   */
  public static final String REUSED_RANGES = "countingPassReusedRanges";

  /** Wall time of the counting pass on the driver, in milliseconds. */
  public static final String MILLIS = "countingPassMillis";

  /** Windows of local files the counting pass mapped (see {@link #WINDOWS_COPIED}). */
  public static final String WINDOWS_MAPPED = "countingPassWindowsMapped";

  /**
   * Windows of local files the counting pass copied with {@code pread}: all that fit under {@code
   * windowRead=auto} (README: Paired reads).
   */
  public static final String WINDOWS_COPIED = "countingPassWindowsCopied";

  /**
   * Pairs of files whose ranges were aligned by the mates' names ({@code pairAlignment=auto}): the
   * counting pass did not count them (README: Paired reads).
   */
  public static final String PAIRS_ALIGNED_BY_NAMES = "pairsAlignedByNames";

  private final String name;
  private final String description;

  CountingPassMetric(String name, String description) {
    this.name = name;
    this.description = description;
  }

  static CustomMetric[] all() {
    return new CustomMetric[] {
      new Records(),
      new Ranges(),
      new ReusedRanges(),
      new Millis(),
      new WindowsMapped(),
      new WindowsCopied(),
      new PairsAlignedByNames()
    };
  }

  /** The driver's values, for {@code Scan.reportDriverMetrics}. */
  static CustomTaskMetric[] values(
      long records,
      long ranges,
      long reusedRanges,
      long millis,
      long windowsMapped,
      long windowsCopied,
      long pairsAlignedByNames) {
    return new CustomTaskMetric[] {
      value(RECORDS, records),
      value(RANGES, ranges),
      value(REUSED_RANGES, reusedRanges),
      value(MILLIS, millis),
      value(WINDOWS_MAPPED, windowsMapped),
      value(WINDOWS_COPIED, windowsCopied),
      value(PAIRS_ALIGNED_BY_NAMES, pairsAlignedByNames)
    };
  }

  private static CustomTaskMetric value(String name, long value) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return value;
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String aggregateTaskMetrics(long[] taskMetrics) {
    long sum = 0;
    for (long v : taskMetrics) {
      sum += v;
    }
    return String.format(Locale.ROOT, "%,d", sum);
  }

  /** {@link #RECORDS}. */
  public static final class Records extends CountingPassMetric {
    public Records() {
      super(RECORDS, "records counted at planning (ordinals, pairs)");
    }
  }

  /** {@link #RANGES}. */
  public static final class Ranges extends CountingPassMetric {
    public Ranges() {
      super(RANGES, "ranges counted at planning");
    }
  }

  /** {@link #REUSED_RANGES}. */
  public static final class ReusedRanges extends CountingPassMetric {
    public ReusedRanges() {
      super(REUSED_RANGES, "ranges whose count an earlier query gave");
    }
  }

  /** {@link #MILLIS}. */
  public static final class Millis extends CountingPassMetric {
    public Millis() {
      super(MILLIS, "counting pass time (ms)");
    }
  }

  /** {@link #WINDOWS_MAPPED}. */
  public static final class WindowsMapped extends CountingPassMetric {
    public WindowsMapped() {
      super(WINDOWS_MAPPED, "windows mapped by the counting pass");
    }
  }

  /** {@link #WINDOWS_COPIED}. */
  public static final class WindowsCopied extends CountingPassMetric {
    public WindowsCopied() {
      super(WINDOWS_COPIED, "windows copied by the counting pass");
    }
  }

  public static final class PairsAlignedByNames extends CountingPassMetric {
    public PairsAlignedByNames() {
      super(PAIRS_ALIGNED_BY_NAMES, "pairs of files aligned by mates' names");
    }
  }
}
