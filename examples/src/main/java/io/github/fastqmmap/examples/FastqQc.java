package io.github.fastqmmap.examples;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Quality control of FASTQ files read with fastq-mmap: reads, bases, GC %, N %, mean read quality
 * and the length range, printed as a table.
 *
 * <pre>
 * spark-submit --jars fastq-mmap-connector.jar --class io.github.fastqmmap.examples.FastqQc \
 *     fastq-mmap-examples.jar [--option key=value ...] path [path ...]
 * </pre>
 *
 * Without a master from spark-submit it runs on the embedded {@code local[*]}.
 */
public final class FastqQc {
  private FastqQc() {}

  public static void main(String[] args) {
    List<String> paths = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--option") && i + 1 < args.length) {
        String[] kv = args[++i].split("=", 2);
        if (kv.length != 2) {
          usage("--option needs key=value, got " + args[i]);
        }
        options.put(kv[0], kv[1]);
      } else if (args[i].startsWith("--")) {
        usage("unknown argument " + args[i]);
      } else {
        paths.add(args[i]);
      }
    }
    if (paths.isEmpty()) {
      usage("no FASTQ path given");
    }
    SparkSession.Builder builder = SparkSession.builder().appName("fastq-mmap QC");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      QcStats stats = run(spark, paths, options);
      System.out.println("fastq-mmap QC of " + String.join(", ", paths));
      System.out.print(table(stats));
    } finally {
      spark.stop();
    }
  }

  /** Computes the QC totals of the given paths. */
  public static QcStats run(SparkSession spark, List<String> paths, Map<String, String> options) {
    Dataset<Row> reads =
        spark
            .read()
            .format("fastq-mmap")
            .options(options)
            .load(paths.toArray(new String[0]))
            .select("sequence", "quality");
    MapPartitionsFunction<Row, QcStats> perPartition =
        (Iterator<Row> rows) -> {
          QcStats s = new QcStats();
          while (rows.hasNext()) {
            Row r = rows.next();
            s.add(r.getString(0), r.getString(1));
          }
          return List.of(s).iterator();
        };
    return reads
        .mapPartitions(perPartition, Encoders.javaSerialization(QcStats.class))
        .reduce((org.apache.spark.api.java.function.ReduceFunction<QcStats>) QcStats::merge);
  }

  /** The totals as a two-column text table. */
  public static String table(QcStats s) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("reads", String.format(Locale.ROOT, "%,d", s.reads()));
    rows.put("bases", String.format(Locale.ROOT, "%,d", s.bases()));
    rows.put("GC %", String.format(Locale.ROOT, "%.2f", s.gcPercent()));
    rows.put("N %", String.format(Locale.ROOT, "%.3f", s.nPercent()));
    rows.put("mean read quality", String.format(Locale.ROOT, "%.2f", s.meanReadQuality()));
    rows.put(
        "read length (min / mean / max)",
        String.format(Locale.ROOT, "%d / %.1f / %d", s.minLength(), s.meanLength(), s.maxLength()));
    int keyWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
    int valueWidth = rows.values().stream().mapToInt(String::length).max().orElse(0);
    String rule = "+" + "-".repeat(keyWidth + 2) + "+" + "-".repeat(valueWidth + 2) + "+\n";
    StringBuilder out = new StringBuilder(rule);
    out.append(
        String.format(
            Locale.ROOT, "| %-" + keyWidth + "s | %" + valueWidth + "s |%n", "metric", "value"));
    out.append(rule);
    rows.forEach(
        (k, v) ->
            out.append(
                String.format(
                    Locale.ROOT, "| %-" + keyWidth + "s | %" + valueWidth + "s |%n", k, v)));
    out.append(rule);
    return out.toString();
  }

  private static void usage(String problem) {
    System.err.println(
        "fastq-mmap QC: " + problem + "\nusage: FastqQc [--option key=value ...] path [path ...]");
    System.exit(2);
  }
}
