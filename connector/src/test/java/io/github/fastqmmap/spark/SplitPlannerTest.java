/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Planning without a session: split sizing, page-aligned cutting and Spark's packing. */
class SplitPlannerTest {
  private static final int PAGE = 4096;
  private static final long MIB = 1L << 20;
  private static final long OPEN_COST = 4 * MIB; // Spark's spark.sql.files.openCostInBytes

  private static FastqFile file(String name, long length) {
    return new FastqFile("file:/data/" + name, length, 0L, List.of());
  }

  private static FastqFile file(String name, long length, FastqFile.Block... blocks) {
    return new FastqFile("file:/data/" + name, length, 0L, List.of(blocks));
  }

  private static FastqFile.Block block(long offset, long length, String... hosts) {
    return new FastqFile.Block(offset, length, hosts);
  }

  // ---- maxPartitionNum -----------------------------------------------------------------------

  @Test
  void maxPartitionNumRepacksTheSameRanges() {
    List<FastqFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(file(String.format(java.util.Locale.ROOT, "f%02d", i), 4 * MIB));
    }
    List<FileRange> ranges = SplitPlanner.split(files, 4 * MIB);
    // 10 ranges of 4 MiB (+ 4 MiB open cost each) in 8 MiB partitions: one range per partition.
    assertThat(SplitPlanner.pack(ranges, 8 * MIB, OPEN_COST, 0)).hasSize(10);
    assertThat(SplitPlanner.pack(ranges, 8 * MIB, OPEN_COST, 10)).hasSize(10);
    // At most 4: packed towards ceil(10 * 8 MiB / 4) = 20 MiB, three ranges each; the ranges
    // themselves are unchanged.
    List<FastqInputPartition> bounded = SplitPlanner.pack(ranges, 8 * MIB, OPEN_COST, 4);
    assertThat(bounded).hasSize(4);
    assertThat(bounded.stream().mapToInt(p -> p.ranges.size()).sum()).isEqualTo(10);
    assertThat(bounded.stream().flatMap(p -> p.ranges.stream()).map(FileRange::toString).sorted())
        .containsExactlyElementsOf(ranges.stream().map(FileRange::toString).sorted().toList());
  }

  // ---- maxSplitBytes -------------------------------------------------------------------------

  @Test
  void maxSplitBytesIsBytesPerCoreRoundedDownToAPage() {
    // total = 10,000,000 + 5,000,000 + 2 * 4 MiB = 23,388,608; per core (2) = 11,694,304;
    // rounded down to a page multiple: 2855 * 4096 = 11,694,080.
    List<FastqFile> files = List.of(file("a", 10_000_000), file("b", 5_000_000));
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, OPEN_COST, files, 2, PAGE))
        .isEqualTo(11_694_080L)
        .isEqualTo(2855L * PAGE);
  }

  @Test
  void maxPartitionBytesCapsTheSplitAndIsRoundedDownToAPage() {
    List<FastqFile> files = List.of(file("a", 1L << 30));
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, OPEN_COST, files, 2, PAGE))
        .isEqualTo(128 * MIB);
    assertThat(SplitPlanner.maxSplitBytes(4096, OPEN_COST, files, 2, PAGE)).isEqualTo(4096);
    assertThat(SplitPlanner.maxSplitBytes(8191, OPEN_COST, files, 2, PAGE)).isEqualTo(4096);
    assertThat(SplitPlanner.maxSplitBytes(12_288, OPEN_COST, files, 2, PAGE)).isEqualTo(12_288);
    assertThat(SplitPlanner.maxSplitBytes(100_000, OPEN_COST, files, 2, PAGE))
        .isEqualTo(24L * PAGE);
  }

  @Test
  void maxSplitBytesIsAtLeastOnePage() {
    List<FastqFile> files = List.of(file("a", 100));
    assertThat(SplitPlanner.maxSplitBytes(1, OPEN_COST, files, 2, PAGE)).isEqualTo(PAGE);
    assertThat(SplitPlanner.maxSplitBytes(4095, 0, files, 2, PAGE)).isEqualTo(PAGE);
    // No open cost and tiny files: bytes per core is 10, still one page.
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, 0, files, 10, PAGE)).isEqualTo(PAGE);
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, 0, List.of(), 2, PAGE)).isEqualTo(PAGE);
  }

  @Test
  void openCostIsTheFloorForSmallInputs() {
    // total = 3 * (1000 + 1 MiB) = 3,148,728; per core (8) = 393,591 < open cost 1 MiB.
    List<FastqFile> files = List.of(file("a", 1000), file("b", 1000), file("c", 1000));
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, MIB, files, 8, PAGE)).isEqualTo(MIB);
    // An open cost that is not a page multiple is rounded down too: 1,000,000 -> 244 pages.
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, 1_000_000, files, 8, PAGE))
        .isEqualTo(244L * PAGE);
  }

  @Test
  void minPartitionNumBelowOneCountsAsOne() {
    // total = 40,000 + 4096 = 44,096 -> 10 pages (40,960).
    List<FastqFile> files = List.of(file("a", 40_000));
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, PAGE, files, 0, PAGE)).isEqualTo(40_960);
    assertThat(SplitPlanner.maxSplitBytes(128 * MIB, PAGE, files, 1, PAGE)).isEqualTo(40_960);
  }

  @Test
  void roundsToTheGivenPageSize() {
    // 64 KiB pages (aarch64 kernels): 100,000 -> 65,536; 10,000 -> one page.
    List<FastqFile> files = List.of(file("a", 1L << 30));
    assertThat(SplitPlanner.maxSplitBytes(100_000, OPEN_COST, files, 2, 65_536)).isEqualTo(65_536);
    assertThat(SplitPlanner.maxSplitBytes(10_000, OPEN_COST, files, 2, 65_536)).isEqualTo(65_536);
  }

  // ---- split -------------------------------------------------------------------------------

  @Test
  void splitCutsEveryFileIntoPageAlignedRangesAndSkipsEmptyFiles() {
    FastqFile a = file("a", 10_000);
    FastqFile empty = file("empty", 0);
    FastqFile b = file("b", 4096);
    FastqFile c = file("c", 8193);
    List<FileRange> ranges = SplitPlanner.split(List.of(a, empty, b, c), 4096);
    assertThat(ranges)
        .extracting(r -> r.file.uri + " " + r.start + "-" + r.end)
        .containsExactly(
            "file:/data/a 0-4096",
            "file:/data/a 4096-8192",
            "file:/data/a 8192-10000",
            "file:/data/b 0-4096",
            "file:/data/c 0-4096",
            "file:/data/c 4096-8192",
            "file:/data/c 8192-8193");
    assertThat(SplitPlanner.split(List.of(empty), 4096)).isEmpty();
    assertThat(SplitPlanner.split(List.of(a), 1L << 30))
        .singleElement()
        .satisfies(r -> assertThat(r.start).isZero())
        .satisfies(r -> assertThat(r.end).isEqualTo(10_000));
  }

  @Test
  void splitTilesEachFileExactly() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<FastqFile> files = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        long length = random.nextInt(4) == 0 ? 0 : random.nextInt(100_000);
        files.add(file("f" + i, length));
      }
      long maxSplit = (1 + random.nextInt(8)) * (long) PAGE;
      List<FileRange> ranges = SplitPlanner.split(files, maxSplit);
      for (FastqFile f : files) {
        long expectedNext = 0;
        for (FileRange r : ranges) {
          if (r.file != f) {
            continue;
          }
          assertThat(r.start).as("start of %s", r).isEqualTo(expectedNext);
          assertThat(r.start % PAGE).as("page alignment of %s", r).isZero();
          assertThat(r.length()).as("length of %s", r).isPositive().isLessThanOrEqualTo(maxSplit);
          expectedNext = r.end;
        }
        assertThat(expectedNext).as("end of the last range of %s", f).isEqualTo(f.length);
      }
    }
  }

  // ---- pack --------------------------------------------------------------------------------

  @Test
  void packIsNextFitDecreasingWithOpenCost() {
    long maxSplit = 4L * PAGE; // 16,384
    FastqFile z = file("z", 40_000); // ranges 16,384 + 16,384 + 7,232
    FastqFile b = file("b", 5_000);
    FastqFile y = file("y", 3_000);
    FastqFile c = file("c", 100);
    FastqFile empty = file("empty", 0);
    List<FileRange> ranges = SplitPlanner.split(List.of(z, b, y, c, empty), maxSplit);
    List<FastqInputPartition> partitions = SplitPlanner.pack(ranges, maxSplit, 1_000);
    // Decreasing: z0 16384, z1 16384, z2 7232, b 5000, y 3000, c 100.
    // z0 alone (17384 + 16384 > max); z1 alone (17384 + 7232 > max); z2 + b (8232 + 5000 <= max,
    // then 14232 + 3000 > max); y + c (4000 + 100). Within a partition: by file, then offset.
    assertThat(partitions)
        .extracting(SplitPlannerTest::describe)
        .containsExactly(
            "0: z 0-16384",
            "1: z 16384-32768",
            "2: b 0-5000, z 32768-40000",
            "3: c 0-100, y 0-3000");
    assertThat(partitions)
        .extracting(p -> p.bytes())
        .containsExactly(16_384L, 16_384L, 12_232L, 3_100L);
  }

  @Test
  void packWithoutOpenCostFillsPartitionsAndWithLargeOpenCostIsolatesRanges() {
    List<FastqFile> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(file("s" + i, 1000));
    }
    List<FileRange> ranges = SplitPlanner.split(files, PAGE);
    // No open cost: four 1000-byte files fit in 4096, the fifth does not.
    assertThat(SplitPlanner.pack(ranges, PAGE, 0))
        .extracting(SplitPlannerTest::describe)
        .containsExactly(
            "0: s0 0-1000, s1 0-1000, s2 0-1000, s3 0-1000",
            "1: s4 0-1000, s5 0-1000, s6 0-1000, s7 0-1000",
            "2: s8 0-1000, s9 0-1000");
    // Spark's default 4 MiB open cost exceeds the split: one range per partition.
    assertThat(SplitPlanner.pack(ranges, PAGE, OPEN_COST)).hasSize(10);
    // 1000 bytes of open cost: 2000 + 2000 = 4000, then 4000 + 1000 > 4096.
    assertThat(SplitPlanner.pack(ranges, PAGE, 1000))
        .extracting(p -> p.ranges.size())
        .containsExactly(2, 2, 2, 2, 2);
  }

  @Test
  void packAgreesWithSparksNextFitDecreasingOnRandomInputs() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      List<FastqFile> files = new ArrayList<>();
      int n = 1 + random.nextInt(12);
      for (int i = 0; i < n; i++) {
        files.add(file(String.format(Locale.ROOT, "f%02d", i), random.nextInt(50_000)));
      }
      long maxSplit = (1 + random.nextInt(6)) * (long) PAGE;
      long openCost = random.nextBoolean() ? 0 : random.nextInt(10_000);
      List<FileRange> ranges = SplitPlanner.split(files, maxSplit);
      List<FastqInputPartition> actual = SplitPlanner.pack(ranges, maxSplit, openCost);
      List<List<FileRange>> expected = sparkNextFitDecreasing(ranges, maxSplit, openCost);
      assertThat(actual).hasSameSizeAs(expected);
      long covered = 0;
      for (int i = 0; i < actual.size(); i++) {
        FastqInputPartition p = actual.get(i);
        assertThat(p.index).isEqualTo(i);
        List<FileRange> want = new ArrayList<>(expected.get(i));
        want.sort(
            Comparator.<FileRange, String>comparing(r -> r.file.uri)
                .thenComparingLong(r -> r.start));
        assertThat(p.ranges).containsExactlyElementsOf(want);
        covered += p.ranges.size();
      }
      assertThat(covered).isEqualTo(ranges.size());
    }
  }

  /**
   * Spark's {@code FilePartition.getFilePartitions} after {@code FileSourceScanExec} sorts splits
   * by length, descending, transcribed:
   *
   * <pre>
   * partitionedFiles.foreach { file =>
   *   if (currentSize + file.length > maxSplitBytes) closePartition()
   *   currentSize += file.length + openCostInBytes
   *   currentFiles += file
   * }
   * </pre>
   */
  private static List<List<FileRange>> sparkNextFitDecreasing(
      List<FileRange> ranges, long maxSplitBytes, long openCostInBytes) {
    List<FileRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(FileRange::length).reversed());
    List<List<FileRange>> partitions = new ArrayList<>();
    List<FileRange> current = new ArrayList<>();
    long currentSize = 0;
    for (FileRange r : sorted) {
      if (currentSize + r.length() > maxSplitBytes) {
        if (!current.isEmpty()) {
          partitions.add(current);
        }
        current = new ArrayList<>();
        currentSize = 0;
      }
      currentSize += r.length() + openCostInBytes;
      current.add(r);
    }
    if (!current.isEmpty()) {
      partitions.add(current);
    }
    return partitions;
  }

  @Test
  void rangesOfOneFileKeepFileOrderAcrossPartitions() {
    FastqFile a = file("a", 5 * PAGE + 10);
    List<FastqInputPartition> partitions =
        SplitPlanner.pack(SplitPlanner.split(List.of(a), PAGE), PAGE, OPEN_COST);
    assertThat(partitions)
        .extracting(p -> p.ranges.get(0).start)
        .containsExactly(0L, 4096L, 8192L, 12_288L, 16_384L, 20_480L);
  }

  // ---- an even last wave --------------------------------------------------------------------

  private static List<FastqInputPartition> planAt(List<FastqFile> files, long split) {
    return SplitPlanner.pack(SplitPlanner.split(files, split), split, OPEN_COST);
  }

  @Test
  void aFileWhoseLastRangeIsShortIsCutIntoEqualRangesForTheCores() {
    // A 462,716,741-byte BGZF file at 128 MiB: 128, 128, 128 and 57 MiB, so on 2 cores one reads
    // 256 MiB and the other 185. Cut in 4 equal parts, rounded up to 2 MiB: 3 of 112 MiB, 105 MiB.
    List<FastqFile> files = List.of(file("a.fastq.bgz", 462_716_741));
    List<FastqInputPartition> spark = planAt(files, 128 * MIB);
    assertThat(spark).extracting(p -> p.ranges.get(0).length()).startsWith(128 * MIB).hasSize(4);
    long even = SplitPlanner.evenSplitBytes(spark, 128 * MIB, 2, PAGE);
    assertThat(even).isEqualTo(112 * MIB);
    List<FastqInputPartition> evened = planAt(files, even);
    assertThat(evened)
        .extracting(p -> p.ranges.get(0).length())
        .containsExactly(112 * MIB, 112 * MIB, 112 * MIB, 462_716_741 - 336 * MIB);
    // Two tasks per core either way; the evened plan ends when 224 MiB (+ 2 open costs) are read,
    // Spark's at 256 MiB (+ 2).
    assertThat(SplitPlanner.finishTime(evened, OPEN_COST, 2)).isEqualTo(232 * MIB);
    assertThat(SplitPlanner.finishTime(spark, OPEN_COST, 2)).isEqualTo(264 * MIB);
  }

  @Test
  void anEvenPlanIsLeftAsSparkCutsIt() {
    // 1 GiB at 128 MiB: 8 equal ranges, 4 per core on 2 cores (or 2 per core on 4).
    List<FastqFile> gib = List.of(file("a", 1L << 30));
    assertThat(SplitPlanner.evenSplitBytes(planAt(gib, 128 * MIB), 128 * MIB, 2, PAGE))
        .isEqualTo(128 * MIB);
    assertThat(SplitPlanner.evenSplitBytes(planAt(gib, 128 * MIB), 128 * MIB, 4, PAGE))
        .isEqualTo(128 * MIB);
    // One wave or less (Spark's bytes-per-core rule already sized it), or one core: unchanged.
    List<FastqFile> small = List.of(file("a", 300 * MIB));
    assertThat(SplitPlanner.evenSplitBytes(planAt(small, 128 * MIB), 128 * MIB, 4, PAGE))
        .isEqualTo(128 * MIB);
    assertThat(SplitPlanner.evenSplitBytes(planAt(small, 128 * MIB), 128 * MIB, 1, PAGE))
        .isEqualTo(128 * MIB);
  }

  @Test
  void anOddNumberOfRangesBecomesAFullLastWave() {
    // 300 MiB at 128 MiB on 2 cores: 128, 128, 44 (one core reads 172 MiB); 4 of 75 MiB end at
    // 150 MiB.
    List<FastqFile> files = List.of(file("a", 300 * MIB));
    List<FastqInputPartition> spark = planAt(files, 128 * MIB);
    long even = SplitPlanner.evenSplitBytes(spark, 128 * MIB, 2, PAGE);
    assertThat(even).isEqualTo(76 * MIB); // 75 MiB rounded up to 2 MiB
    List<FastqInputPartition> evened = planAt(files, even);
    assertThat(evened).hasSize(4);
    assertThat(SplitPlanner.finishTime(evened, 0, 2)).isEqualTo(152 * MIB);
    assertThat(SplitPlanner.finishTime(spark, 0, 2)).isEqualTo(172 * MIB);
  }

  @Test
  void smallSplitsAreRoundedUpToAPage() {
    // 10 ranges of 40,000 bytes in 3 waves of 4: 400,000 / 12 = 33,334, up to 9 pages.
    List<FastqFile> files = List.of(file("a", 400_000));
    List<FastqInputPartition> spark =
        SplitPlanner.pack(SplitPlanner.split(files, 40_960), 40_960, 0);
    assertThat(spark).hasSize(10);
    assertThat(SplitPlanner.evenSplitBytes(spark, 40_960, 4, PAGE)).isEqualTo(9L * PAGE);
  }

  @Test
  void filesOnBlockHostsKeepSparksCut() {
    // HDFS names the hosts of a block; a local file or an object store says "localhost" or nothing.
    assertThat(SplitPlanner.hasBlockHosts(List.of(file("a", 10), file("b", 10)))).isFalse();
    assertThat(
            SplitPlanner.hasBlockHosts(
                List.of(file("a", 10, block(0, 10, "localhost")), file("b", 10))))
        .isFalse();
    assertThat(
            SplitPlanner.hasBlockHosts(
                List.of(file("a", 10), file("b", 10, block(0, 10, "localhost", "dn2")))))
        .isTrue();
  }

  @Test
  void finishTimeTakesPartitionsInOrderOnTheNextFreeCore() {
    List<FastqFile> files = List.of(file("a", 10 * MIB), file("b", 6 * MIB), file("c", 5 * MIB));
    List<FastqInputPartition> partitions = planAt(files, 10 * MIB);
    // Largest first: a (10) on core 0, b (6) on core 1, c (5) on core 1 when it frees at 6.
    assertThat(SplitPlanner.finishTime(partitions, 0, 2)).isEqualTo(11 * MIB);
    assertThat(SplitPlanner.finishTime(partitions, 0, 1)).isEqualTo(21 * MIB);
    assertThat(SplitPlanner.finishTime(partitions, MIB, 3)).isEqualTo(11 * MIB);
  }

  // ---- preferred hosts ---------------------------------------------------------------------

  @Test
  void preferredHostsAreTheTopThreeByBytesWithoutLocalhost() {
    FastqFile f =
        file(
            "a",
            300,
            block(0, 100, "h1", "h2"),
            block(100, 100, "h2", "h3"),
            block(200, 100, "h4", "localhost"));
    // [50, 250): h1 50, h2 50 + 100 = 150, h3 100, h4 50 (ties by name), localhost excluded.
    assertThat(SplitPlanner.preferredHosts(List.of(new FileRange(f, 50, 250))))
        .containsExactly("h2", "h3", "h1");
    // [0, 100) touches only the first block.
    assertThat(SplitPlanner.preferredHosts(List.of(new FileRange(f, 0, 100))))
        .containsExactly("h1", "h2");
    // [200, 300): only localhost and h4.
    assertThat(SplitPlanner.preferredHosts(List.of(new FileRange(f, 200, 300))))
        .containsExactly("h4");
    // Only localhost, or no block information: no preference.
    FastqFile local = file("b", 100, block(0, 100, "localhost"));
    assertThat(SplitPlanner.preferredHosts(List.of(new FileRange(local, 0, 100)))).isEmpty();
    assertThat(SplitPlanner.preferredHosts(List.of(new FileRange(file("c", 100), 0, 100))))
        .isEmpty();
  }

  @Test
  void preferredHostsAddUpOverTheRangesOfAPartition() {
    FastqFile a = file("a", 1000, block(0, 1000, "h1", "h2"));
    FastqFile b = file("b", 3000, block(0, 3000, "h3"));
    FastqFile c = file("c", 1500, block(0, 1500, "h4", "h1"));
    List<FastqInputPartition> partitions =
        SplitPlanner.pack(SplitPlanner.split(List.of(a, b, c), PAGE), 2 * PAGE, 0);
    assertThat(partitions).hasSize(1);
    // h1 1000 + 1500, h3 3000, h4 1500, h2 1000.
    assertThat(partitions.get(0).preferredLocations()).containsExactly("h3", "h1", "h4");
  }

  private static String describe(FastqInputPartition p) {
    StringBuilder s = new StringBuilder().append(p.index).append(": ");
    for (int i = 0; i < p.ranges.size(); i++) {
      FileRange r = p.ranges.get(i);
      s.append(i == 0 ? "" : ", ")
          .append(r.file.uri.substring("file:/data/".length()))
          .append(' ')
          .append(r.start)
          .append('-')
          .append(r.end);
    }
    return s.toString();
  }
}
