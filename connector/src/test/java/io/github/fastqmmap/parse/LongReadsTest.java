/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nanopore-like long reads without Spark: lognormal lengths with several reads over 1 Mbp, records
 * hundreds of times larger than a window and than a range. Read as one-page ranges with small
 * windows (sampled deep inside the longest reads), every base is exact; {@code maxRecordBytes} is
 * the only bound, exactly at the longest record's length, and one byte less makes that record
 * malformed in every mode.
 */
class LongReadsTest {
  @TempDir static Path dir;

  private static FastqFileGenerator.Generated gen;
  private static Path file;
  private static long length;

  /** The longest record: index in the truth and its length in bytes. */
  private static int longestIndex;

  private static long longestBytes;

  @BeforeAll
  static void generate() throws IOException {
    gen =
        FastqFileGenerator.builder(2024)
            .records(120)
            .readLengths(0, 400_000)
            .lognormalLengths(8_000, 1.2)
            .longReads(0.05, 1_100_000)
            .qualityLinesStartingWith(0.3, 0.3)
            .trickyHeaders(true)
            .plusTitleFraction(0.3)
            .generate();
    file = gen.writeTo(dir.resolve("nanopore.fastq"));
    length = gen.bytes().length;
    List<Read> reads = gen.reads();
    for (int i = 0; i < reads.size(); i++) {
      long end = i + 1 < reads.size() ? reads.get(i + 1).offset() : length;
      if (end - reads.get(i).offset() > longestBytes) {
        longestBytes = end - reads.get(i).offset();
        longestIndex = i;
      }
    }
  }

  private static List<Item> readAsRanges(
      long rangeBytes, ParseOptions options, MappingOptions mapping, ParseCounters total)
      throws IOException {
    List<Long> starts = new ArrayList<>();
    for (long s = 0; s < length; s += rangeBytes) {
      starts.add(s);
    }
    return readAsRanges(starts, options, mapping, total);
  }

  /** Reads the file as the ranges that start at {@code starts} (ascending, from 0) and tile it. */
  private static List<Item> readAsRanges(
      List<Long> starts, ParseOptions options, MappingOptions mapping, ParseCounters total)
      throws IOException {
    List<Item> all = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long end = i + 1 < starts.size() ? starts.get(i + 1) : length;
      ParseCounters counters = new ParseCounters();
      try (RecordReader reader =
          FastqFiles.open(
              file, starts.get(i), end, options, mapping, counters, new MappingCounters())) {
        all.addAll(RecordReaderOutput.drain(reader));
      }
      total.add(counters);
    }
    return all;
  }

  /**
   * Starts of one-page ranges that tile the file, except deep inside records of over 64 pages:
   * there one-page ranges stay at the record's first and last four pages and at 16 pages spread
   * between, and the pages between those join into larger ranges. Every page of a megabase read as
   * a range of its own scanned a megabyte ahead each (half a minute for this file, quadratic in the
   * read's length), and such ranges all own nothing in the same way.
   */
  private static List<Long> onePageStartsSampledInsideLongRecords(int page) {
    List<Read> reads = gen.reads();
    List<Long> starts = new ArrayList<>();
    int r = 0;
    for (long s = 0; s < length; s += page) {
      while (r + 1 < reads.size() && reads.get(r + 1).offset() <= s) {
        r++;
      }
      long from = reads.get(r).offset();
      long to = r + 1 < reads.size() ? reads.get(r + 1).offset() : length;
      long pages = (to - from) / page;
      long in = (s - from) / page;
      if (pages <= 64 || in < 4 || (to - s) / page < 4 || in % Math.max(1, pages / 16) == 0) {
        starts.add(s);
      }
    }
    return starts;
  }

  @Test
  void theFileHasMegabaseReadsFarLargerThanAWindowOrARange() {
    long megabaseReads =
        gen.reads().stream().filter(r -> r.sequence().length() >= 1_000_000).count();
    assertThat(megabaseReads).isGreaterThanOrEqualTo(3);
    assertThat(longestBytes).isGreaterThan(2_200_000); // over 500 pages
    assertThat(gen.reads().stream().mapToInt(r -> r.sequence().length()).max().getAsInt())
        .isGreaterThanOrEqualTo(1_100_000);
  }

  @Test
  void onePageRangesWithSmallWindowsGiveEveryBaseExactly() throws IOException {
    int page = MappedFile.pageSize();
    MappingOptions mapping =
        MappingOptions.builder().windowBytes(16L * page).prefetchBytes(4L * page).build();
    ParseCounters total = new ParseCounters();
    List<Long> starts = onePageStartsSampledInsideLongRecords(page);
    assertThat(starts).as("ranges").hasSizeGreaterThan(6 * gen.reads().size());
    List<Item> items = readAsRanges(starts, ParseOptions.defaults(), mapping, total);
    assertThat(items).isEqualTo(gen.reads());
    assertThat(total.records).isEqualTo(gen.reads().size());
    assertThat(total.bases)
        .isEqualTo(gen.reads().stream().mapToLong(r -> r.sequence().length()).sum());
    assertThat(total.bytesParsed).isEqualTo(length);
    assertThat(total.maxRecordBytes).isEqualTo(longestBytes);
  }

  @Test
  void aRangeInsideAMegabaseReadMapsFewWindows() throws IOException {
    // A one-page range in the middle of the longest read: its reader scans past its end (and the
    // 64 KiB overhang) to the next record start, over a megabyte away. That must take a few
    // growing windows, not one mapping per byte.
    int page = MappedFile.pageSize();
    Read longest = gen.reads().get(longestIndex);
    long start = MappedFile.pageSize() * ((longest.offset() + longestBytes / 4) / page);
    long nextStart = longest.offset() + longestBytes;
    MappingOptions mapping =
        MappingOptions.builder().windowBytes(16L * page).prefetchBytes(4L * page).build();
    MappingCounters mc = new MappingCounters();
    ParseCounters pc = new ParseCounters();
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          try (RecordReader reader =
              FastqFiles.open(
                  file, start, start + page, ParseOptions.defaults(), mapping, pc, mc)) {
            assertThat(reader.next()).isFalse();
          }
        });
    System.out.printf(
        "range inside a %d-byte record: %d windows, %d bytes mapped to reach %d bytes ahead%n",
        longestBytes, mc.windowsMapped, mc.bytesMapped, nextStart - start);
    assertThat(pc.bytesSkipped).isEqualTo(page); // owns nothing: no record starts in it
    // Probing a quality line that starts with '@' as a record start maps up to twice the record.
    assertThat(mc.bytesMapped).isBetween(nextStart - start, 16 * longestBytes);
    assertThat(mc.windowsMapped).isLessThan(100);
  }

  @Test
  void extremeWindowSizesReadTheSame() throws IOException {
    // windowBytes accepts 1 byte to 1 TiB: neither extreme makes mapping fail or crawl, since
    // windows are bounded by the range and the file and grow to hold a record.
    for (long window : new long[] {1, 1L << 40}) {
      MappingOptions mapping = MappingOptions.builder().windowBytes(window).build();
      ParseCounters total = new ParseCounters();
      assertThat(readAsRanges(length, ParseOptions.defaults(), mapping, total))
          .as("windowBytes %d", window)
          .isEqualTo(gen.reads());
      assertThat(readAsRanges(1 << 20, ParseOptions.defaults(), mapping, total))
          .as("windowBytes %d, 1 MiB ranges", window)
          .isEqualTo(gen.reads());
    }
  }

  @Test
  void maxRecordBytesIsTheOnlyBound() throws IOException {
    MappingOptions mapping = MappingOptions.builder().windowBytes(64 << 10).build();
    ParseOptions exact = ParseOptions.builder().maxRecordBytes(longestBytes).build();
    ParseCounters total = new ParseCounters();
    assertThat(readAsRanges(length, exact, mapping, total)).isEqualTo(gen.reads());
    assertThat(total.maxRecordBytes).isEqualTo(longestBytes);

    Read longest = gen.reads().get(longestIndex);
    ParseOptions tooSmall = ParseOptions.builder().maxRecordBytes(longestBytes - 1).build();
    assertThatThrownBy(() -> readAsRanges(length, tooSmall, mapping, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageStartingWith(
            "Malformed FASTQ record in " + file + " at byte offset " + longest.offset() + ": ")
        .hasMessageContaining(
            "the record is longer than maxRecordBytes ("
                + (longestBytes - 1)
                + " bytes); raise maxRecordBytes");

    List<Item> allButLongest = new ArrayList<>(gen.reads());
    allButLongest.remove(longestIndex);
    for (long rangeBytes : new long[] {length, 64 << 10}) {
      ParseCounters drop = new ParseCounters();
      assertThat(
              readAsRanges(rangeBytes, tooSmall.withMode(ParseMode.DROPMALFORMED), mapping, drop))
          .as("DROPMALFORMED, ranges of %d", rangeBytes)
          .isEqualTo(allButLongest);
      assertThat(drop.droppedRecords).isEqualTo(1);
      assertThat(drop.malformedRecords).isEqualTo(1);

      List<Item> permissive = new ArrayList<>(gen.reads());
      permissive.set(
          longestIndex, new Malformed(longest.offset(), longest.offset() + longestBytes));
      assertThat(readAsRanges(rangeBytes, tooSmall.withMode(ParseMode.PERMISSIVE), mapping, drop))
          .as("PERMISSIVE, ranges of %d", rangeBytes)
          .isEqualTo(permissive);
    }
  }
}
