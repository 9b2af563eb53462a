package io.github.fastqmmap.examples;

import io.github.fastqmmap.spark.FastqMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Quality control of FASTQ files read with fastq-mmap, as FastQC reports it: reads, bases, GC %, N
 * %, mean read quality, read-length distribution, per-position quality (mean and quartiles per
 * cycle), GC and mean-quality distributions over reads, and the most frequent sequences. Prints a
 * summary and, with {@code --out DIR}, writes {@code DIR/report.html} (with PNG plots drawn by
 * JFreeChart) and {@code DIR/qc-summary.tsv} (every number of the report, for machines).
 *
 * <pre>
 * spark-submit --jars fastq-mmap-connector.jar --class io.github.fastqmmap.examples.FastqQc \
 *     fastq-mmap-examples.jar [--out DIR] [--top N] [--diagnostics] [--option key=value ...] \
 *     path [path ...]
 * </pre>
 *
 * Without a master from spark-submit it runs on the embedded {@code local[*]}.
 *
 * <p>{@code --diagnostics} prints, and writes to {@code DIR/diagnostics.tsv}, where the reading
 * happened: the driver's process id, and for every partition the executor id and process id of the
 * JVM that read it; then the connector's accumulators ({@code fastq-mmap.*}) summed per executor
 * from the successful tasks, and the SQL metrics of the scan node. The TSV lines are:
 *
 * <pre>
 * driver       pid          &lt;pid&gt;
 * driver       executorId   &lt;id&gt;
 * driver       master       &lt;master URL&gt;
 * driver       applicationId &lt;id&gt;
 * partition    &lt;index&gt;      &lt;executor id&gt;  &lt;pid&gt;  &lt;reads&gt;  &lt;bases&gt;
 * accumulator  &lt;name&gt;       &lt;executor id&gt;  &lt;value&gt;
 * sqlMetric    &lt;name&gt;       &lt;value&gt;
 * </pre>
 */
public final class FastqQc {
  /** The job group of the statistics pass (the one the diagnostics describe). */
  public static final String STATS_JOB_GROUP = "fastq-mmap-qc-stats";

  private static final int DEFAULT_TOP = 10;

  private FastqQc() {}

  /** The parsed command line. */
  static final class Args {
    final List<String> paths = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    Path out;
    int top = DEFAULT_TOP;
    boolean diagnostics;

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
          case "--diagnostics":
            a.diagnostics = true;
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
              + "\nusage: FastqQc [--out DIR] [--top N] [--diagnostics] [--option key=value ...]"
              + " path [path ...]");
      System.exit(2);
      return;
    }
    // The plots are drawn off-screen; no display is needed (or wanted) on a cluster node.
    System.setProperty("java.awt.headless", "true");
    SparkSession.Builder builder = SparkSession.builder().appName("fastq-mmap QC");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      QcRun run = run(spark, args.paths, args.options, args.top);
      System.out.println("fastq-mmap QC of " + String.join(", ", args.paths));
      System.out.print(table(run.stats, run.duplication));
      System.out.print(topSequences(run.stats, run.duplication, 5));
      if (args.diagnostics) {
        System.out.print(run.describeDiagnostics());
      }
      if (args.out != null) {
        QcReport.write(args.out, args.paths, run.stats, run.duplication);
        if (args.diagnostics) {
          Files.writeString(
              args.out.resolve("diagnostics.tsv"), run.diagnosticsTsv(), StandardCharsets.UTF_8);
        }
        System.out.println("HTML report: " + args.out.resolve("report.html").toAbsolutePath());
      } else {
        System.out.println("(add --out DIR for the HTML report with plots)");
      }
    } finally {
      spark.stop();
    }
  }

  /** Everything one QC run computed, and where the reading happened. */
  public static final class QcRun {
    public final QcStats stats;
    public final Duplication duplication;

    /** The statistics pass's partitions, by index. */
    public final List<PartitionQc> partitions;

    /** Accumulator name -> executor id -> value sent by that executor's successful tasks. */
    public final Map<String, Map<String, Long>> accumulators;

    /** SQL metrics of the statistics pass's scan node. */
    public final Map<String, Long> sqlMetrics;

    public final long driverPid;
    public final String driverExecutorId;
    public final String master;
    public final String applicationId;

    QcRun(
        QcStats stats,
        Duplication duplication,
        List<PartitionQc> partitions,
        Map<String, Map<String, Long>> accumulators,
        Map<String, Long> sqlMetrics,
        long driverPid,
        String driverExecutorId,
        String master,
        String applicationId) {
      this.stats = stats;
      this.duplication = duplication;
      this.partitions = partitions;
      this.accumulators = accumulators;
      this.sqlMetrics = sqlMetrics;
      this.driverPid = driverPid;
      this.driverExecutorId = driverExecutorId;
      this.master = master;
      this.applicationId = applicationId;
    }

    /** An accumulator's total over executors (0 when absent). */
    public long accumulatorTotal(String name) {
      return accumulators.getOrDefault(name, Map.of()).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }

    String diagnosticsTsv() {
      StringBuilder s = new StringBuilder();
      s.append("driver\tpid\t").append(driverPid).append('\n');
      s.append("driver\texecutorId\t").append(driverExecutorId).append('\n');
      s.append("driver\tmaster\t").append(master).append('\n');
      s.append("driver\tapplicationId\t").append(applicationId).append('\n');
      for (PartitionQc p : partitions) {
        s.append(
            String.format(
                Locale.ROOT,
                "partition\t%d\t%s\t%d\t%d\t%d%n",
                p.partition,
                p.executorId,
                p.pid,
                p.stats.reads(),
                p.stats.bases()));
      }
      accumulators.forEach(
          (name, byExecutor) ->
              byExecutor.forEach(
                  (executor, value) ->
                      s.append("accumulator\t")
                          .append(name)
                          .append('\t')
                          .append(executor)
                          .append('\t')
                          .append(value)
                          .append('\n')));
      sqlMetrics.forEach(
          (name, value) ->
              s.append("sqlMetric\t").append(name).append('\t').append(value).append('\n'));
      return s.toString();
    }

    String describeDiagnostics() {
      StringBuilder s = new StringBuilder("\nWhere the reads were read (--diagnostics):\n");
      s.append(
          String.format(
              Locale.ROOT,
              "  driver: pid %d, executor id '%s', master %s, application %s%n",
              driverPid,
              driverExecutorId,
              master,
              applicationId));
      Map<String, long[]> byExecutor = new LinkedHashMap<>();
      for (PartitionQc p : partitions) {
        long[] v =
            byExecutor.computeIfAbsent(p.executorId + " (pid " + p.pid + ")", k -> new long[3]);
        v[0]++;
        v[1] += p.stats.reads();
        v[2] += p.stats.bases();
      }
      byExecutor.forEach(
          (executor, v) ->
              s.append(
                  String.format(
                      Locale.ROOT,
                      "  executor %s: %d partitions, %,d reads, %,d bases%n",
                      executor,
                      v[0],
                      v[1],
                      v[2])));
      for (String metric : List.of("records", "bases")) {
        String name = "fastq-mmap." + metric;
        s.append(
            String.format(
                Locale.ROOT,
                "  accumulator %s = %,d %s; SQL metric %s = %,d%n",
                name,
                accumulatorTotal(name),
                accumulators.getOrDefault(name, Map.of()),
                metric,
                sqlMetrics.getOrDefault(metric, -1L)));
      }
      return s.toString();
    }
  }

  /** Runs the QC: one pass for the statistics, one for the sequence duplication. */
  public static QcRun run(
      SparkSession spark, List<String> paths, Map<String, String> options, int topN)
      throws InterruptedException, TimeoutException {
    Dataset<Row> reads =
        spark.read().format("fastq-mmap").options(options).load(paths.toArray(new String[0]));
    Dataset<PartitionQc> perPartition =
        reads
            .select("sequence", "quality")
            .mapPartitions(
                (MapPartitionsFunction<Row, PartitionQc>) PartitionQc::compute,
                Encoders.javaSerialization(PartitionQc.class));
    SparkContext sc = spark.sparkContext();
    ScanAccumulatorListener listener = new ScanAccumulatorListener(STATS_JOB_GROUP);
    sc.addSparkListener(listener);
    List<PartitionQc> partitions;
    try {
      sc.setJobGroup(STATS_JOB_GROUP, "fastq-mmap QC: statistics", false);
      try {
        partitions = new ArrayList<>(perPartition.collectAsList());
      } finally {
        sc.clearJobGroup();
      }
      listener.awaitJobs(60, TimeUnit.SECONDS);
    } finally {
      sc.removeSparkListener(listener);
    }
    FastqMetrics scanMetrics = FastqMetrics.of(perPartition);
    Map<String, Long> sqlMetrics = new TreeMap<>(scanMetrics.asMap());
    sqlMetrics.put("numOutputRows", scanMetrics.outputRows());
    partitions.sort(Comparator.comparingInt(p -> p.partition));
    QcStats stats = new QcStats();
    for (PartitionQc p : partitions) {
      stats.merge(p.stats);
    }
    Duplication duplication = Duplication.compute(reads.select("sequence"), topN);
    return new QcRun(
        stats,
        duplication,
        partitions,
        listener.byAccumulator(),
        sqlMetrics,
        ProcessHandle.current().pid(),
        sc.env().executorId(),
        sc.master(),
        sc.applicationId());
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
