/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Quality control of FASTQ files read with fastq-mmap, in two forms ({@code --report}):
 *
 * <ul>
 *   <li>{@code fastqc}: FastQC 0.11.9's report per sample ({@link FastqcJob}, {@link
 *       FastqcReport}), written with {@code --out DIR} as {@code DIR/<sample>_fastqc/} for MultiQC;
 *       one sample per input file, or one for all with {@code --merge};
 *   <li>{@code merged}: one summary of all inputs (reads, bases, GC %, N %, mean read quality,
 *       read-length distribution, per-position quality, GC and mean-quality distributions, exact
 *       duplication and the most frequent sequences), printed, and with {@code --out DIR} written
 *       to {@code DIR/report.html} (PNG plots drawn by JFreeChart) and {@code DIR/qc-summary.tsv};
 *   <li>{@code both}, the default.
 * </ul>
 *
 * <pre>
 * spark-submit --jars fastq-mmap-spark4_2.13.jar --class io.github.fastqmmap.examples.FastqQc \
 *     fastq-mmap-examples.jar [--out DIR] [--report fastqc|merged|both] [--merge] \
 *     [--contaminants FILE] [--top N] [--option key=value ...] path [path ...]
 * </pre>
 *
 * Without a master from spark-submit it runs on the embedded {@code local[*]}.
 */
public final class FastqQc {
  private static final int DEFAULT_TOP = 10;

  private FastqQc() {}

  /** The parsed command line. */
  static final class Args {
    final List<String> paths = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    Path out;
    int top = DEFAULT_TOP;
    boolean merge;
    String report = "both";
    Path contaminants;

    static Args parse(String[] args) {
      Args a = new Args();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--option":
            String[] kv = value(args, ++i, arg).split("=", 2);
            if (kv.length != 2) {
              throw new IllegalArgumentException("--option needs key=value, got " + args[i]);
            }
            a.options.put(kv[0], kv[1]);
            break;
          case "--merge":
            a.merge = true;
            break;
          case "--report":
            a.report = value(args, ++i, arg);
            if (!List.of("fastqc", "merged", "both").contains(a.report)) {
              throw new IllegalArgumentException(
                  "--report must be fastqc, merged or both, got " + a.report);
            }
            break;
          case "--contaminants":
            a.contaminants = Paths.get(value(args, ++i, arg));
            break;
          case "--out":
            a.out = Paths.get(value(args, ++i, arg));
            break;
          case "--top":
            try {
              a.top = Integer.parseInt(value(args, ++i, arg));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--top needs a number, got " + args[i], e);
            }
            if (a.top < 0) {
              throw new IllegalArgumentException("--top must be 0 or more, got " + a.top);
            }
            break;
          default:
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown argument " + arg);
            }
            a.paths.add(arg);
        }
      }
      if (a.paths.isEmpty()) {
        throw new IllegalArgumentException("no FASTQ path given");
      }
      return a;
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }

  public static void main(String[] argv) throws Exception {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "fastq-mmap QC: "
              + e.getMessage()
              + "\nusage: FastqQc [--out DIR] [--report fastqc|merged|both] [--merge]"
              + " [--contaminants FILE] [--top N] [--option key=value ...] path [path ...]");
      System.exit(2);
      return;
    }
    // The plots are drawn off-screen; no display is needed (or wanted) on a cluster node.
    System.setProperty("java.awt.headless", "true");
    SparkSession.Builder builder = SparkSession.builder().appName("fastq-mmap QC");
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    // A local run is over in seconds: starting the web UI (Jetty) costs more than it shows. Set
    // spark.ui.enabled=true to keep it.
    if (conf.get("spark.master", "local[*]").startsWith("local")
        && !conf.contains("spark.ui.enabled")) {
      builder.config("spark.ui.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      execute(spark, args);
    } finally {
      spark.stop();
    }
  }

  /** Runs the QC that {@code argv} asks for in {@code spark}, which stays open. */
  public static void execute(SparkSession spark, String... argv) throws IOException {
    execute(spark, Args.parse(argv));
  }

  private static void execute(SparkSession spark, Args args) throws IOException {
    System.out.println("fastq-mmap QC of " + String.join(", ", args.paths));
    boolean perSample = !args.report.equals("merged");
    boolean merged = !args.report.equals("fastqc");
    FastqcConfig cfg = FastqcConfig.load(args.contaminants);
    if (perSample) {
      System.out.println(
          cfg.contaminantSource == null
              ? "No FastQC contaminant list found (give --contaminants FILE, or install"
                  + " fastqc): overrepresented sequences are reported without a source."
              : "Contaminants from " + cfg.contaminantSource);
    }
    // Both reports come from the same passes over the reads.
    FastqcJob.Result result =
        FastqcJob.run(spark, args.paths, args.options, args.merge, cfg, merged ? args.top : -1);
    if (perSample) {
      for (FastqcJob.Sample s : result.samples) {
        String line =
            String.format(
                Locale.ROOT,
                "%s: %,d reads, %%GC %d, %.2f %% of sequences left after deduplication",
                s.fileName(),
                s.stats.reads,
                FastqcReport.gcPercent(s.stats),
                s.stats.reads == 0
                    ? 100.0
                    : 100.0 * s.duplication.distinctSequences() / s.stats.reads);
        if (args.out != null) {
          Path dir = FastqcReport.write(args.out, s.fileName(), s.stats, s.duplication, cfg);
          line += " -> " + dir.resolve(FastqcReport.DATA);
        }
        System.out.println(line);
      }
    }
    if (merged) {
      System.out.print(table(result.qc, result.duplication));
      System.out.print(topSequences(result.qc, result.duplication, 5));
      if (args.out != null) {
        QcReport.write(args.out, args.paths, result.qc, result.duplication, result.all, cfg);
        System.out.println("HTML report: " + args.out.resolve("report.html").toAbsolutePath());
      }
    }
    if (args.out == null) {
      System.out.println("(add --out DIR for the FastQC-format reports and the HTML report)");
    }
  }

  /** Everything one QC run computed. */
  public static final class QcRun {
    public final QcStats stats;
    public final Duplication duplication;

    QcRun(QcStats stats, Duplication duplication) {
      this.stats = stats;
      this.duplication = duplication;
    }
  }

  /**
   * Runs the merged report's QC: totals and exact duplication of whole sequences, in the passes of
   * {@link FastqcJob}.
   */
  public static QcRun run(
      SparkSession spark, List<String> paths, Map<String, String> options, int topN) {
    FastqcJob.Result r;
    try {
      r = FastqcJob.run(spark, paths, options, false, FastqcConfig.load(null), topN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new QcRun(r.qc, r.duplication);
  }

  /** The totals as a two-column text table. */
  public static String table(QcStats s, Duplication d) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("reads", String.format(Locale.ROOT, "%,d", s.reads()));
    rows.put("bases", String.format(Locale.ROOT, "%,d", s.bases()));
    rows.put("GC %", String.format(Locale.ROOT, "%.2f", s.gcPercent()));
    rows.put("N %", String.format(Locale.ROOT, "%.3f", s.nPercent()));
    rows.put("mean read quality", String.format(Locale.ROOT, "%.2f", s.meanReadQuality()));
    rows.put(
        "read length (min / mean / max)",
        String.format(Locale.ROOT, "%d / %.1f / %d", s.minLength(), s.meanLength(), s.maxLength()));
    if (d != null) {
      rows.put("distinct sequences", String.format(Locale.ROOT, "%,d", d.distinctSequences()));
      rows.put(
          "duplicate reads %",
          String.format(Locale.ROOT, "%.2f", duplicatePercent(s.reads(), d.distinctSequences())));
    }
    return asTable(List.of("metric", "value"), rows);
  }

  /** Reads that repeat an earlier read's sequence, in percent of all reads. */
  static double duplicatePercent(long reads, long distinct) {
    return reads == 0 ? 0 : 100.0 * (reads - distinct) / reads;
  }

  static String topSequences(QcStats s, Duplication d, int limit) {
    if (d.top().isEmpty()) {
      return "No sequence occurs more than once.\n";
    }
    Map<String, String> rows = new LinkedHashMap<>();
    for (Duplication.SequenceCount c : d.top().subList(0, Math.min(limit, d.top().size()))) {
      String seq = c.sequence.length() > 40 ? c.sequence.substring(0, 37) + "..." : c.sequence;
      rows.put(
          seq,
          String.format(
              Locale.ROOT,
              "%,d (%.2f %%)",
              c.count,
              s.reads() == 0 ? 0 : 100.0 * c.count / s.reads()));
    }
    return "Most frequent sequences:\n" + asTable(List.of("sequence", "reads"), rows);
  }

  private static String asTable(List<String> header, Map<String, String> rows) {
    int keyWidth =
        Math.max(
            header.get(0).length(),
            rows.keySet().stream().mapToInt(String::length).max().orElse(0));
    int valueWidth =
        Math.max(
            header.get(1).length(),
            rows.values().stream().mapToInt(String::length).max().orElse(0));
    String rule = "+" + "-".repeat(keyWidth + 2) + "+" + "-".repeat(valueWidth + 2) + "+\n";
    String format = "| %-" + keyWidth + "s | %" + valueWidth + "s |%n";
    StringBuilder out = new StringBuilder(rule);
    out.append(String.format(Locale.ROOT, format, header.get(0), header.get(1)));
    out.append(rule);
    rows.forEach((k, v) -> out.append(String.format(Locale.ROOT, format, k, v)));
    out.append(rule);
    return out.toString();
  }
}
