/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Cuts files into page-aligned byte ranges and packs them into partitions with Spark's own rules
 * ({@code FilePartition.maxSplitBytes} and next-fit-decreasing packing), so a FASTQ scan is sized
 * like any other file scan. Pure functions: tests call them without a session.
 */
final class SplitPlanner {
  private static final int MAX_PREFERRED_HOSTS = 3;

  private SplitPlanner() {}

  /**
   * The largest range: {@code min(maxPartitionBytes, max(openCostInBytes, totalBytes /
   * minPartitionNum))}, where {@code totalBytes} counts each file's length plus the open cost,
   * rounded down to a page multiple and at least one page.
   */
  static long maxSplitBytes(
      long maxPartitionBytes,
      long openCostInBytes,
      List<FastqFile> files,
      int minPartitionNum,
      int pageSize) {
    long totalBytes = 0;
    for (FastqFile f : files) {
      totalBytes += f.length + openCostInBytes;
    }
    long bytesPerCore = totalBytes / Math.max(1, minPartitionNum);
    long split = Math.min(maxPartitionBytes, Math.max(openCostInBytes, bytesPerCore));
    return Math.max(pageSize, split - split % pageSize);
  }

  /**
   * Cuts every file into ranges of {@code maxSplitBytes}; empty files give no range, and a file
   * that cannot be split (gzip, bzip2) gives one range, and so does a file not inspected yet
   * (whatever it holds, one range reads it). BGZF ranges are of compressed bytes.
   */
  static List<FileRange> split(List<FastqFile> files, long maxSplitBytes) {
    List<FileRange> ranges = new ArrayList<>();
    for (FastqFile f : files) {
      if (!f.splittable()) {
        if (f.length > 0) {
          ranges.add(new FileRange(f, 0, f.length));
        }
        continue;
      }
      for (long start = 0; start < f.length; start += maxSplitBytes) {
        ranges.add(new FileRange(f, start, Math.min(f.length, start + maxSplitBytes)));
      }
    }
    return ranges;
  }

  /**
   * Packs ranges into partitions, largest first, opening a new partition when the next range would
   * push the current one past {@code maxSplitBytes}; each range also costs {@code openCostInBytes}.
   * Within a partition, ranges are ordered by file and offset.
   */
  static List<FastqInputPartition> pack(
      List<FileRange> ranges, long maxSplitBytes, long openCostInBytes) {
    List<FileRange> sorted = new ArrayList<>(ranges);
    // Stable: equal-sized ranges of one file keep their file order.
    sorted.sort(Comparator.comparingLong(FileRange::length).reversed());
    List<FastqInputPartition> partitions = new ArrayList<>();
    List<FileRange> current = new ArrayList<>();
    long currentSize = 0;
    for (FileRange r : sorted) {
      if (!current.isEmpty() && currentSize + r.length() > maxSplitBytes) {
        partitions.add(partition(partitions.size(), current));
        current = new ArrayList<>();
        currentSize = 0;
      }
      current.add(r);
      currentSize += r.length() + openCostInBytes;
    }
    if (!current.isEmpty()) {
      partitions.add(partition(partitions.size(), current));
    }
    return partitions;
  }

  /**
   * {@link #pack}, then, as Spark's {@code FilePartition.getFilePartitions} honours {@code
   * spark.sql.files.maxPartitionNum}: when that gives more partitions than {@code maxPartitionNum},
   * the same ranges are packed again towards {@code ceil(sum(length + openCostInBytes) /
   * maxPartitionNum)} bytes per partition.
   *
   * @param maxPartitionNum the bound, or 0 for none
   */
  static List<FastqInputPartition> pack(
      List<FileRange> ranges, long maxSplitBytes, long openCostInBytes, int maxPartitionNum) {
    List<FastqInputPartition> partitions = pack(ranges, maxSplitBytes, openCostInBytes);
    if (maxPartitionNum <= 0 || partitions.size() <= maxPartitionNum) {
      return partitions;
    }
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (FileRange r : ranges) {
      total = total.add(java.math.BigInteger.valueOf(r.length() + openCostInBytes));
    }
    java.math.BigInteger[] qr =
        total.divideAndRemainder(java.math.BigInteger.valueOf(maxPartitionNum));
    long desired = qr[0].longValue() + (qr[1].signum() > 0 ? 1 : 0);
    return pack(ranges, desired, openCostInBytes);
  }

  /**
   * Ranges of plain files start at multiples of this when the split is 4 of them or more: a
   * PMD-sized folio of the page cache, which a window that starts there can map whole.
   */
  static final long ALIGNED_SPLIT_BYTES = 2L << 20;

  /**
   * What a split of this size is a multiple of: {@link #ALIGNED_SPLIT_BYTES} when it is 4 of them
   * or more (rounding then changes it by under a quarter), else a page.
   */
  static long alignment(long split, int pageSize) {
    return split >= 4 * ALIGNED_SPLIT_BYTES ? ALIGNED_SPLIT_BYTES : pageSize;
  }

  /**
   * A smaller split that leaves no core idle in the last wave: when {@code planned} (packed at
   * {@code maxSplitBytes}) takes more than one wave of {@code cores} tasks, the split that cuts its
   * bytes into as many equal ranges as those waves hold (a 463 MB file on 2 cores: not 128, 128,
   * 128 and 57 MiB, where one core reads 256 MiB and the other 185, but 112, 112, 112 and 105 MiB),
   * rounded up to its {@link #alignment}; otherwise, or when that is not smaller, {@code
   * maxSplitBytes}. Never a larger split than Spark's; the caller packs again and keeps the plan
   * that {@link #finishTime} says ends first.
   */
  static long evenSplitBytes(
      List<FastqInputPartition> planned, long maxSplitBytes, int cores, int pageSize) {
    int n = planned.size();
    if (cores < 2 || n <= cores) {
      return maxSplitBytes;
    }
    long bytes = 0;
    for (FastqInputPartition p : planned) {
      for (FileRange r : p.ranges) {
        bytes += r.length();
      }
    }
    long slots = (long) ((n + cores - 1) / cores) * cores;
    long split = (bytes + slots - 1) / slots;
    long align = alignment(split, pageSize);
    split = Math.max(pageSize, (split + align - 1) / align * align);
    return Math.min(split, maxSplitBytes);
  }

  /**
   * When the last of {@code partitions} ends, in bytes (a range's length plus {@code
   * openCostInBytes}), if {@code cores} task slots take them in order, each the next to be free:
   * how Spark's scheduler hands one stage's tasks to one executor's cores.
   */
  static long finishTime(List<FastqInputPartition> partitions, long openCostInBytes, int cores) {
    // When each core is next free, soonest first: a heap, as a cluster has thousands of cores.
    PriorityQueue<Long> busyUntil = new PriorityQueue<>();
    for (int i = 0; i < Math.max(1, cores); i++) {
      busyUntil.add(0L);
    }
    long end = 0;
    for (FastqInputPartition p : partitions) {
      long t = busyUntil.poll();
      for (FileRange r : p.ranges) {
        t += r.length() + openCostInBytes;
      }
      busyUntil.add(t);
      end = Math.max(end, t);
    }
    return end;
  }

  private static FastqInputPartition partition(int index, List<FileRange> ranges) {
    ranges.sort(
        Comparator.<FileRange, String>comparing(r -> r.file.uri).thenComparingLong(r -> r.start));
    return new FastqInputPartition(index, List.copyOf(ranges), preferredHosts(ranges));
  }

  /** The length of the longest of these files, 0 for none. */
  static long longestFile(List<FastqFile> files) {
    long longest = 0;
    for (FastqFile f : files) {
      longest = Math.max(longest, f.length);
    }
    return longest;
  }

  /**
   * Whether any block of these files names a host (HDFS, not a local disk or an object store): then
   * ranges stay at Spark's split, whose multiples follow the blocks, so a task reads its block on a
   * node that holds it.
   */
  static boolean hasBlockHosts(List<FastqFile> files) {
    for (FastqFile f : files) {
      for (FastqFile.Block b : f.blocks) {
        for (String host : b.hosts) {
          if (!"localhost".equals(host)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The hosts holding the most bytes of these ranges; "localhost" tells a scheduler nothing. */
  static String[] preferredHosts(List<FileRange> ranges) {
    Map<String, Long> bytesByHost = new HashMap<>();
    for (FileRange r : ranges) {
      for (FastqFile.Block b : r.file.blocks) {
        long overlap = Math.min(r.end, b.offset + b.length) - Math.max(r.start, b.offset);
        if (overlap <= 0) {
          continue;
        }
        for (String host : b.hosts) {
          if (!"localhost".equals(host)) {
            bytesByHost.merge(host, overlap, Long::sum);
          }
        }
      }
    }
    return bytesByHost.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(MAX_PREFERRED_HOSTS)
        .map(Map.Entry::getKey)
        .toArray(String[]::new);
  }
}
