package io.github.fastqmmap.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

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

    // Pass 2: hashes of the (cut) sequences, first occurrence and count per sample.
    StructType schema =
        new StructType()
            .add("sample", DataTypes.StringType)
            .add("file", DataTypes.StringType)
            .add("offset", DataTypes.LongType)
            .add("h1", DataTypes.LongType)
            .add("h2", DataTypes.LongType)
            .add("n", DataTypes.LongType);
    JavaRDD<Row> hashRows = rows.mapPartitions(it -> hashesOf(it, merge));
    Dataset<Row> distinct =
        spark
            .createDataFrame(hashRows, schema)
            .groupBy("sample", "h1", "h2")
            .agg(min(struct(col("file"), col("offset"))).as("first"), sum("n").as("n"));
    Dataset<Row> ranked =
        distinct
            .withColumn(
                "rank", row_number().over(Window.partitionBy("sample").orderBy(col("first"))))
            .withColumn("distinct", count(lit(1)).over(Window.partitionBy("sample")))
            .where(col("rank").leq(FastqcDuplication.OBSERVATION_CUTOFF))
            .select(
                col("sample"),
                col("h1"),
                col("h2"),
                col("first.file"),
                col("first.offset"),
                col("n"),
                col("rank"),
                col("distinct"));
    Map<String, List<Row>> tracked = new HashMap<>();
    for (Row r : ranked.collectAsList()) {
      tracked.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }

    // Pass 3, for samples past the cut-off: reads up to the last tracked sequence's first read.
    Map<String, Long> countAtLimit = new HashMap<>();
    Column upTo = null;
    for (Map.Entry<String, List<Row>> e : tracked.entrySet()) {
      for (Row r : e.getValue()) {
        if (r.getInt(6) == FastqcDuplication.OBSERVATION_CUTOFF) {
          Column c =
              merge
                  ? col("_file")
                      .lt(r.getString(3))
                      .or(
                          col("_file")
                              .equalTo(r.getString(3))
                              .and(col("_offset").leq(r.getLong(4))))
                  : col("_file").equalTo(r.getString(3)).and(col("_offset").leq(r.getLong(4)));
          upTo = upTo == null ? c : upTo.or(c);
        }
      }
    }
    if (upTo != null) {
      Dataset<Row> counted =
          reads
              .select("_file", "_offset")
              .where(upTo)
              .groupBy(merge ? lit(MERGED).as("sample") : col("_file").as("sample"))
              .count();
      for (Row r : counted.collectAsList()) {
        countAtLimit.put(r.getString(0), r.getLong(1));
      }
    }

    // Overrepresented: tracked hashes above FastQC's limit; pass 4 fetches their text.
    Map<String, Set<List<Long>>> wanted = new HashMap<>();
    for (Map.Entry<String, List<Row>> e : tracked.entrySet()) {
      long total = stats.get(e.getKey()).reads;
      for (Row r : e.getValue()) {
        if ((double) r.getLong(5) / total * 100 > FastqcConfig.OVERREPRESENTED_WARN) {
          wanted
              .computeIfAbsent(e.getKey(), k -> new HashSet<>())
              .add(List.of(r.getLong(1), r.getLong(2)));
        }
      }
    }
    Map<String, Map<List<Long>, String>> texts = new HashMap<>();
    if (!wanted.isEmpty()) {
      HashMap<String, Set<List<Long>>> lookup = new HashMap<>(wanted);
      for (String[] found : rows.mapPartitions(it -> textsOf(it, merge, lookup)).collect()) {
        texts
            .computeIfAbsent(found[0], k -> new HashMap<>())
            .putIfAbsent(List.of(Long.parseLong(found[1]), Long.parseLong(found[2])), found[3]);
      }
    }

    List<Sample> out = new ArrayList<>();
    for (Map.Entry<String, FastqcStats> e : stats.entrySet()) {
      String sample = e.getKey();
      FastqcStats s = e.getValue();
      List<Row> t = tracked.getOrDefault(sample, List.of());
      long[] counts = new long[t.size()];
      List<FastqcDuplication.Overrepresented> over = new ArrayList<>();
      long distinctAll = t.isEmpty() ? 0 : t.get(0).getLong(7);
      for (int i = 0; i < counts.length; i++) {
        Row r = t.get(i);
        counts[i] = r.getLong(5);
        String text = texts.getOrDefault(sample, Map.of()).get(List.of(r.getLong(1), r.getLong(2)));
        if (text != null) {
          over.add(new FastqcDuplication.Overrepresented(text, counts[i]));
        }
      }
      long atLimit = countAtLimit.getOrDefault(sample, s.reads);
      out.add(
          new Sample(
              sample, s, new FastqcDuplication(s.reads, atLimit, counts, distinctAll, over)));
    }
    return out;
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
    }
    return out.iterator();
  }

  /** FastQC cuts sequences longer than 75 bases to their first 50 before counting them. */
  static int cutLength(int len) {
    return len > 75 ? 50 : len;
  }

  /** Hash key of a partition's distinct sequence. */
  private static final class Key {
    final String sample;
    final long h1;
    final long h2;

    Key(String sample, long h1, long h2) {
      this.sample = sample;
      this.h1 = h1;
      this.h2 = h2;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key
          && ((Key) o).h1 == h1
          && ((Key) o).h2 == h2
          && ((Key) o).sample.equals(sample);
    }

    @Override
    public int hashCode() {
      return (int) h1;
    }
  }

  private static Iterator<Row> hashesOf(Iterator<InternalRow> rows, boolean merge) {
    // First occurrence (file, offset) and count of each hash within the partition.
    Map<Key, Object[]> seen = new HashMap<>();
    Buffers buf = new Buffers();
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      String file = r.getUTF8String(0).toString();
      long offset = r.getLong(1);
      int len = buf.sequence(r.getUTF8String(4));
      Hash128.hash(buf.seq, cutLength(len), buf.hash);
      Key k = new Key(merge ? MERGED : file, buf.hash[0], buf.hash[1]);
      Object[] v = seen.get(k);
      if (v == null) {
        seen.put(k, new Object[] {file, offset, 1L});
      } else {
        v[2] = (Long) v[2] + 1;
        int cmp = file.compareTo((String) v[0]);
        if (cmp < 0 || (cmp == 0 && offset < (Long) v[1])) {
          v[0] = file;
          v[1] = offset;
        }
      }
    }
    List<Row> out = new ArrayList<>(seen.size());
    seen.forEach((k, v) -> out.add(RowFactory.create(k.sample, v[0], v[1], k.h1, k.h2, v[2])));
    return out.iterator();
  }

  private static Iterator<String[]> textsOf(
      Iterator<InternalRow> rows, boolean merge, Map<String, Set<List<Long>>> wanted) {
    List<String[]> out = new ArrayList<>();
    Set<List<Long>> found = new HashSet<>();
    Buffers buf = new Buffers();
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      String sample = merge ? MERGED : r.getUTF8String(0).toString();
      Set<List<Long>> w = wanted.get(sample);
      if (w == null) {
        continue;
      }
      int len = buf.sequence(r.getUTF8String(4));
      int cut = cutLength(len);
      Hash128.hash(buf.seq, cut, buf.hash);
      List<Long> key = List.of(buf.hash[0], buf.hash[1]);
      if (w.contains(key)
          && found.add(List.of(buf.hash[0], buf.hash[1], (long) sample.hashCode()))) {
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
