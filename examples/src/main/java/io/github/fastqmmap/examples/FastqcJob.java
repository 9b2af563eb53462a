/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanExecBase;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * FastQC's modules per sample, computed by Spark over the bytes the scan returns (the internal rows
 * of {@code _file, _offset, name, comment, sequence, quality}; no per-read Java objects):
 *
 * <ol>
 *   <li>one pass over the reads, per partition: {@link FastqcStats} per sample (merged on the
 *       driver in file order), and the (cut) sequences as 128-bit hashes with counts (repeats
 *       combined in a small cache, see {@link Combiner}), kept by Spark (memory, else disk) for the
 *       next step rather than read again;
 *   <li>a shuffle of those hashes with counts, grouped by sample: the exact distinct count per
 *       sample, and the counts of the 100,000 hashes that occur first (found on the driver from the
 *       first distinct hashes of a sample's first segments, as FastQC tracks them);
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
    return run(spark, paths, options, merge, cfg, -1).samples;
  }

  /** Everything one run computed. */
  public static final class Result {
    /** FastQC's modules per sample, in file-URI order. */
    public final List<Sample> samples;

    /**
     * FastQC's modules over all inputs in file-URI order, named {@value #MERGED} (with the merged
     * report only, else null).
     */
    public final Sample all;

    /** The merged report's totals and exact duplication (null without the merged report). */
    public final QcStats qc;

    public final Duplication duplication;

    Result(List<Sample> samples, Sample all, QcStats qc, Duplication duplication) {
      this.samples = samples;
      this.all = all;
      this.qc = qc;
      this.duplication = duplication;
    }
  }

  /** Key of all inputs' cut-sequence hashes in the shuffle (a sample's key is its name's hash). */
  static final long ALL_CUT = sampleHash("\u0000all inputs, sequences cut as FastQC cuts them");

  /** Key of all inputs' whole-sequence hashes (the merged report's exact duplication). */
  static final long FULL = sampleHash("\u0000all inputs, whole sequences");

  /** Key of a reducer's candidates for the merged report's most frequent sequences. */
  static final long TOP = sampleHash("\u0000most frequent whole sequences");

  /**
   * Runs the passes; with {@code topN >= 0} also the merged report's figures (totals, exact
   * duplication of whole sequences with the {@code topN} most frequent, and FastQC's modules over
   * all inputs), in the same passes.
   */
  public static Result run(
      SparkSession spark,
      List<String> paths,
      Map<String, String> options,
      boolean merge,
      FastqcConfig cfg,
      int topN) {
    Dataset<Row> reads =
        spark
            .read()
            .format("fastq-mmap")
            .options(rowsUnlessAsked(options))
            .load(paths.toArray(new String[0]))
            .select(COLUMNS[0], Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length));
    // The scan's own rows when the plan over it only reorders its columns: Spark otherwise copies
    // every row once more in a projection (and makes a UTF8String per field on the way).
    int[] fields = {0, 1, 2, 3, 4, 5};
    JavaRDD<InternalRow> rows = scanRows(reads, fields);
    int reducers = Math.max(1, Math.min(64, spark.sparkContext().defaultParallelism()));
    boolean mergedReport = topN >= 0;

    // Pass 1, the only one over all reads: the counts, and each partition's distinct (cut)
    // sequences as hashes with their counts, kept (in memory, or on disk when memory is short) for
    // the shuffle below rather than read again.
    long t0 = System.nanoTime();
    byte[][] adapters = cfg.adapters;
    // The tasks' own CPU time per pass (scan included), for the timing line below: the wall times
    // on a shared machine say little about what the passes cost.
    LongAccumulator countsCpu = spark.sparkContext().longAccumulator("QC counts CPU ns");
    LongAccumulator duplicationCpu = spark.sparkContext().longAccumulator("QC duplication CPU ns");
    JavaRDD<Part> parts =
        rows.mapPartitions(
                it -> {
                  long cpu = threadCpu();
                  Part p = partOf(it, fields, merge, adapters, reducers, mergedReport);
                  countsCpu.add(threadCpu() - cpu);
                  return List.of(p).iterator();
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<FastqcStats> segments = new ArrayList<>();
      // Where each segment lies: (partition, index in its part), for fetching its first hashes.
      Map<FastqcStats, long[]> where = new IdentityHashMap<>();
      QcStats qc = mergedReport ? new QcStats() : null;
      List<Part> collected = parts.map(Part::forDriver).collect();
      for (int pi = 0; pi < collected.size(); pi++) {
        Part p = collected.get(pi);
        for (int si = 0; si < p.segments.size(); si++) {
          where.put(p.segments.get(si), new long[] {pi, si});
        }
        segments.addAll(p.segments);
        if (qc != null) {
          // Every field is an integer count, so the merge order does not change the totals.
          qc.merge(p.qc);
        }
      }
      Map<String, List<FastqcStats>> bySample = new TreeMap<>();
      for (FastqcStats s : segments) {
        bySample.computeIfAbsent(s.sample, k -> new ArrayList<>()).add(s);
      }
      Map<String, FastqcStats> stats = new LinkedHashMap<>();
      bySample.forEach((sample, ps) -> stats.put(sample, mergeInOrder(ps)));
      // All inputs as one sample, for the merged report (the only sample when there is one).
      boolean allInputs = mergedReport && bySample.size() > 1;
      FastqcStats allStats = allInputs ? mergeInOrder(new ArrayList<>(segments)) : null;

      long t1 = System.nanoTime();
      // The first 100,000 distinct sequences of each sample, from the segments' own first ones,
      // and the reads up to the 100,000th's first read. Only the segments that can hold them send
      // their hashes (a sample's first one or few, not all: 2.4 MB each).
      List<FastqcStats> ordered = null;
      List<List<FastqcStats>> orders = new ArrayList<>(bySample.values());
      if (allInputs) {
        ordered = new ArrayList<>(segments);
        ordered.sort(SEGMENT_ORDER);
        orders.add(ordered);
      }
      fetchFirsts(parts, orders, where);
      HashMap<String, Tracked> tracked = new HashMap<>();
      HashMap<Long, HashSet128> trackedByHash = new HashMap<>();
      bySample.forEach(
          (sample, ps) -> {
            Tracked t = Tracked.of(ps);
            tracked.put(sample, t);
            trackedByHash.put(sampleHash(sample), t.set);
          });
      if (allInputs) {
        Tracked t = Tracked.of(ordered);
        tracked.put(ALL_NAME, t);
        trackedByHash.put(ALL_CUT, t.set);
      }

      // Pass 2, a shuffle of the partitions' 128-bit hashes with counts, packed in arrays by key:
      // per sample, every distinct sequence exactly (up to hash collisions) and the counts of the
      // tracked ones; for the merged report the same over all inputs, the duplication
      // levels of whole sequences and the candidates for the most frequent ones.
      Broadcast<HashMap<Long, HashSet128>> trackedSets =
          JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(trackedByHash);
      Map<Long, Long> distinctByHash = new HashMap<>();
      Map<Long, long[]> countsByHash = new HashMap<>();
      TreeMap<Long, Long> levels = new TreeMap<>();
      List<long[]> candidates = new ArrayList<>();
      int top = topN;
      try {
        for (long[] r :
            parts
                .flatMapToPair(p -> p.blocks().iterator())
                .partitionBy(new HashPartitioner(reducers))
                .mapPartitions(
                    it -> {
                      long cpu = threadCpu();
                      Iterator<long[]> r = countDistinct(it, trackedSets.value(), top);
                      duplicationCpu.add(threadCpu() - cpu);
                      return r;
                    })
                .collect()) {
          if (r[0] == TOP) {
            for (int i = 1; i < r.length; i += 3) {
              candidates.add(new long[] {r[i], r[i + 1], r[i + 2]});
            }
          } else if (r[0] == FULL) {
            for (int i = 2; i < r.length; i += 2) {
              levels.merge(r[i], r[i + 1], Long::sum);
            }
          } else {
            distinctByHash.merge(r[0], r[1], Long::sum);
            long[] into =
                countsByHash.computeIfAbsent(r[0], k -> new long[trackedByHash.get(k).size()]);
            for (int i = 2; i < r.length; i += 2) {
              into[(int) r[i]] += r[i + 1];
            }
          }
        }
      } finally {
        trackedSets.destroy();
      }
      long t2 = System.nanoTime();

      // Overrepresented: tracked sequences above FastQC's limit. The merged report's most frequent
      // sequences: the candidates down to the topN-th count (ties are ordered by the sequence's
      // text). Pass 3, only when there are any, picks up their texts.
      HashMap<String, HashSet128> wanted = new HashMap<>();
      Map<String, long[]> counts = new HashMap<>();
      tracked.forEach(
          (sample, t) -> {
            long key = sample.equals(ALL_NAME) ? ALL_CUT : sampleHash(sample);
            long[] c = countsByHash.getOrDefault(key, new long[t.size]);
            counts.put(sample, c);
            long total = sample.equals(ALL_NAME) ? allStats.reads : stats.get(sample).reads;
            for (int i = 0; i < c.length; i++) {
              if ((double) c[i] / total * 100 > FastqcConfig.OVERREPRESENTED_WARN) {
                wanted.computeIfAbsent(sample, k -> new HashSet128(16)).add(t.h1[i], t.h2[i]);
              }
            }
          });
      candidates.sort(Comparator.comparingLong((long[] c) -> -c[2]));
      if (topN >= 0 && candidates.size() > topN) {
        long least = topN == 0 ? Long.MAX_VALUE : candidates.get(topN - 1)[2];
        candidates.removeIf(c -> c[2] < least);
      }
      if (!candidates.isEmpty()) {
        HashSet128 w = new HashSet128(candidates.size());
        for (long[] c : candidates) {
          w.add(c[0], c[1]);
        }
        wanted.put(FULL_NAME, w);
      }
      Map<String, Map<List<Long>, String>> texts = new HashMap<>();
      if (!wanted.isEmpty()) {
        for (String[] found :
            rows.mapPartitions(it -> textsOf(it, fields, merge, wanted)).collect()) {
          texts
              .computeIfAbsent(found[0], k -> new HashMap<>())
              .putIfAbsent(List.of(Long.parseLong(found[1]), Long.parseLong(found[2])), found[3]);
        }
      }
      long t3 = System.nanoTime();
      System.err.printf(
          Locale.ROOT,
          "fastq-mmap QC: counts %.1f s, duplication %.1f s, texts %.1f s"
              + " (tasks' CPU: counts %.1f s, duplication's reducers %.1f s)%n",
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9,
          countsCpu.value() / 1e9,
          duplicationCpu.value() / 1e9);
      List<Sample> out = new ArrayList<>();
      for (Map.Entry<String, FastqcStats> e : stats.entrySet()) {
        String sample = e.getKey();
        out.add(
            sample(
                sample,
                e.getValue(),
                tracked.get(sample),
                counts.get(sample),
                texts.getOrDefault(sample, Map.of()),
                distinctByHash.getOrDefault(sampleHash(sample), 0L)));
      }
      if (!mergedReport) {
        return new Result(out, null, null, null);
      }
      Sample all =
          allInputs
              ? sample(
                  MERGED,
                  allStats,
                  tracked.get(ALL_NAME),
                  counts.get(ALL_NAME),
                  texts.getOrDefault(ALL_NAME, Map.of()),
                  distinctByHash.getOrDefault(ALL_CUT, 0L))
              : out.isEmpty() ? null : out.get(0);
      Map<List<Long>, String> fullTexts = texts.getOrDefault(FULL_NAME, Map.of());
      List<Duplication.SequenceCount> topList = new ArrayList<>();
      for (long[] c : candidates) {
        topList.add(new Duplication.SequenceCount(fullTexts.get(List.of(c[0], c[1])), c[2]));
      }
      topList.sort(
          Comparator.comparingLong((Duplication.SequenceCount c) -> -c.count)
              .thenComparing(c -> c.sequence));
      Duplication duplication =
          new Duplication(levels, topList.subList(0, Math.min(Math.max(topN, 0), topList.size())));
      return new Result(out, all, qc, duplication);
    } finally {
      parts.unpersist(false);
    }
  }

  /**
   * {@code options} with {@code columnar=false} unless they name {@code columnar}: pass 1 reads the
   * scan's own rows in place ({@link #scanRows}), while column batches would be turned back into
   * rows by Spark, a {@code UTF8String} per field and read (1 GB of allocations on 2 GiB of reads,
   * 0.7 s of the job's 9.3 s).
   */
  static Map<String, String> rowsUnlessAsked(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (key.equalsIgnoreCase("columnar")) {
        return options;
      }
    }
    Map<String, String> rows = new LinkedHashMap<>(options);
    rows.put("columnar", "false");
    return rows;
  }

  /** The columns pass 1 reads, in the order of {@link #FILE} to {@link #QUALITY}. */
  private static final String[] COLUMNS = {
    "_file", "_offset", "name", "comment", "sequence", "quality"
  };

  /** Indexes into the array of the columns' ordinals in the rows. */
  private static final int FILE = 0;

  private static final int OFFSET = 1;
  private static final int NAME = 2;
  private static final int COMMENT = 3;
  private static final int SEQUENCE = 4;
  private static final int QUALITY = 5;

  /**
   * The rows of {@code reads} (a selection of {@link #COLUMNS} from the scan); {@code fields}
   * receives each column's ordinal in them. When the executed plan is the scan under projections
   * that only pick its columns, the scan's rows themselves (in the scan's column order), else the
   * plan's.
   */
  static JavaRDD<InternalRow> scanRows(Dataset<Row> reads, int[] fields) {
    SparkPlan plan = reads.queryExecution().executedPlan();
    for (int i = 0; ; i++) {
      TreeNode<?> node = plan.apply(i);
      if (node instanceof DataSourceV2ScanExecBase) {
        SparkPlan scan = (SparkPlan) node;
        StructType schema = scan.schema();
        Set<String> names = new HashSet<>(Arrays.asList(schema.fieldNames()));
        if (names.size() == schema.fields().length
            && names.containsAll(Arrays.asList(reads.schema().fieldNames()))
            && !((DataSourceV2ScanExecBase) node).supportsColumnar()) {
          for (int f = 0; f < COLUMNS.length; f++) {
            fields[f] = schema.fieldIndex(COLUMNS[f]);
          }
          return scan.execute().toJavaRDD();
        }
        break;
      }
      if (!(node instanceof WholeStageCodegenExec
          || node instanceof InputAdapter
          || node instanceof ProjectExec)) {
        break;
      }
    }
    for (int f = 0; f < COLUMNS.length; f++) {
      fields[f] = reads.schema().fieldIndex(COLUMNS[f]);
    }
    return reads.queryExecution().toRdd().toJavaRDD();
  }

  /** Names of the views that are not a sample, in the driver's maps (not a file URI). */
  private static final String ALL_NAME = "\u0000all";

  private static final String FULL_NAME = "\u0000full";

  /** A sample's segments in read order: file URI, then offset. */
  private static final Comparator<FastqcStats> SEGMENT_ORDER =
      Comparator.comparing((FastqcStats p) -> p.firstFile).thenComparingLong(p -> p.firstOffset);

  /** The segments' counts merged in read order; the segments themselves are left as they are. */
  private static FastqcStats mergeInOrder(List<FastqcStats> segments) {
    segments.sort(SEGMENT_ORDER);
    FastqcStats merged = segments.get(0).startSample();
    for (int i = 1; i < segments.size(); i++) {
      merged.append(segments.get(i));
    }
    return merged;
  }

  private static Sample sample(
      String name,
      FastqcStats s,
      Tracked t,
      long[] c,
      Map<List<Long>, String> texts,
      long distinctAll) {
    List<FastqcDuplication.Overrepresented> over = new ArrayList<>();
    for (int i = 0; i < t.size; i++) {
      String text = texts.get(List.of(t.h1[i], t.h2[i]));
      if (text != null) {
        over.add(new FastqcDuplication.Overrepresented(text, c[i]));
      }
    }
    long atLimit = t.frozen ? t.countAtLimit : s.reads;
    return new Sample(
        name,
        s,
        new FastqcDuplication(
            s.reads, atLimit, c, Arrays.copyOf(t.stringHashes, t.size), distinctAll, over));
  }

  /** What pass 1 keeps of one partition. */
  static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The partition's segments (a sample's consecutive reads), in read order. */
    final List<FastqcStats> segments = new ArrayList<>();

    /** The merged report's totals over the partition (null without the merged report). */
    QcStats qc;

    /**
     * Per reducer, the partition's (cut) sequences of every sample as hashes with counts, grouped
     * by key (see {@link Combiner}); a sequence may appear more than once.
     */
    long[][] blocks;

    /**
     * This without the hashes, for the driver: neither the blocks nor the segments' first distinct
     * hashes (see {@link FastqcStats#withoutFirsts}).
     */
    Part forDriver() {
      Part p = new Part();
      for (FastqcStats s : segments) {
        p.segments.add(s.withoutFirsts());
      }
      p.qc = qc;
      p.blocks = new long[0][];
      return p;
    }

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

  /**
   * Distinct 128-bit hashes with their counts, in one open-addressing table of (h1, h2, count)
   * triples: a lookup touches one cache line, where separate key and count arrays cost three misses
   * per read once the table outgrows the cache. A count of 0 marks an empty slot.
   */
  static final class Counts {
    private long[] table = new long[3 * 1024];
    private int mask = 1023;
    private int size;

    int size() {
      return size;
    }

    /** Adds {@code n > 0} occurrences; true when (h1, h2) was not counted before. */
    boolean add(long h1, long h2, long n) {
      long[] t = table;
      for (int i = (int) (h1 ^ (h1 >>> 32)) & mask; ; i = (i + 1) & mask) {
        int at = 3 * i;
        long c = t[at + 2];
        if (c == 0) {
          t[at] = h1;
          t[at + 1] = h2;
          t[at + 2] = n;
          if (++size * 2 > mask) {
            grow();
          }
          return true;
        }
        if (t[at] == h1 && t[at + 1] == h2) {
          t[at + 2] = c + n;
          return false;
        }
      }
    }

    private void grow() {
      long[] old = table;
      int m = (mask + 1) * 2 - 1;
      long[] t = new long[3 * (m + 1)];
      for (int j = 0; j < old.length; j += 3) {
        if (old[j + 2] == 0) {
          continue;
        }
        int i = (int) (old[j] ^ (old[j] >>> 32)) & m;
        while (t[3 * i + 2] != 0) {
          i = (i + 1) & m;
        }
        t[3 * i] = old[j];
        t[3 * i + 1] = old[j + 1];
        t[3 * i + 2] = old[j + 2];
      }
      table = t;
      mask = m;
    }

    /** Receives a member and its count. */
    interface Visitor {
      void visit(long h1, long h2, long count);
    }

    /** Visits every member, in slot order. */
    void forEach(Visitor v) {
      long[] t = table;
      for (int j = 0; j < t.length; j += 3) {
        if (t[j + 2] != 0) {
          v.visit(t[j], t[j + 1], t[j + 2]);
        }
      }
    }

    /** {FULL, distinct, then (occurrences, sequences with that many) pairs}. */
    long[] levels() {
      TreeMap<Long, Long> levels = new TreeMap<>();
      forEach((h1, h2, count) -> levels.merge(count, 1L, Long::sum));
      long[] r = new long[2 + 2 * levels.size()];
      r[0] = FULL;
      r[1] = size;
      int at = 2;
      for (Map.Entry<Long, Long> e : levels.entrySet()) {
        r[at++] = e.getKey();
        r[at++] = e.getValue();
      }
      return r;
    }

    /**
     * {TOP, then (h1, h2, count) of the members seen more than once, down to the topN-th count}.
     */
    long[] top(int topN) {
      long[] repeated = new long[size];
      int n = 0;
      long[] t = table;
      for (int j = 0; j < t.length; j += 3) {
        if (t[j + 2] > 1) {
          repeated[n++] = t[j + 2];
        }
      }
      long least;
      if (topN <= 0 || n == 0) {
        least = Long.MAX_VALUE;
      } else {
        Arrays.sort(repeated, 0, n);
        least = repeated[Math.max(0, n - topN)];
      }
      List<Long> out = new ArrayList<>();
      out.add(TOP);
      forEach(
          (h1, h2, count) -> {
            if (count > 1 && count >= least) {
              out.add(h1);
              out.add(h2);
              out.add(count);
            }
          });
      long[] r = new long[out.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = out.get(i);
      }
      return r;
    }
  }

  /**
   * Fetches, from the kept parts, the first distinct hashes of the segments that {@link Tracked#of}
   * needs for each of {@code orders} (segments in read order; {@code where} gives each one's
   * partition and index in its part): in each round, from the first segment without them, enough
   * segments to reach 100,000 if none of their hashes were seen before; again while a sample falls
   * short. One small job per round, usually one round.
   */
  private static void fetchFirsts(
      JavaRDD<Part> parts, List<List<FastqcStats>> orders, Map<FastqcStats, long[]> where) {
    while (true) {
      // The segments still to fetch, by partition; each once, though several orders may want it.
      TreeMap<Integer, List<FastqcStats>> wanted = new TreeMap<>();
      Set<FastqcStats> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (List<FastqcStats> order : orders) {
        Tracked t = Tracked.of(order);
        if (t.missing == null) {
          continue;
        }
        long bound = t.size;
        for (int i = order.indexOf(t.missing);
            i < order.size() && bound < FastqcDuplication.OBSERVATION_CUTOFF;
            i++) {
          FastqcStats seg = order.get(i);
          bound += seg.firsts;
          if (!seg.hasFirsts() && chosen.add(seg)) {
            wanted.computeIfAbsent((int) where.get(seg)[0], k -> new ArrayList<>()).add(seg);
          }
        }
      }
      if (wanted.isEmpty()) {
        return;
      }
      HashMap<Integer, int[]> indexes = new HashMap<>();
      wanted.forEach(
          (pi, segs) ->
              indexes.put(pi, segs.stream().mapToInt(seg -> (int) where.get(seg)[1]).toArray()));
      int[] ids = wanted.keySet().stream().mapToInt(i -> i).toArray();
      List<long[][][]>[] got =
          parts
              .mapPartitionsWithIndex(
                  (pi, it) -> {
                    Part p = it.next();
                    int[] sis = indexes.get(pi);
                    long[][][] out = new long[sis.length][][];
                    for (int k = 0; k < sis.length; k++) {
                      out[k] = p.segments.get(sis[k]).firstArrays();
                    }
                    return Collections.singletonList(out).iterator();
                  },
                  true)
              .collectPartitions(ids);
      for (int k = 0; k < ids.length; k++) {
        long[][][] arrays = got[k].get(0);
        List<FastqcStats> segs = wanted.get(ids[k]);
        for (int j = 0; j < segs.size(); j++) {
          segs.get(j).firsts(arrays[j]);
        }
      }
    }
  }

  /** A sample's first 100,000 distinct sequences: their hashes, and where the last one is. */
  static final class Tracked implements Serializable {
    private static final long serialVersionUID = 1L;

    final HashSet128 set = new HashSet128(1024);
    long[] h1 = new long[0];
    long[] h2 = new long[0];

    /** Each one's {@code String.hashCode()} ({@link FastqcStats#firstStringHashes}). */
    int[] stringHashes = new int[0];

    int size;

    /** True when the cut-off was reached. */
    boolean frozen;

    /** Then: the sample's reads up to and including the last tracked sequence's first read. */
    long countAtLimit;

    /** The first segment whose hashes were needed but not there (null when none). */
    transient FastqcStats missing;

    static Tracked of(List<FastqcStats> orderedSegments) {
      Tracked t = new Tracked();
      long readsBefore = 0;
      for (FastqcStats seg : orderedSegments) {
        if (!t.frozen && !seg.hasFirsts()) {
          t.missing = seg;
          return t;
        }
        for (int i = 0; i < seg.firsts && !t.frozen; i++) {
          if (t.set.add(seg.firstH1[i], seg.firstH2[i]) < 0) {
            if (t.size == t.h1.length) {
              t.h1 = Arrays.copyOf(t.h1, Math.max(64, t.size * 2));
              t.h2 = Arrays.copyOf(t.h2, t.h1.length);
              t.stringHashes = Arrays.copyOf(t.stringHashes, t.h1.length);
            }
            t.h1[t.size] = seg.firstH1[i];
            t.h2[t.size] = seg.firstH2[i];
            t.stringHashes[t.size] = seg.firstStringHashes[i];
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

  /** The current thread's CPU time in nanoseconds (0 where the JVM does not measure it). */
  static long threadCpu() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0;
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
    /** The ordinals of the columns in the rows, by {@link #FILE} to {@link #QUALITY}. */
    final int[] f;

    Buffers(int[] fields) {
      this.f = fields;
    }

    byte[] seq = new byte[256];
    byte[] qual = new byte[256];
    byte[] header = new byte[256];
    final long[] hash = new long[2];
    final long[] fullHash = new long[2];

    /**
     * Upper-cases {@code b[0..n)}, as FastQC reads sequences; 8 bytes at a time tell whether any of
     * them may be a lower-case letter (a byte of 0x60 or more).
     */
    static void upperCase(byte[] b, int n) {
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        long v = Hash128.getLong(b, i);
        if (((((v & 0x7f7f7f7f7f7f7f7fL) + 0x2020202020202020L) | v) & 0x8080808080808080L) != 0) {
          upperCase(b, i, i + 8);
        }
      }
      upperCase(b, i, n);
    }

    private static void upperCase(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] >= 'a' && b[i] <= 'z') {
          b[i] -= 'a' - 'A';
        }
      }
    }

    static byte[] fit(byte[] b, int n) {
      return b.length >= n ? b : new byte[Math.max(n, b.length * 2)];
    }

    /**
     * Copies the sequence and upper-cases it, as FastQC reads sequences; with {@code full}, first
     * hashes it as it is into {@link #fullHash} (the merged report counts sequences as written).
     */
    int sequence(UTF8String s, boolean full) {
      int n = copy(s, 0);
      byte[] b = seq;
      if (full) {
        Hash128.hash(b, n, fullHash);
      }
      upperCase(b, n);
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

    /** The current row, read in place when it is an {@code UnsafeRow} (else null). */
    private UnsafeRow unsafe;

    private Object base;
    private long baseOffset;
    private InternalRow row;

    /**
     * Makes {@code r} the current row. The scan's rows are {@code UnsafeRow}s, whose string fields
     * are read where they lie: no {@code UTF8String} per field and read (5 objects per read
     * otherwise, most of the pass's allocations).
     */
    void row(InternalRow r) {
      row = r;
      if (r instanceof UnsafeRow) {
        unsafe = (UnsafeRow) r;
        base = unsafe.getBaseObject();
        baseOffset = unsafe.getBaseOffset();
        baseBytes = base instanceof byte[] ? (byte[]) base : null;
      } else {
        unsafe = null;
      }
    }

    /**
     * The current row's base when it is a byte array (the scan's rows are): fields are then copied
     * with {@code System.arraycopy}, which C1 compiles inline, where {@code Unsafe.copyMemory}
     * checks both sides' classes on every call ({@code Class.isArray} alone was 2 % of the job's
     * CPU samples on 2 GiB).
     */
    private byte[] baseBytes;

    /** The length in bytes of string field {@code i} of the current row. */
    int length(int i) {
      return unsafe != null ? (int) unsafe.getLong(i) : row.getUTF8String(i).numBytes();
    }

    /** Copies string field {@code i} of the current row to {@code into[at..]}. */
    void copy(int i, byte[] into, int at) {
      if (baseBytes != null) {
        long offsetAndSize = unsafe.getLong(i);
        System.arraycopy(
            baseBytes,
            (int) (baseOffset - Platform.BYTE_ARRAY_OFFSET + (offsetAndSize >>> 32)),
            into,
            at,
            (int) offsetAndSize);
      } else if (unsafe != null) {
        long offsetAndSize = unsafe.getLong(i);
        Platform.copyMemory(
            base,
            baseOffset + (offsetAndSize >>> 32),
            into,
            Platform.BYTE_ARRAY_OFFSET + at,
            (int) offsetAndSize);
      } else {
        row.getUTF8String(i).writeToMemory(into, Platform.BYTE_ARRAY_OFFSET + at);
      }
    }

    /** True when string field {@code i} of the current row holds exactly {@code bytes}. */
    boolean fieldEquals(int i, byte[] bytes) {
      if (unsafe == null) {
        return row.getUTF8String(i).equals(UTF8String.fromBytes(bytes));
      }
      long offsetAndSize = unsafe.getLong(i);
      return (int) offsetAndSize == bytes.length
          && ByteArrayMethods.arrayEquals(
              base,
              baseOffset + (offsetAndSize >>> 32),
              bytes,
              Platform.BYTE_ARRAY_OFFSET,
              bytes.length);
    }

    /** String field {@code i} of the current row as a new array. */
    byte[] bytes(int i) {
      byte[] b = new byte[length(i)];
      copy(i, b, 0);
      return b;
    }

    /** Copies the current row's sequence as {@link #sequence(UTF8String, boolean)}. */
    int rowSequence(boolean full) {
      int n = length(f[SEQUENCE]);
      byte[] b = seq = fit(seq, n);
      copy(f[SEQUENCE], b, 0);
      if (full) {
        Hash128.hash(b, n, fullHash);
      }
      upperCase(b, n);
      return n;
    }

    /** Copies the current row's quality; returns its length. */
    int rowQuality() {
      int n = length(f[QUALITY]);
      qual = fit(qual, n);
      copy(f[QUALITY], qual, 0);
      return n;
    }

    /** Copies the header line FastQC sees (name, a space, the comment); returns its length. */
    int rowHeader() {
      int nameLen = length(f[NAME]);
      boolean hasComment = !row.isNullAt(f[COMMENT]);
      int headerLen = hasComment ? nameLen + 1 + length(f[COMMENT]) : nameLen;
      byte[] h = header = fit(header, headerLen);
      copy(f[NAME], h, 0);
      if (hasComment) {
        h[nameLen] = ' ';
        copy(f[COMMENT], h, nameLen + 1);
      }
      return headerLen;
    }
  }

  /**
   * Each read's (key, 128-bit hash) for the shuffle, combined on the way in a small direct-mapped
   * cache of (key, hash, count) entries that stays in the processor's cache: repeats of recent or
   * frequent sequences add to an entry, and an entry pushed out goes to its reducer's block. A hash
   * may so leave a partition several times, which the reducers add up. Unlike a table of every
   * distinct hash of the partition (one cache miss per read once it outgrows the cache, and the
   * reducers count again anyway), this writes the blocks in order.
   *
   * <p>A block holds, per key, {key, n1, n2, then n1 (h1, h2) pairs seen once, then n2 (h1, h2,
   * count) triples}: the key is written once per block, not per hash, and most entries leave the
   * cache with a count of 1, which is not written (16 bytes per entry mostly, against 32 for a
   * (key, h1, h2, count) quadruple).
   */
  static final class Combiner {
    /** Entries in the cache: 8,192 of 32 bytes, 256 KiB. */
    private static final int ENTRIES = 1 << 13;

    private final long[] cache = new long[4 * ENTRIES];
    private final int reducers;

    /** The keys seen so far, in order, and their channels. */
    private long[] keys = new long[4];

    private Channel[] channels = new Channel[4];
    private int nChannels;

    /** Each key's channel number (a partition may hold many small files). */
    private final HashMap<Long, Integer> numbers = new HashMap<>();

    /**
     * The two channels used last: entries of one key mostly follow each other, or two alternate (a
     * sample's and {@link #FULL}, or the sample before and the current one).
     */
    private int last = -1;

    private int previous = -1;

    Combiner(int reducers) {
      this.reducers = reducers;
    }

    /** One key's entries, per reducer: those seen once, and those with a count. */
    private static final class Channel {
      final long[][] once;
      final int[] onceUsed;
      final long[][] counted;
      final int[] countedUsed;

      Channel(int reducers) {
        once = new long[reducers][];
        onceUsed = new int[reducers];
        counted = new long[reducers][];
        countedUsed = new int[reducers];
      }
    }

    /** One occurrence of (h1, h2) under {@code key}. */
    void add(long key, long h1, long h2) {
      long[] c = cache;
      int at = 4 * ((int) (h1 ^ (h1 >>> 32) ^ key) & (ENTRIES - 1));
      long n = c[at + 3];
      if (n != 0) {
        if (c[at + 1] == h1 && c[at + 2] == h2 && c[at] == key) {
          c[at + 3] = n + 1;
          return;
        }
        emit(c[at], c[at + 1], c[at + 2], n);
      }
      c[at] = key;
      c[at + 1] = h1;
      c[at + 2] = h2;
      c[at + 3] = 1;
    }

    private Channel channel(long key) {
      if (last >= 0 && keys[last] == key) {
        return channels[last];
      }
      int i;
      if (previous >= 0 && keys[previous] == key) {
        i = previous;
      } else {
        Integer n = numbers.get(key);
        if (n != null) {
          i = n;
        } else {
          if (nChannels == keys.length) {
            keys = Arrays.copyOf(keys, nChannels * 2);
            channels = Arrays.copyOf(channels, nChannels * 2);
          }
          i = nChannels++;
          keys[i] = key;
          channels[i] = new Channel(reducers);
          numbers.put(key, i);
        }
      }
      previous = last;
      last = i;
      return channels[i];
    }

    private void emit(long key, long h1, long h2, long n) {
      Channel ch = channel(key);
      int b = Math.floorMod(h2, reducers);
      if (n == 1) {
        long[] o = ch.once[b];
        int u = ch.onceUsed[b];
        if (o == null || u + 2 > o.length) {
          ch.once[b] = o = o == null ? new long[32] : Arrays.copyOf(o, o.length * 2);
        }
        o[u] = h1;
        o[u + 1] = h2;
        ch.onceUsed[b] = u + 2;
      } else {
        long[] o = ch.counted[b];
        int u = ch.countedUsed[b];
        if (o == null || u + 3 > o.length) {
          ch.counted[b] = o = o == null ? new long[24] : Arrays.copyOf(o, o.length * 2);
        }
        o[u] = h1;
        o[u + 1] = h2;
        o[u + 2] = n;
        ch.countedUsed[b] = u + 3;
      }
    }

    /** Empties the cache; returns the blocks, one per reducer (empty when it gets nothing). */
    long[][] blocks() {
      long[] c = cache;
      for (int at = 0; at < c.length; at += 4) {
        if (c[at + 3] != 0) {
          emit(c[at], c[at + 1], c[at + 2], c[at + 3]);
          c[at + 3] = 0;
        }
      }
      long[][] blocks = new long[reducers][];
      for (int b = 0; b < reducers; b++) {
        int size = 0;
        for (int k = 0; k < nChannels; k++) {
          Channel ch = channels[k];
          if (ch.onceUsed[b] + ch.countedUsed[b] > 0) {
            size += 3 + ch.onceUsed[b] + ch.countedUsed[b];
          }
        }
        long[] block = new long[size];
        int at = 0;
        for (int k = 0; k < nChannels; k++) {
          Channel ch = channels[k];
          int once = ch.onceUsed[b];
          int counted = ch.countedUsed[b];
          if (once + counted == 0) {
            continue;
          }
          block[at] = keys[k];
          block[at + 1] = once / 2;
          block[at + 2] = counted / 3;
          at += 3;
          if (once > 0) {
            System.arraycopy(ch.once[b], 0, block, at, once);
            at += once;
          }
          if (counted > 0) {
            System.arraycopy(ch.counted[b], 0, block, at, counted);
            at += counted;
          }
          ch.once[b] = null;
          ch.counted[b] = null;
        }
        blocks[b] = block;
      }
      return blocks;
    }
  }

  /** Pass 1 over one partition's rows. */
  private static Part partOf(
      Iterator<InternalRow> rows,
      int[] fields,
      boolean merge,
      byte[][] adapters,
      int reducers,
      boolean full) {
    Part part = new Part();
    QcStats qc = full ? new QcStats() : null;
    Combiner combiner = new Combiner(reducers);
    Buffers buf = new Buffers(fields);
    int fileField = fields[FILE];
    int offsetField = fields[OFFSET];
    FastqcStats current = null;
    long key = 0;
    byte[] currentFile = null;
    String currentName = null;
    long lastOffset = Long.MIN_VALUE;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      buf.row(r);
      long offset = r.getLong(offsetField);
      // A new segment when the file changes or the reads jump back: each segment's reads are
      // consecutive in its file. Files are compared as bytes: no String per read.
      boolean newFile = currentFile == null || !buf.fieldEquals(fileField, currentFile);
      if (newFile || offset < lastOffset) {
        if (current != null) {
          // Its working tables go; what the report needs stays.
          current.finish();
        }
        if (newFile) {
          currentFile = buf.bytes(fileField);
          currentName = new String(currentFile, StandardCharsets.UTF_8);
        }
        current = new FastqcStats(merge ? MERGED : currentName, adapters.length);
        current.position(currentName, offset);
        part.segments.add(current);
        key = sampleHash(current.sample);
      }
      lastOffset = offset;
      // FastQC reads the tile from the whole header line: name, a space, the comment; not copied
      // once the segment has dropped the per-tile module.
      int headerLen = current.tilesIgnored ? 0 : buf.rowHeader();
      int len = buf.rowSequence(full);
      int qualLen = buf.rowQuality();
      current.add(buf.seq, buf.qual, len, buf.header, headerLen, adapters);
      int cut = cutLength(len);
      Hash128.hash(buf.seq, cut, buf.hash);
      long h1 = buf.hash[0];
      long h2 = buf.hash[1];
      current.addFirst(h1, h2, buf.seq, cut);
      combiner.add(key, h1, h2);
      if (full) {
        qc.add(buf.seq, len, buf.qual, qualLen);
        combiner.add(FULL, buf.fullHash[0], buf.fullHash[1]);
      }
    }
    if (current != null) {
      current.finish();
    }
    part.qc = qc;
    part.blocks = combiner.blocks();
    return part;
  }

  /** FastQC cuts sequences longer than 75 bases to their first 50 before counting them. */
  static int cutLength(int len) {
    return len > 75 ? 50 : len;
  }

  /**
   * For each sample in one reducer's share of the hashes (and for all inputs' cut sequences when
   * {@link #ALL_CUT} is tracked): {key, distinct sequences, then (tracked index, count) pairs for
   * the tracked sequences among them}; for {@link #FULL}: {FULL, distinct, then (occurrences,
   * sequences) pairs}, and {TOP, then (h1, h2, count) for the sequences seen more than once down to
   * the reducer's {@code topN}-th count, ties included}.
   */
  private static Iterator<long[]> countDistinct(
      Iterator<Tuple2<Integer, long[]>> blocks, Map<Long, HashSet128> tracked, int topN) {
    // Every hash is counted first (one table lookup per entry); the tracked ones are looked up
    // once per distinct hash afterwards.
    Map<Long, Counts> sets = new LinkedHashMap<>();
    HashSet128 allTracked = tracked.get(ALL_CUT);
    Counts allSet = allTracked == null ? null : new Counts();
    Counts full = new Counts();
    while (blocks.hasNext()) {
      long[] b = blocks.next()._2();
      for (int i = 0; i < b.length; ) {
        long key = b[i];
        int once = (int) b[i + 1];
        int counted = (int) b[i + 2];
        i += 3;
        boolean isFull = key == FULL;
        Counts set = isFull ? full : sets.computeIfAbsent(key, k -> new Counts());
        Counts also = isFull ? null : allSet;
        for (int end = i + 2 * once; i < end; i += 2) {
          set.add(b[i], b[i + 1], 1);
          if (also != null) {
            also.add(b[i], b[i + 1], 1);
          }
        }
        for (int end = i + 3 * counted; i < end; i += 3) {
          set.add(b[i], b[i + 1], b[i + 2]);
          if (also != null) {
            also.add(b[i], b[i + 1], b[i + 2]);
          }
        }
      }
    }
    if (allSet != null) {
      sets.put(ALL_CUT, allSet);
    }
    Map<Long, long[]> trackedCounts = new HashMap<>();
    sets.forEach(
        (k, set) -> {
          HashSet128 t = k == ALL_CUT ? allTracked : tracked.get(k);
          long[] c = new long[t == null ? 0 : t.size()];
          if (t != null) {
            set.forEach(
                (h1, h2, n) -> {
                  int m = t.indexOf(h1, h2);
                  if (m >= 0) {
                    c[m] += n;
                  }
                });
          }
          trackedCounts.put(k, c);
        });
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
    if (full.size() > 0) {
      out.add(full.levels());
      out.add(full.top(topN));
    }
    return out.iterator();
  }

  /**
   * The texts of the wanted hashes, once per partition: {sample or view name, h1, h2, text}. Cut
   * sequences of a sample and of all inputs ({@link #ALL_NAME}), whole sequences as written ({@link
   * #FULL_NAME}).
   */
  private static Iterator<String[]> textsOf(
      Iterator<InternalRow> rows, int[] fields, boolean merge, Map<String, HashSet128> wanted) {
    List<String[]> out = new ArrayList<>();
    Map<String, HashSet128> found = new HashMap<>();
    HashSet128 all = wanted.get(ALL_NAME);
    HashSet128 fullWanted = wanted.get(FULL_NAME);
    boolean full = fullWanted != null;
    Buffers buf = new Buffers(fields);
    UTF8String lastFile = null;
    String sample = null;
    HashSet128 w = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      UTF8String file = r.getUTF8String(fields[FILE]);
      if (lastFile == null || !file.equals(lastFile)) {
        lastFile = file.clone();
        sample = merge ? MERGED : lastFile.toString();
        w = wanted.get(sample);
      }
      if (w == null && all == null && !full) {
        continue;
      }
      UTF8String sequence = r.getUTF8String(fields[SEQUENCE]);
      int len = buf.sequence(sequence, full);
      int cut = cutLength(len);
      Hash128.hash(buf.seq, cut, buf.hash);
      if (w != null) {
        found(out, found, sample, w, buf.hash, buf.seq, cut, null);
      }
      if (all != null) {
        found(out, found, ALL_NAME, all, buf.hash, buf.seq, cut, null);
      }
      if (full) {
        found(out, found, FULL_NAME, fullWanted, buf.fullHash, null, 0, sequence);
      }
    }
    return out.iterator();
  }

  private static void found(
      List<String[]> out,
      Map<String, HashSet128> found,
      String key,
      HashSet128 wanted,
      long[] hash,
      byte[] text,
      int textLength,
      UTF8String whole) {
    if (wanted.indexOf(hash[0], hash[1]) >= 0
        && found.computeIfAbsent(key, k -> new HashSet128(16)).add(hash[0], hash[1]) < 0) {
      out.add(
          new String[] {
            key,
            Long.toString(hash[0]),
            Long.toString(hash[1]),
            whole != null
                ? whole.toString()
                : new String(text, 0, textLength, StandardCharsets.US_ASCII)
          });
    }
  }
}
