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
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * FastQC's modules per sample, computed by Spark over the bytes the scan returns (the internal rows
 * of {@code _file, _offset, name, comment, sequence, quality}; no per-read Java objects):
 *
 * <ol>
 *   <li>one pass over the reads, per partition: {@link FastqcStats} per sample (merged on the
 *       driver in file order), and every distinct (cut) sequence as a 128-bit hash with its count,
 *       kept by Spark (memory, else disk) for the next step rather than read again;
 *   <li>a shuffle of those fixed-size (sample hash, hash, count) quadruples: the exact distinct
 *       count per sample, and the counts of the 100,000 hashes that occur first (found on the
 *       driver from each segment's first distinct hashes, as FastQC tracks them);
 *   <li>only when some sequence is overrepresented, a pass that picks up its text.
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
    int reducers = Math.max(1, Math.min(64, spark.sparkContext().defaultParallelism()));

    // Pass 1, the only one over all reads: the counts, and each partition's distinct (cut)
    // sequences as hashes with their counts, kept (in memory, or on disk when memory is short) for
    // the shuffle below rather than read again.
    long t0 = System.nanoTime();
    byte[][] adapters = cfg.adapters;
    JavaRDD<Part> parts =
        rows.mapPartitions(it -> List.of(partOf(it, merge, adapters, reducers)).iterator())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<FastqcStats> segments = new ArrayList<>();
      for (List<FastqcStats> p : parts.map(p -> p.segments).collect()) {
        segments.addAll(p);
      }
      Map<String, List<FastqcStats>> bySample = new TreeMap<>();
      for (FastqcStats s : segments) {
        bySample.computeIfAbsent(s.sample, k -> new ArrayList<>()).add(s);
      }
      Map<String, FastqcStats> stats = new LinkedHashMap<>();
      bySample.forEach(
          (sample, ps) -> {
            ps.sort(
                Comparator.comparing((FastqcStats p) -> p.firstFile)
                    .thenComparingLong(p -> p.firstOffset));
            FastqcStats merged = ps.get(0).startSample();
            for (int i = 1; i < ps.size(); i++) {
              merged.append(ps.get(i));
            }
            stats.put(sample, merged);
          });

      long t1 = System.nanoTime();
      // The first 100,000 distinct sequences of each sample, from the segments' own first ones,
      // and the reads up to the 100,000th's first read.
      HashMap<String, Tracked> tracked = new HashMap<>();
      HashMap<Long, HashSet128> trackedByHash = new HashMap<>();
      bySample.forEach(
          (sample, ps) -> {
            Tracked t = Tracked.of(ps);
            tracked.put(sample, t);
            trackedByHash.put(sampleHash(sample), t.set);
          });

      // Pass 2, a shuffle of the partitions' (sample hash, 128-bit hash, count) quadruples packed
      // in arrays: per sample, every distinct sequence exactly (up to hash collisions) and the
      // counts of the tracked ones.
      Broadcast<HashMap<Long, HashSet128>> trackedSets =
          JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(trackedByHash);
      Map<Long, Long> distinctByHash = new HashMap<>();
      Map<Long, long[]> countsByHash = new HashMap<>();
      try {
        for (long[] r :
            parts
                .flatMapToPair(p -> p.blocks().iterator())
                .partitionBy(new HashPartitioner(reducers))
                .mapPartitions(it -> countDistinct(it, trackedSets.value()))
                .collect()) {
          distinctByHash.merge(r[0], r[1], Long::sum);
          long[] into =
              countsByHash.computeIfAbsent(r[0], k -> new long[trackedByHash.get(k).size()]);
          for (int i = 2; i < r.length; i += 2) {
            into[(int) r[i]] += r[i + 1];
          }
        }
      } finally {
        trackedSets.destroy();
      }
      long t2 = System.nanoTime();

      // Overrepresented: tracked sequences above FastQC's limit; pass 3 picks up their text.
      HashMap<String, HashSet128> wanted = new HashMap<>();
      Map<String, long[]> counts = new HashMap<>();
      tracked.forEach(
          (sample, t) -> {
            long[] c = countsByHash.getOrDefault(sampleHash(sample), new long[t.size]);
            counts.put(sample, c);
            long total = stats.get(sample).reads;
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
          "fastq-mmap QC: counts %.1f s, duplication %.1f s, overrepresented texts %.1f s%n",
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9);
      List<Sample> out = new ArrayList<>();
      for (Map.Entry<String, FastqcStats> e : stats.entrySet()) {
        String sample = e.getKey();
        FastqcStats s = e.getValue();
        Tracked t = tracked.get(sample);
        long[] c = counts.get(sample);
        List<FastqcDuplication.Overrepresented> over = new ArrayList<>();
        Map<List<Long>, String> sampleTexts = texts.getOrDefault(sample, Map.of());
        for (int i = 0; i < t.size; i++) {
          String text = sampleTexts.get(List.of(t.h1[i], t.h2[i]));
          if (text != null) {
            over.add(new FastqcDuplication.Overrepresented(text, c[i]));
          }
        }
        long atLimit = t.frozen ? t.countAtLimit : s.reads;
        long distinctAll = distinctByHash.getOrDefault(sampleHash(sample), 0L);
        out.add(
            new Sample(sample, s, new FastqcDuplication(s.reads, atLimit, c, distinctAll, over)));
      }
      return out;
    } finally {
      parts.unpersist(false);
    }
  }

  /** What pass 1 keeps of one partition. */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The partition's segments (a sample's consecutive reads), in read order. */
    final List<FastqcStats> segments = new ArrayList<>();

    /**
     * Per reducer, the partition's distinct (cut) sequences of every sample as (sample hash, h1,
     * h2, count) quadruples.
     */
    long[][] blocks;

    List<Tuple2<Integer, long[]>> blocks() {
      List<Tuple2<Integer, long[]>> out = new ArrayList<>();
      for (int b = 0; b < blocks.length; b++) {
        if (blocks[b].length > 0) {
          out.add(new Tuple2<>(b, blocks[b]));
        }
      }
      return out;
    }
  }

  /** Distinct 128-bit hashes with their counts. */
  private static final class Counts {
    final HashSet128 set = new HashSet128(1024);
    long[] counts = new long[1024];

    void add(long h1, long h2) {
      int m = set.add(h1, h2);
      if (m < 0) {
        m = -m - 1;
        if (m == counts.length) {
          counts = Arrays.copyOf(counts, counts.length * 2);
        }
      }
      counts[m]++;
    }
  }

  /** A sample's first 100,000 distinct sequences: their hashes, and where the last one is. */
  static final class Tracked implements Serializable {
    private static final long serialVersionUID = 1L;

    final HashSet128 set = new HashSet128(1024);
    long[] h1 = new long[0];
    long[] h2 = new long[0];
    int size;

    /** True when the cut-off was reached. */
    boolean frozen;

    /** Then: the sample's reads up to and including the last tracked sequence's first read. */
    long countAtLimit;

    static Tracked of(List<FastqcStats> orderedSegments) {
      Tracked t = new Tracked();
      long readsBefore = 0;
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
              t.countAtLimit = readsBefore + seg.firstIndexes[i] + 1;
            }
          }
        }
        readsBefore += seg.reads;
      }
      return t;
    }
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

  /** Pass 1 over one partition's rows. */
  private static Part partOf(
      Iterator<InternalRow> rows, boolean merge, byte[][] adapters, int reducers) {
    Part part = new Part();
    Map<String, Counts> distinct = new LinkedHashMap<>();
    Buffers buf = new Buffers();
    FastqcStats current = null;
    Counts counts = null;
    UTF8String currentFile = null;
    String currentName = null;
    long lastOffset = Long.MIN_VALUE;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String file = r.getUTF8String(0);
      long offset = r.getLong(1);
      // A new segment when the file changes or the reads jump back: each segment's reads are
      // consecutive in its file. Files are compared as bytes: no String per read.
      boolean newFile = currentFile == null || !file.equals(currentFile);
      if (newFile || offset < lastOffset) {
        if (newFile) {
          currentFile = file.clone();
          currentName = currentFile.toString();
        }
        current = new FastqcStats(merge ? MERGED : currentName, adapters.length);
        current.position(currentName, offset);
        part.segments.add(current);
        counts = distinct.computeIfAbsent(current.sample, k -> new Counts());
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
      current.addFirst(buf.hash[0], buf.hash[1]);
      counts.add(buf.hash[0], buf.hash[1]);
    }
    // Pack the distinct hashes per reducer; the hash sets are dropped with this frame.
    int[] used = new int[reducers];
    long[][] blocks = new long[reducers][];
    for (Counts c : distinct.values()) {
      c.set.forEach((h1, h2, m) -> used[Math.floorMod(h2, reducers)] += 4);
    }
    for (int b = 0; b < reducers; b++) {
      blocks[b] = new long[used[b]];
      used[b] = 0;
    }
    for (Map.Entry<String, Counts> e : distinct.entrySet()) {
      long sampleHash = sampleHash(e.getKey());
      long[] n = e.getValue().counts;
      e.getValue()
          .set
          .forEach(
              (h1, h2, m) -> {
                int b = Math.floorMod(h2, reducers);
                long[] block = blocks[b];
                int at = used[b];
                block[at] = sampleHash;
                block[at + 1] = h1;
                block[at + 2] = h2;
                block[at + 3] = n[m];
                used[b] = at + 4;
              });
    }
    part.blocks = blocks;
    return part;
  }

  /** FastQC cuts sequences longer than 75 bases to their first 50 before counting them. */
  static int cutLength(int len) {
    return len > 75 ? 50 : len;
  }

  /**
   * For each sample in one reducer's share of the hashes: {sample hash, distinct sequences, then
   * (tracked index, count) pairs for the tracked sequences among them}.
   */
  private static Iterator<long[]> countDistinct(
      Iterator<Tuple2<Integer, long[]>> blocks, Map<Long, HashSet128> tracked) {
    Map<Long, HashSet128> sets = new HashMap<>();
    Map<Long, long[]> trackedCounts = new HashMap<>();
    while (blocks.hasNext()) {
      long[] b = blocks.next()._2();
      long lastSample = 0;
      HashSet128 set = null;
      HashSet128 t = null;
      long[] c = null;
      for (int i = 0; i < b.length; i += 4) {
        if (set == null || b[i] != lastSample) {
          lastSample = b[i];
          set = sets.computeIfAbsent(lastSample, k -> new HashSet128(1024));
          t = tracked.get(lastSample);
          long size = t == null ? 0 : t.size();
          c = trackedCounts.computeIfAbsent(lastSample, k -> new long[(int) size]);
        }
        set.add(b[i + 1], b[i + 2]);
        int m = t == null ? -1 : t.indexOf(b[i + 1], b[i + 2]);
        if (m >= 0) {
          c[m] += b[i + 3];
        }
      }
    }
    List<long[]> out = new ArrayList<>();
    sets.forEach(
        (k, v) -> {
          long[] c = trackedCounts.get(k);
          int nonZero = 0;
          for (long x : c) {
            if (x != 0) {
              nonZero++;
            }
          }
          long[] r = new long[2 + 2 * nonZero];
          r[0] = k;
          r[1] = v.size();
          int at = 2;
          for (int i = 0; i < c.length; i++) {
            if (c[i] != 0) {
              r[at++] = i;
              r[at++] = c[i];
            }
          }
          out.add(r);
        });
    return out.iterator();
  }

  private static Iterator<String[]> textsOf(
      Iterator<InternalRow> rows, boolean merge, Map<String, HashSet128> wanted) {
    List<String[]> out = new ArrayList<>();
    Map<String, HashSet128> found = new HashMap<>();
    Buffers buf = new Buffers();
    UTF8String lastFile = null;
    String sample = null;
    HashSet128 w = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String file = r.getUTF8String(0);
      if (lastFile == null || !file.equals(lastFile)) {
        lastFile = file.clone();
        sample = merge ? MERGED : lastFile.toString();
        w = wanted.get(sample);
      }
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
