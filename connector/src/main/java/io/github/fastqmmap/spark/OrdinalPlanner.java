/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.WindowRead;
import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.OrdinalIndex;
import io.github.fastqmmap.open.PairAnchors;
import io.github.fastqmmap.open.PairReader;
import io.github.fastqmmap.open.RangeCounter;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.stream.Compression;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The counting pass: when {@code _ordinal} or pairs are asked for, a Spark job (or, under a local
 * master, the driver's threads) counts the records of every planned range (the {@code count()}
 * scan's work: parse and check, build nothing) and notes sparse reopening points. From the counts
 * every range learns its first record's ordinal, and a range of an R1 file learns where the same
 * ordinals lie in its R2 file, so each task reads the same mates of both files and no shuffle is
 * needed.
 */
final class OrdinalPlanner {
  private static final System.Logger LOG = System.getLogger(OrdinalPlanner.class.getName());

  /** Where the pass counts: {@code auto} (the default), {@code driver} or {@code job}. */
  static final String WHERE = "spark.fastqmmap.countingPass";

  /** The Spark job's description (the UI's), followed by the count of its ranges. */
  static final String JOB_DESCRIPTION = "fastq-mmap counting pass: ";

  /** A reopening point every this many records: a task skips fewer than this many records. */
  static final int STRIDE = 512;

  private OrdinalPlanner() {}

  /**
   * The partitions with ordinals or pair spans, and what the counting pass did: {@code
   * reusedRanges} of the {@code ranges} had their counts from an earlier query ({@link
   * CountCache}); the counted ones read {@code windowsMapped} mapped and {@code windowsCopied}
   * copied windows of local files.
   */
  record Outcome(
      List<FastqInputPartition> partitions,
      long records,
      int ranges,
      int reusedRanges,
      long windowsMapped,
      long windowsCopied,
      long nanos,
      int alignedPairs,
      int alignedStarts) {}

  /**
   * A pair of files aligned by names: R2's stretch of R1's range starting at {@code starts1[k]}
   * starts at {@code starts2[k]}; {@code meanRecordBytes} was seen while aligning (0: none).
   */
  record Aligned(long[] starts1, long[] starts2, long meanRecordBytes) {}

  /** One range's count, as the job returns it, with how its windows were read. */
  record Counted(
      String uri, long start, RangeCounter.Result result, long windowsMapped, long windowsCopied)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What a pass did besides counting, summed over its ranges (see {@link Outcome}). */
  static final class Tally {
    int reusedRanges;
    long windowsMapped;
    long windowsCopied;
  }

  /**
   * The system property that sets how the pass reads windows, to measure ({@link #passMapping}).
   */
  static final String PASS_WINDOW_READ = "fastqmmap.countingPassWindowRead";

  /**
   * How the pass reads a local file's windows under {@code windowRead=auto}: copied with {@code
   * pread}. The pass reads each window once and keeps none of it, and finds lines in the sequences
   * only, stepping over the qualities; on the AMD EPYC host (2026-12-06, 1 GiB of 1-20 kb reads,
   * read-ahead layout, one thread) that took 0.21 s over mapped windows and 0.11 s over copied
   * ones, and mapped windows of a file just written or copied cost several times a copy on every
   * host (README: Page-cache state). {@code -Dfastqmmap.countingPassWindowRead=auto} in the JVM
   * that counts probes as before ({@code map} maps every window), to measure. An explicit {@code
   * windowRead} is kept.
   */
  static MappingOptions passMapping(MappingOptions mapping) {
    if (mapping.windowRead() != WindowRead.AUTO) {
      return mapping;
    }
    String how = System.getProperty(PASS_WINDOW_READ, "copy");
    WindowRead read;
    try {
      read = WindowRead.valueOf(how.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "-D" + PASS_WINDOW_READ + " is '" + how + "': use auto, map or copy", e);
    }
    return mapping.toBuilder().windowRead(read).build();
  }

  /**
   * Counts {@code ranges} (the scan's ranges, plus the R2 files' ranges for pairs) and gives the
   * partitions their ordinals, or their pair spans when {@code pairs} is not null (two files) or
   * {@code interleaved}.
   */
  static Outcome plan(
      SparkSession session,
      FastqOptions options,
      Configuration hadoopConf,
      List<FastqInputPartition> partitions,
      List<FileRange> otherRanges,
      List<FilePairs.Pair> pairs,
      boolean byNames) {
    long t0 = System.nanoTime();
    Map<String, Aligned> aligned =
        byNames && pairs != null
            ? align(
                options, hadoopConf, partitions, pairs, session.sparkContext().defaultParallelism())
            : Map.of();
    Set<String> alignedFiles = new HashSet<>();
    if (pairs != null) {
      for (FilePairs.Pair pair : pairs) {
        if (aligned.containsKey(pair.first().uri)) {
          alignedFiles.add(pair.first().uri);
          alignedFiles.add(pair.second().uri);
        }
      }
    }
    List<FileRange> all = new ArrayList<>();
    for (FastqInputPartition p : partitions) {
      for (FileRange r : p.ranges) {
        if (!alignedFiles.contains(r.file.uri)) {
          all.add(r);
        }
      }
    }
    for (FileRange r : otherRanges) {
      if (!alignedFiles.contains(r.file.uri)) {
        all.add(r);
      }
    }
    Map<String, String> failures = new LinkedHashMap<>();
    // Fast: in FAILFAST mode the pass only finds records (a malformed one fails the read anyway).
    // (-Dfastqmmap.exactCountingPass=true in the driver turns it off, to measure what it saves.)
    boolean fast = !Boolean.getBoolean("fastqmmap.exactCountingPass");
    Tally tally = new Tally();
    Map<String, OrdinalIndex> indexes =
        count(session, options, hadoopConf, all, failures, fast, tally);
    if (fast && countsDisagree(indexes, pairs, options)) {
      // A fast count may be off where a record is malformed: count exactly, so that the user sees
      // the malformed record's error, or else the counts that truly differ.
      failures.clear();
      tally = new Tally();
      indexes = count(session, options, hadoopConf, all, failures, false, tally);
    }
    // Where each span's records end, so that its readers' windows stop there: without it the
    // last window of R1 and of R2 in every task mapped or copied a whole window (16 MiB by default)
    // past the span. (-Dfastqmmap.pairWindowEnds=false in the driver turns it off, to measure.)
    boolean windowEnds = !"false".equals(System.getProperty("fastqmmap.pairWindowEnds"));
    List<FastqInputPartition> planned = new ArrayList<>();
    // Files (R1 or interleaved) whose pairs are skipped: a damaged mate cannot be skipped alone
    // (the other file's later records would pair with the wrong mates), so its pair goes whole.
    Set<String> skipped = new HashSet<>();
    if (pairs != null) {
      Map<String, FastqFile> mates = new HashMap<>();
      for (FilePairs.Pair pair : pairs) {
        mates.put(pair.first().uri, pair.second());
        if (aligned.containsKey(pair.first().uri)) {
          continue; // its tasks check the counts
        }
        String damaged =
            failures.containsKey(pair.first().uri) ? pair.first().uri : pair.second().uri;
        if (failures.containsKey(damaged)) {
          skipped.add(pair.first().uri);
          LOG.log(
              Level.WARNING,
              "fastq-mmap: skipping the pair "
                  + pair.first().uri
                  + " and "
                  + pair.second().uri
                  + " (ignoreCorruptFiles=true): counting "
                  + damaged
                  + " failed: "
                  + failures.get(damaged));
          continue;
        }
        OrdinalIndex i1 = indexes.get(pair.first().uri);
        OrdinalIndex i2 = indexes.get(pair.second().uri);
        if (i1.records() != i2.records()) {
          throw new IllegalStateException(
              PairReader.differentCounts(
                      pair.first().input,
                      i1.records(),
                      i1.lastOffset(),
                      pair.second().input,
                      i2.records(),
                      i2.lastOffset())
                  .getMessage());
        }
      }
      for (FastqInputPartition p : partitions) {
        List<PairSpan> spans = new ArrayList<>();
        for (FileRange r : p.ranges) {
          FastqFile mate = mates.get(r.file.uri);
          if (skipped.contains(r.file.uri)) {
            spans.add(PairSpan.none(r, mate));
            continue;
          }
          Aligned a = aligned.get(r.file.uri);
          if (a != null) {
            int k = Arrays.binarySearch(a.starts1(), r.start);
            long end2 = k + 1 < a.starts2().length ? a.starts2()[k + 1] : Long.MAX_VALUE;
            long mean = a.meanRecordBytes();
            spans.add(
                PairSpan.aligned(r, mate, a.starts2()[k], end2, mean > 0 ? r.length() / mean : 0));
            continue;
          }
          OrdinalIndex i1 = indexes.get(r.file.uri);
          OrdinalIndex i2 = indexes.get(mate.uri);
          long from = i1.firstOrdinalOfRange(r.start);
          long to = from + i1.recordsOfRange(r.start);
          spans.add(
              new PairSpan(
                  r.file,
                  mate,
                  new OrdinalIndex.Entry(from, r.start, -1),
                  i2.entryFor(from),
                  i2.rangeEntryFor(from),
                  from,
                  to,
                  from,
                  windowEnds ? i1.positionAfter(to) : -1,
                  windowEnds ? i2.positionAfter(to) : -1,
                  Long.MAX_VALUE,
                  Long.MAX_VALUE,
                  to - from,
                  false));
        }
        planned.add(p.withPairs(spans));
      }
    } else if (options.interleaved()) {
      Map<String, InputFile> inputs = new HashMap<>();
      for (FileRange r : all) {
        inputs.put(r.file.uri, r.file.input);
      }
      for (Map.Entry<String, OrdinalIndex> e : indexes.entrySet()) {
        if (failures.containsKey(e.getKey())) {
          skipped.add(e.getKey());
          LOG.log(
              Level.WARNING,
              "fastq-mmap: skipping interleaved file "
                  + e.getKey()
                  + " (ignoreCorruptFiles=true): counting it failed: "
                  + failures.get(e.getKey()));
        } else if (e.getValue().records() % 2 != 0) {
          OrdinalIndex index = e.getValue();
          throw new IllegalStateException(
              PairReader.oddCount(
                      e.getKey(),
                      PairReader.offsetLabel(inputs.get(e.getKey())),
                      index.records() - 1,
                      index.lastOffset())
                  .getMessage());
        }
      }
      for (FastqInputPartition p : partitions) {
        List<PairSpan> spans = new ArrayList<>();
        for (FileRange r : p.ranges) {
          if (skipped.contains(r.file.uri)) {
            spans.add(PairSpan.none(r, null));
            continue;
          }
          OrdinalIndex i = indexes.get(r.file.uri);
          long first = i.firstOrdinalOfRange(r.start);
          long end = first + i.recordsOfRange(r.start);
          // A range owns the pairs whose first mate (an even ordinal) lies in it.
          long from = first + (first & 1);
          long to = end + (end & 1);
          OrdinalIndex.Entry entry = new OrdinalIndex.Entry(first, r.start, -1);
          long until = Math.max(from, to);
          spans.add(
              new PairSpan(
                  r.file,
                  null,
                  entry,
                  null,
                  null,
                  from,
                  until,
                  from / 2,
                  windowEnds ? i.positionAfter(until) : -1,
                  -1,
                  Long.MAX_VALUE,
                  Long.MAX_VALUE,
                  until - from,
                  false));
        }
        planned.add(p.withPairs(spans));
      }
    } else {
      for (FastqInputPartition p : partitions) {
        long[] firsts = new long[p.ranges.size()];
        for (int i = 0; i < firsts.length; i++) {
          FileRange r = p.ranges.get(i);
          firsts[i] = indexes.get(r.file.uri).firstOrdinalOfRange(r.start);
        }
        planned.add(p.withOrdinals(firsts));
      }
    }
    return new Outcome(
        planned,
        countedRecords(indexes),
        all.size(),
        tally.reusedRanges,
        tally.windowsMapped,
        tally.windowsCopied,
        System.nanoTime() - t0,
        aligned.size(),
        alignedStarts(aligned));
  }

  private static int alignedStarts(Map<String, Aligned> aligned) {
    int n = 0;
    for (Aligned a : aligned.values()) {
      n += a.starts1().length - 1;
    }
    return n;
  }

  /**
   * Aligns the pairs whose ranges can be aligned by the mates' names ({@link PairAnchors}), in the
   * driver's threads: a pair whose R1 is one range needs nothing found (its task reads both files
   * whole); one cut into several ranges needs plain files (a compressed one is counted). Keyed by
   * R1's URI; a pair left out is counted. The range starts are aligned in a pool of {@code threads}
   * (the default parallelism: under a local master the cores).
   */
  private static Map<String, Aligned> align(
      FastqOptions options,
      Configuration hadoopConf,
      List<FastqInputPartition> partitions,
      List<FilePairs.Pair> pairs,
      int threads) {
    Map<String, List<Long>> starts = new HashMap<>();
    for (FastqInputPartition p : partitions) {
      for (FileRange r : p.ranges) {
        starts.computeIfAbsent(r.file.uri, k -> new ArrayList<>()).add(r.start);
      }
    }
    List<FilePairs.Pair> candidates = new ArrayList<>();
    for (FilePairs.Pair pair : pairs) {
      List<Long> s = starts.get(pair.first().uri);
      if (s != null
          && (s.size() == 1
              || (pair.first().compression == Compression.NONE
                  && pair.second().compression == Compression.NONE))) {
        candidates.add(pair);
      }
    }
    // Every range start of every pair is one call, so that the driver's cores share them (a
    // single R1 range samples its first bytes instead).
    List<long[]> items = new ArrayList<>(); // {candidate, k}
    List<long[]> starts1 = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      long[] s = starts.get(candidates.get(i).first().uri).stream().mapToLong(x -> x).toArray();
      Arrays.sort(s);
      starts1.add(s);
      for (int k = s.length == 1 ? 0 : 1; k < s.length; k++) {
        items.add(new long[] {i, k});
      }
    }
    List<PairAnchors.Anchor> anchors;
    try {
      anchors =
          new PlanningPool(0, threads)
              .map(
                  items,
                  item -> {
                    FilePairs.Pair pair = candidates.get((int) item[0]);
                    RangeOpener opener =
                        new RangeOpener(
                            new HadoopStorage(() -> hadoopConf),
                            options.parse(),
                            options.mapping(),
                            new MappingCounters());
                    long[] s = starts1.get((int) item[0]);
                    return s.length == 1
                        ? PairAnchors.sample(opener, pair.first().input, options.parse())
                        : PairAnchors.anchor(
                            opener,
                            pair.first().input,
                            pair.second().input,
                            s[(int) item[1]],
                            options.parse());
                  });
    } catch (IOException e) {
      // A file that cannot be read now: the counting pass reports it as it reports any.
      return Map.of();
    }
    Map<String, Aligned> aligned = new HashMap<>();
    int at = 0;
    for (int i = 0; i < candidates.size(); i++) {
      long[] s = starts1.get(i);
      int n = Math.max(1, s.length - 1);
      PairAnchors.Result r = PairAnchors.combine(s, anchors.subList(at, at + n));
      at += n;
      if (r != null) {
        aligned.put(
            candidates.get(i).first().uri, new Aligned(s, r.starts2(), r.meanRecordBytes()));
      }
    }
    return aligned;
  }

  /** Whether any pair's counts differ, or an interleaved file's count is odd. */
  private static boolean countsDisagree(
      Map<String, OrdinalIndex> indexes, List<FilePairs.Pair> pairs, FastqOptions options) {
    if (pairs != null) {
      for (FilePairs.Pair pair : pairs) {
        OrdinalIndex i1 = indexes.get(pair.first().uri);
        OrdinalIndex i2 = indexes.get(pair.second().uri);
        if (i1 != null && i2 != null && i1.records() != i2.records()) {
          return true;
        }
      }
    } else if (options.interleaved()) {
      for (OrdinalIndex i : indexes.values()) {
        if (i.records() % 2 != 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static long countedRecords(Map<String, OrdinalIndex> indexes) {
    long n = 0;
    for (OrdinalIndex i : indexes.values()) {
      n += i.records();
    }
    return n;
  }

  /**
   * Runs the counting job over {@code ranges} and builds each file's index. With {@code
   * ignoreCorruptFiles} a range whose count met an error counts the records before it (the records
   * a read of the range returns before it skips the rest), and its file's first such error is put
   * in {@code failures}. Ranges counted alike by an earlier query are taken from {@link CountCache}
   * (unless {@link CountCache#CONF} is false); {@code tally} says how many, and how the counted
   * ranges' windows were read.
   */
  static Map<String, OrdinalIndex> count(
      SparkSession session,
      FastqOptions options,
      Configuration hadoopConf,
      List<FileRange> ranges,
      Map<String, String> failures,
      boolean fast,
      Tally tally) {
    Map<String, List<OrdinalIndex.CountedRange>> byFile = new LinkedHashMap<>();
    for (FileRange r : ranges) {
      byFile.computeIfAbsent(r.file.uri, k -> new ArrayList<>()); // files in the ranges' order
    }
    boolean cache = !"false".equalsIgnoreCase(session.conf().get(CountCache.CONF, "true"));
    // How a range is counted: what changes its count or its entries.
    String how =
        options.parse()
            + ", pairs="
            + options.pairs()
            + ", tolerant="
            + options.ignoreCorruptFiles()
            + ", fast="
            + fast
            + ", stride="
            + STRIDE;
    List<FileRange> toCount = new ArrayList<>();
    for (FileRange r : ranges) {
      RangeCounter.Result known = cache ? CountCache.get(CountCache.key(r, how)) : null;
      if (known != null) {
        byFile.get(r.file.uri).add(new OrdinalIndex.CountedRange(r.start, known));
        tally.reusedRanges++;
      } else {
        toCount.add(r);
      }
    }
    if (!toCount.isEmpty()) {
      long started = System.currentTimeMillis();
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
      List<Counted> counted;
      if (inDriver(session, weighedBytes(toCount), jsc.defaultParallelism())) {
        counted =
            countInDriver(
                toCount, jsc.defaultParallelism(), new CountRange(options, hadoopConf, fast));
      } else {
        boolean needsConf = toCount.stream().anyMatch(r -> r.file.needsHadoopConf());
        Broadcast<SerializableConfiguration> conf =
            needsConf ? jsc.broadcast(new SerializableConfiguration(hadoopConf)) : null;
        int slices = Math.max(1, Math.min(toCount.size(), jsc.defaultParallelism() * 4));
        jsc.setJobDescription(JOB_DESCRIPTION + toCount.size() + " ranges");
        CountRange counter = new CountRange(options, conf, fast);
        try {
          if (Boolean.parseBoolean(System.getProperty("fastqmmap.balancedCountingPass", "true"))) {
            counted = countBalanced(jsc, toCount, slices, counter);
          } else {
            counted = jsc.parallelize(toCount, slices).map(counter).collect();
          }
        } finally {
          jsc.setJobDescription(null);
          if (conf != null) {
            conf.destroy();
          }
        }
      }
      for (int i = 0; i < counted.size(); i++) {
        Counted c = counted.get(i);
        String failure = c.result().failure();
        if (failure != null && !failures.containsKey(c.uri())) {
          failures.put(c.uri(), failure);
          LOG.log(
              Level.WARNING,
              "fastq-mmap: counting pass: the rest of "
                  + c.uri()
                  + " from range start "
                  + c.start()
                  + " is skipped (ignoreCorruptFiles=true): "
                  + failure);
        }
        if (cache) {
          CountCache.put(CountCache.key(toCount.get(i), how), c.result(), started);
        }
        tally.windowsMapped += c.windowsMapped();
        tally.windowsCopied += c.windowsCopied();
        byFile.get(c.uri()).add(new OrdinalIndex.CountedRange(c.start(), c.result()));
      }
    }
    Map<String, OrdinalIndex> indexes = new LinkedHashMap<>();
    byFile.forEach((uri, counts) -> indexes.put(uri, OrdinalIndex.of(uri, counts)));
    return indexes;
  }

  /**
   * Counts {@code ranges} in {@code slices} tasks of about equal bytes, and gives the counts in the
   * ranges' order. R2's ranges are cut at the split size and R1's at its share of it, so slices of
   * consecutive ranges differed up to threefold and a core idled while the last ran: each range,
   * largest first, goes to the slice with the fewest bytes so far.
   * (-Dfastqmmap.balancedCountingPass=false in the driver keeps consecutive slices, to measure.)
   */
  private static List<Counted> countBalanced(
      JavaSparkContext jsc, List<FileRange> ranges, int slices, CountRange counter) {
    Integer[] bySize = largestFirst(ranges);
    List<List<Integer>> groups = new ArrayList<>();
    long[] bytes = new long[slices];
    for (int i = 0; i < slices; i++) {
      groups.add(new ArrayList<>());
    }
    for (int i : bySize) {
      int least = 0;
      for (int g = 1; g < slices; g++) {
        if (bytes[g] < bytes[least]) {
          least = g;
        }
      }
      groups.get(least).add(i);
      bytes[least] += Math.max(1, ranges.get(i).length());
    }
    // Each slice in the ranges' order, the slices by their first range: the file's earlier ranges
    // are still counted first, so an error (FAILFAST) still tends to name the earliest one.
    for (List<Integer> g : groups) {
      g.sort(null);
    }
    groups.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
    List<List<FileRange>> work = new ArrayList<>();
    for (List<Integer> g : groups) {
      List<FileRange> slice = new ArrayList<>();
      for (int i : g) {
        slice.add(ranges.get(i));
      }
      work.add(slice);
    }
    List<List<Counted>> done =
        jsc.parallelize(work, work.size()).map(new CountRanges(counter)).collect();
    Counted[] inOrder = new Counted[ranges.size()];
    for (int g = 0; g < groups.size(); g++) {
      for (int j = 0; j < groups.get(g).size(); j++) {
        inOrder[groups.get(g).get(j)] = done.get(g).get(j);
      }
    }
    return Arrays.asList(inOrder);
  }

  /** The indexes of {@code ranges}, the longest range first. */
  private static Integer[] largestFirst(List<FileRange> ranges) {
    Integer[] bySize = new Integer[ranges.size()];
    for (int i = 0; i < bySize.length; i++) {
      bySize[i] = i;
    }
    Arrays.sort(bySize, (a, b) -> Long.compare(ranges.get(b).length(), ranges.get(a).length()));
    return bySize;
  }

  /**
   * Under {@code auto}, the most bytes per core the driver's threads count: beyond it a Spark job
   * counts. A pass of seconds is better a job (its tasks show in the UI and Spark cancels them with
   * the query's job group); below that, a job's scheduling (35 to 60 ms) is what the user notices.
   * At 3.9 to 5.3 GB/s per core (short reads; long reads about twice that; measured on two hosts),
   * 1 GiB is at most about 0.25 s of counting, of which a job's scheduling would be a fifth or
   * more.
   */
  static final long DRIVER_MAX_BYTES_PER_CORE = 1L << 30;

  /**
   * A compressed byte weighs this many plain bytes against {@link #DRIVER_MAX_BYTES_PER_CORE}:
   * counting inflates it first, which took 14 to 16 times as long per byte here (gzip and BGZF at
   * 0.28 to 0.32 GB/s of compressed bytes per thread with ISA-L, plain files at 3.9 to 4.7 GB/s).
   */
  static final int COMPRESSED_WEIGHT = 16;

  /** The bytes of {@code ranges}, a compressed byte as {@link #COMPRESSED_WEIGHT} plain ones. */
  static long weighedBytes(List<FileRange> ranges) {
    long bytes = 0;
    for (FileRange r : ranges) {
      Compression c = r.file.compression; // null: not inspected yet, taken as plain
      bytes += r.length() * (c == null || c == Compression.NONE ? 1 : COMPRESSED_WEIGHT);
    }
    return bytes;
  }

  /**
   * Whether the pass counts {@code bytes} in the driver's threads rather than in a Spark job:
   * {@link #WHERE} is {@code driver}, or {@code auto} (the default) under a local master, where the
   * driver is the executor and a job would only add its scheduling (measured: about 35 ms of a 0.15
   * s pass over 400 MiB on two cores), for a short pass ({@link #DRIVER_MAX_BYTES_PER_CORE}).
   */
  static boolean inDriver(SparkSession session, long bytes, int cores) {
    return inDriver(
        session.conf().get(WHERE, "auto"), session.sparkContext().isLocal(), bytes, cores);
  }

  /** The rule of {@link #inDriver(SparkSession, long, int)}, for {@link #WHERE}'s value. */
  static boolean inDriver(String value, boolean localMaster, long bytes, int cores) {
    String where = value.trim().toLowerCase(Locale.ROOT);
    return switch (where) {
      case "auto" -> localMaster && bytes <= DRIVER_MAX_BYTES_PER_CORE * Math.max(1, cores);
      case "driver" -> true;
      case "job" -> false;
      default ->
          throw new IllegalArgumentException(
              WHERE + " is '" + where + "': use auto, driver or job (see the README's options).");
    };
  }

  /**
   * Counts {@code ranges} in a pool of {@code threads} driver threads, largest range first (each
   * thread takes the next when it is done, so the threads end together), and gives the counts in
   * the ranges' order. An error is the one of the earliest range, in the pool's order, that failed.
   */
  private static List<Counted> countInDriver(
      List<FileRange> ranges, int threads, CountRange counter) {
    Integer[] bySize = largestFirst(ranges);
    List<Counted> done;
    try {
      done =
          new PlanningPool(0, threads).map(Arrays.asList(bySize), i -> counter.call(ranges.get(i)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Counted[] inOrder = new Counted[ranges.size()];
    for (int j = 0; j < bySize.length; j++) {
      inOrder[bySize[j]] = done.get(j);
    }
    return Arrays.asList(inOrder);
  }

  /** Counts one slice of ranges on an executor. */
  private static final class CountRanges implements Function<List<FileRange>, List<Counted>> {
    private static final long serialVersionUID = 1L;
    private final CountRange counter;

    CountRanges(CountRange counter) {
      this.counter = counter;
    }

    @Override
    public List<Counted> call(List<FileRange> ranges) throws IOException {
      List<Counted> out = new ArrayList<>(ranges.size());
      for (FileRange r : ranges) {
        out.add(counter.call(r));
      }
      return out;
    }
  }

  /** Counts one range on an executor. */
  private static final class CountRange implements Function<FileRange, Counted> {
    private static final long serialVersionUID = 1L;
    private final FastqOptions options;
    private final Broadcast<SerializableConfiguration> conf;
    private final transient Configuration driverConf;
    private final boolean fast;

    /** A counter shipped to executors, with the Hadoop configuration broadcast when needed. */
    CountRange(FastqOptions options, Broadcast<SerializableConfiguration> conf, boolean fast) {
      this.options = options;
      this.conf = conf;
      this.driverConf = null;
      this.fast = fast;
    }

    /** A counter for the driver's threads, with the query's Hadoop configuration. */
    CountRange(FastqOptions options, Configuration driverConf, boolean fast) {
      this.options = options;
      this.conf = null;
      this.driverConf = driverConf;
      this.fast = fast;
    }

    @Override
    public Counted call(FileRange range) throws IOException {
      HadoopStorage storage =
          new HadoopStorage(
              () -> driverConf != null ? driverConf : conf == null ? null : conf.value().value());
      MappingCounters windows = new MappingCounters();
      RangeOpener opener =
          new RangeOpener(storage, options.parse(), passMapping(options.mapping()), windows);
      try {
        RangeCounter.Result result =
            RangeCounter.count(
                opener,
                range.file.input,
                range.start,
                range.end,
                options.parse(),
                new ParseCounters(),
                STRIDE,
                options.pairs(),
                options.ignoreCorruptFiles(),
                fast);
        return new Counted(
            range.file.uri, range.start, result, windows.windowsMapped, windows.windowsCopied);
      } catch (NoSuchFileException | FileNotFoundException e) {
        if (options.ignoreMissingFiles()) {
          return new Counted(
              range.file.uri,
              range.start,
              RangeCounter.Result.empty("missing (ignoreMissingFiles=true)"),
              0,
              0);
        }
        throw new UncheckedIOException(
            "File not found: "
                + range.file.uri
                + ". It existed when the query was planned; it may have been deleted since."
                + " Set ignoreMissingFiles=true to skip missing files.",
            e);
      }
    }
  }
}
