/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * FastQC's modules per sample, computed by Spark over the bytes the scan returns (the internal rows
 * of {@code _file, _offset, name, comment, sequence, quality}; no per-read Java objects):
 *
 * <ol>
 *   <li>one pass for {@link FastqcStats}, one per partition and sample, merged in file order;
 *   <li>one pass for duplication: each read's (cut) sequence as a 128-bit hash, counted within the
 *       partition, then per sample and hash (fixed-size rows through the shuffle), keeping the
 *       100,000 hashes that occur first;
 *   <li>for samples with more distinct sequences, a count of the reads up to the 100,000th's first
 *       occurrence; and, when some sequence is overrepresented, a pass that picks up its text.
 * </ol>
 *
 * A sample is an input file, or all inputs with {@code merge} (then ordered by file URI).
 */
public final class FastqcJob {
  /** The merged sample's name. */
  public static final String MERGED = "merged";

  private FastqcJob() {}

  /** One sample's results. */
  public static final class Sample {
    public final String sample;
    public final FastqcStats stats;
    public final FastqcDuplication duplication;

    Sample(String sample, FastqcStats stats, FastqcDuplication duplication) {
      this.sample = sample;
      this.stats = stats;
      this.duplication = duplication;
    }

    /** The file name FastQC would report ("merged" for the merged sample). */
    public String fileName() {
      int slash = sample.lastIndexOf('/');
      return slash >= 0 ? sample.substring(slash + 1) : sample;
    }
  }

  /** Runs the passes; samples in file-URI order. */
  public static List<Sample> run(
      SparkSession spark,
      List<String> paths,
      Map<String, String> options,
      boolean merge,
      FastqcConfig cfg) {
    Dataset<Row> reads =
        spark
            .read()
            .format("fastq-mmap")
            .options(options)
            .load(paths.toArray(new String[0]))
            .select("_file", "_offset", "name", "comment", "sequence", "quality");
    JavaRDD<InternalRow> rows = reads.queryExecution().toRdd().toJavaRDD();

    // Pass 1: the counts.
    long t0 = System.nanoTime();
    byte[][] adapters = cfg.adapters;
    List<FastqcStats> segments = rows.mapPartitions(it -> statsOf(it, merge, adapters)).collect();
    Map<String, List<FastqcStats>> bySample = new TreeMap<>();
    for (FastqcStats s : segments) {
      bySample.computeIfAbsent(s.sample, k -> new ArrayList<>()).add(s);
    }
    Map<String, FastqcStats> stats = new LinkedHashMap<>();
    bySample.forEach(
        (sample, parts) -> {
          parts.sort(
              Comparator.comparing((FastqcStats p) -> p.firstFile)
                  .thenComparingLong(p -> p.firstOffset));
          FastqcStats merged = parts.get(0).startSample();
          for (int i = 1; i < parts.size(); i++) {
            merged.append(parts.get(i));
          }
          stats.put(sample, merged);
        });

    long t1 = System.nanoTime();
    // The first 100,000 distinct sequences of each sample, from the segments' own first ones.
    HashMap<String, Tracked> tracked = new HashMap<>();
    bySample.forEach((sample, parts) -> tracked.put(sample, Tracked.of(parts)));

    // Pass 2: counts of the tracked sequences over all reads, and the reads up to the cut-off.
    List<long[]> trackedCounts =
        rows.mapPartitions(it -> trackedCountsOf(it, merge, tracked)).collect();
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Long> countAtLimit = new HashMap<>();
    List<String> names = sampleNames(tracked);
    for (int i = 0; i < trackedCounts.size(); i += 2) {
      // Pairs: {sample index, reads up to the cut-off}, then the counts.
      String sample = names.get((int) trackedCounts.get(i)[0]);
      long[] c = trackedCounts.get(i + 1);
      long[] into = counts.computeIfAbsent(sample, k -> new long[c.length]);
      for (int j = 0; j < c.length; j++) {
        into[j] += c[j];
      }
      countAtLimit.merge(sample, trackedCounts.get(i)[1], Long::sum);
    }

    // Pass 3: every distinct sequence of each sample, exactly (up to hash collisions), through a
    // shuffle of (sample hash, 128-bit hash) triples packed in arrays.
    int reducers = Math.max(1, Math.min(64, spark.sparkContext().defaultParallelism()));
    Map<Long, Long> distinctByHash = new HashMap<>();
    for (long[] r :
        rows.mapPartitionsToPair(it -> distinctBlocksOf(it, merge, reducers))
            .partitionBy(new HashPartitioner(reducers))
            .mapPartitions(FastqcJob::countDistinct)
            .collect()) {
      distinctByHash.merge(r[0], r[1], Long::sum);
    }
    long t2 = System.nanoTime();

    // Overrepresented: tracked sequences above FastQC's limit; pass 4 picks up their text.
    HashMap<String, HashSet128> wanted = new HashMap<>();
    counts.forEach(
        (sample, c) -> {
          long total = stats.get(sample).reads;
          Tracked t = tracked.get(sample);
          for (int i = 0; i < c.length; i++) {
            if ((double) c[i] / total * 100 > FastqcConfig.OVERREPRESENTED_WARN) {
              wanted.computeIfAbsent(sample, k -> new HashSet128(16)).add(t.h1[i], t.h2[i]);
            }
          }
        });
    Map<String, Map<List<Long>, String>> texts = new HashMap<>();
    if (!wanted.isEmpty()) {
      for (String[] found : rows.mapPartitions(it -> textsOf(it, merge, wanted)).collect()) {
        texts
            .computeIfAbsent(found[0], k -> new HashMap<>())
            .putIfAbsent(List.of(Long.parseLong(found[1]), Long.parseLong(found[2])), found[3]);
      }
    }
    long t3 = System.nanoTime();
    System.err.printf(
        Locale.ROOT,
        "fastq-mmap QC: counts %.1f s, duplication %.1f s, cut-off count and texts %.1f s%n",
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9);
    List<Sample> out = new ArrayList<>();
    for (Map.Entry<String, FastqcStats> e : stats.entrySet()) {
      String sample = e.getKey();
      FastqcStats s = e.getValue();
      Tracked t = tracked.get(sample);
      long[] c = counts.getOrDefault(sample, new long[t.size]);
      List<FastqcDuplication.Overrepresented> over = new ArrayList<>();
      Map<List<Long>, String> sampleTexts = texts.getOrDefault(sample, Map.of());
      for (int i = 0; i < t.size; i++) {
        String text = sampleTexts.get(List.of(t.h1[i], t.h2[i]));
        if (text != null) {
          over.add(new FastqcDuplication.Overrepresented(text, c[i]));
        }
      }
      long atLimit = t.frozen ? countAtLimit.getOrDefault(sample, 0L) : s.reads;
      long distinctAll = distinctByHash.getOrDefault(sampleHash(sample), 0L);
      out.add(new Sample(sample, s, new FastqcDuplication(s.reads, atLimit, c, distinctAll, over)));
    }
    return out;
  }

  /** A sample's first 100,000 distinct sequences: their hashes, and where the last one is. */
  static final class Tracked implements Serializable {
    private static final long serialVersionUID = 1L;

    final HashSet128 set = new HashSet128(1024);
    long[] h1 = new long[0];
    long[] h2 = new long[0];
    int size;

    /** True when the cut-off was reached; then the last one's first read is at this position. */
    boolean frozen;

    String lastFile;
    long lastOffset;

    static Tracked of(List<FastqcStats> orderedSegments) {
      Tracked t = new Tracked();
      for (FastqcStats seg : orderedSegments) {
        for (int i = 0; i < seg.firsts && !t.frozen; i++) {
          if (t.set.add(seg.firstH1[i], seg.firstH2[i]) < 0) {
            if (t.size == t.h1.length) {
              t.h1 = Arrays.copyOf(t.h1, Math.max(64, t.size * 2));
              t.h2 = Arrays.copyOf(t.h2, t.h1.length);
            }
            t.h1[t.size] = seg.firstH1[i];
            t.h2[t.size] = seg.firstH2[i];
            t.size++;
            if (t.size == FastqcDuplication.OBSERVATION_CUTOFF) {
              t.frozen = true;
              t.lastFile = seg.firstFile;
              t.lastOffset = seg.firstOffsets[i];
            }
          }
        }
      }
      return t;
    }
  }

  private static List<String> sampleNames(Map<String, Tracked> tracked) {
    return new ArrayList<>(new TreeSet<>(tracked.keySet()));
  }

  /** 64 bits naming a sample in the shuffle. */
  static long sampleHash(String sample) {
    byte[] b = sample.getBytes(StandardCharsets.UTF_8);
    long[] h = new long[2];
    Hash128.hash(b, b.length, h);
    return h[0];
  }

  /** Reusable byte buffers for one partition. */
  private static final class Buffers {
    byte[] seq = new byte[256];
    byte[] qual = new byte[256];
    byte[] header = new byte[256];
    final long[] hash = new long[2];

    static byte[] fit(byte[] b, int n) {
      return b.length >= n ? b : new byte[Math.max(n, b.length * 2)];
    }

    /** Copies the sequence and upper-cases it, as FastQC reads sequences. */
    int sequence(UTF8String s) {
      int n = copy(s, 0);
      byte[] b = seq;
      for (int i = 0; i < n; i++) {
        if (b[i] >= 'a' && b[i] <= 'z') {
          b[i] -= 'a' - 'A';
        }
      }
      return n;
    }

    int copy(UTF8String s, int which) {
      int n = s.numBytes();
      byte[] b;
      switch (which) {
        case 0:
          b = seq = fit(seq, n);
          break;
        case 1:
          b = qual = fit(qual, n);
          break;
        default:
          b = header = fit(header, n);
      }
      s.writeToMemory(b, Platform.BYTE_ARRAY_OFFSET);
      return n;
    }
  }

  private static Iterator<FastqcStats> statsOf(
      Iterator<InternalRow> rows, boolean merge, byte[][] adapters) {
    List<FastqcStats> out = new ArrayList<>();
    Buffers buf = new Buffers();
    FastqcStats current = null;
    String currentFile = null;
    long lastOffset = Long.MIN_VALUE;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String file = r.getUTF8String(0);
      long offset = r.getLong(1);
      // A new segment when the file changes or the reads jump back: each segment's reads are
      // consecutive in its file.
      if (current == null || !file.toString().equals(currentFile) || offset < lastOffset) {
        currentFile = file.toString();
        current = new FastqcStats(merge ? MERGED : currentFile, adapters.length);
        current.position(currentFile, offset);
        out.add(current);
      }
      lastOffset = offset;
      // FastQC reads the tile from the whole header line: name, a space, the comment.
      UTF8String name = r.getUTF8String(2);
      UTF8String comment = r.isNullAt(3) ? null : r.getUTF8String(3);
      int nameLen = name.numBytes();
      int headerLen = comment == null ? nameLen : nameLen + 1 + comment.numBytes();
      buf.header = Buffers.fit(buf.header, headerLen);
      name.writeToMemory(buf.header, Platform.BYTE_ARRAY_OFFSET);
      if (comment != null) {
        buf.header[nameLen] = ' ';
        comment.writeToMemory(buf.header, Platform.BYTE_ARRAY_OFFSET + nameLen + 1);
      }
      int len = buf.sequence(r.getUTF8String(4));
      buf.copy(r.getUTF8String(5), 1);
      current.add(buf.seq, buf.qual, len, buf.header, headerLen, adapters);
      Hash128.hash(buf.seq, cutLength(len), buf.hash);
      current.addFirst(buf.hash[0], buf.hash[1], offset);
    }
    return out.iterator();
  }

  /** FastQC cuts sequences longer than 75 bases to their first 50 before counting them. */
  static int cutLength(int len) {
    return len > 75 ? 50 : len;
  }

  /**
   * Per sample seen in the partition: {sample index, reads up to the cut-off} and the counts of the
   * sample's tracked sequences.
   */
  private static Iterator<long[]> trackedCountsOf(
      Iterator<InternalRow> rows, boolean merge, Map<String, Tracked> tracked) {
    List<String> names = sampleNames(tracked);
    Map<String, long[][]> bySample = new HashMap<>();
    Buffers buf = new Buffers();
    String lastFile = null;
    String sample = null;
    Tracked t = null;
    long[][] acc = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String fileBytes = r.getUTF8String(0);
      if (lastFile == null || !fileBytes.toString().equals(lastFile)) {
        lastFile = fileBytes.toString();
        sample = merge ? MERGED : lastFile;
        t = tracked.get(sample);
        Tracked tt = t;
        String sampleName = sample;
        acc =
            bySample.computeIfAbsent(
                sample, k -> new long[][] {{names.indexOf(sampleName), 0}, new long[tt.size]});
      }
      long offset = r.getLong(1);
      int len = buf.sequence(r.getUTF8String(4));
      Hash128.hash(buf.seq, cutLength(len), buf.hash);
      int i = t.set.indexOf(buf.hash[0], buf.hash[1]);
      if (i >= 0) {
        acc[1][i]++;
      }
      if (t.frozen) {
        int cmp = lastFile.compareTo(t.lastFile);
        if (cmp < 0 || (cmp == 0 && offset <= t.lastOffset)) {
          acc[0][1]++;
        }
      }
    }
    List<long[]> out = new ArrayList<>();
    bySample
        .values()
        .forEach(
            a -> {
              out.add(a[0]);
              out.add(a[1]);
            });
    return out.iterator();
  }

  /** Distinct (sample hash, h1, h2) of the partition, packed per reducer. */
  private static Iterator<Tuple2<Integer, long[]>> distinctBlocksOf(
      Iterator<InternalRow> rows, boolean merge, int reducers) {
    Map<String, HashSet128> seen = new HashMap<>();
    long[][] blocks = new long[reducers][16];
    int[] used = new int[reducers];
    Buffers buf = new Buffers();
    String lastFile = null;
    HashSet128 set = null;
    long sampleHash = 0;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String fileBytes = r.getUTF8String(0);
      if (lastFile == null || !fileBytes.toString().equals(lastFile)) {
        lastFile = fileBytes.toString();
        String sample = merge ? MERGED : lastFile;
        set = seen.computeIfAbsent(sample, k -> new HashSet128(1024));
        sampleHash = sampleHash(sample);
      }
      int len = buf.sequence(r.getUTF8String(4));
      Hash128.hash(buf.seq, cutLength(len), buf.hash);
      if (set.add(buf.hash[0], buf.hash[1]) < 0) {
        int b = (int) Math.floorMod(buf.hash[1], (long) reducers);
        if (used[b] + 3 > blocks[b].length) {
          blocks[b] = Arrays.copyOf(blocks[b], blocks[b].length * 2);
        }
        blocks[b][used[b]++] = sampleHash;
        blocks[b][used[b]++] = buf.hash[0];
        blocks[b][used[b]++] = buf.hash[1];
      }
    }
    List<Tuple2<Integer, long[]>> out = new ArrayList<>();
    for (int b = 0; b < reducers; b++) {
      if (used[b] > 0) {
        out.add(new Tuple2<>(b, Arrays.copyOf(blocks[b], used[b])));
      }
    }
    return out.iterator();
  }

  /** {sample hash, distinct count} per sample of one reducer's share of the hashes. */
  private static Iterator<long[]> countDistinct(Iterator<Tuple2<Integer, long[]>> blocks) {
    Map<Long, HashSet128> sets = new HashMap<>();
    while (blocks.hasNext()) {
      long[] b = blocks.next()._2();
      for (int i = 0; i < b.length; i += 3) {
        sets.computeIfAbsent(b[i], k -> new HashSet128(1024)).add(b[i + 1], b[i + 2]);
      }
    }
    List<long[]> out = new ArrayList<>();
    sets.forEach((k, v) -> out.add(new long[] {k, v.size()}));
    return out.iterator();
  }

  private static Iterator<String[]> textsOf(
      Iterator<InternalRow> rows, boolean merge, Map<String, HashSet128> wanted) {
    List<String[]> out = new ArrayList<>();
    Map<String, HashSet128> found = new HashMap<>();
    Buffers buf = new Buffers();
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      String sample = merge ? MERGED : r.getUTF8String(0).toString();
      HashSet128 w = wanted.get(sample);
      if (w == null) {
        continue;
      }
      int len = buf.sequence(r.getUTF8String(4));
      int cut = cutLength(len);
      Hash128.hash(buf.seq, cut, buf.hash);
      if (w.indexOf(buf.hash[0], buf.hash[1]) >= 0
          && found.computeIfAbsent(sample, k -> new HashSet128(16)).add(buf.hash[0], buf.hash[1])
              < 0) {
        out.add(
            new String[] {
              sample,
              Long.toString(buf.hash[0]),
              Long.toString(buf.hash[1]),
              new String(buf.seq, 0, cut, StandardCharsets.US_ASCII)
            });
      }
    }
    return out.iterator();
  }
}
