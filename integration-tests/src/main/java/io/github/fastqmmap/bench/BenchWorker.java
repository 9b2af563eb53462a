/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sum;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.spark.FastqMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of the read benchmark: one JVM, one {@code SparkSession} on one master ({@code
 * local[1]} or {@code local[2]}), every case run after its warm-up, every answer checked, each
 * result appended to the results file as soon as it is known.
 */
final class BenchWorker {
  private final SparkSession spark;
  private final String master;
  private final int runs;
  private final int warmups;
  private final long rssSampleMillis;
  private final PrintStream log;
  private final Path resultsFile;

  private BenchWorker(
      SparkSession spark,
      String master,
      int runs,
      int warmups,
      long rssSampleMillis,
      Path resultsFile,
      PrintStream log) {
    this.spark = spark;
    this.master = master;
    this.runs = runs;
    this.warmups = warmups;
    this.rssSampleMillis = rssSampleMillis;
    this.resultsFile = resultsFile;
    this.log = log;
  }

  /** Entry point of the Spark JVM ({@code ReadBenchmark --worker ...}). */
  static int main(Args a) throws IOException {
    String master = a.get("master", "local[1]");
    Path results = Path.of(a.require("results"));
    List<BenchData.DataFile> files = new ArrayList<>();
    for (String d : a.all("data")) {
      int eq = d.indexOf('=');
      files.add(BenchData.DataFile.of(d.substring(0, eq), Path.of(d.substring(eq + 1))));
    }
    List<BenchCase> cases = new ArrayList<>();
    for (String c : a.get("cases", BenchCase.ids()).split(",")) {
      cases.add(BenchCase.fromId(c));
    }
    Map<String, String> options = a.options("option");
    SparkSession spark = BenchRunner.session("fastq-mmap read benchmark " + master, master, 0);
    try {
      BenchWorker w =
          new BenchWorker(
              spark,
              master,
              a.getInt("runs", 5),
              a.getInt("warmups", 1),
              a.getLong("rss-sample-ms", 10),
              results,
              System.out);
      Result info = w.info();
      if (a.has("overhead-file")) {
        w.fixedCost(info, a.require("overhead-file"));
      }
      w.append(info);
      if (a.has("sweep")) {
        w.sweep(files, cases, options, a);
      } else {
        for (List<BenchData.DataFile> states : byKind(files)) {
          for (int i = 0; i < cases.size(); i++) {
            for (BenchData.DataFile f : BenchRunner.rotated(states, i)) {
              w.append(w.runCase(cases.get(i), f, options));
            }
          }
        }
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  /**
   * The files grouped by kind, each group holding one kind in its page-cache states. Each case
   * reads a kind in all its states before the next case, in an order rotated by one per case
   * ({@link BenchRunner#rotated}): no state always runs first, on the least warmed-up JVM.
   */
  private static List<List<BenchData.DataFile>> byKind(List<BenchData.DataFile> files) {
    Map<BenchData.Kind, List<BenchData.DataFile>> groups = new LinkedHashMap<>();
    for (BenchData.DataFile f : files) {
      groups.computeIfAbsent(f.kind, k -> new ArrayList<>()).add(f);
    }
    return new ArrayList<>(groups.values());
  }

  private Result info() {
    return new Result()
        .put("type", "info")
        .put("mode", master)
        .put("spark", spark.version())
        .put("hadoop", org.apache.hadoop.util.VersionInfo.getVersion())
        .put("defaultParallelism", spark.sparkContext().defaultParallelism())
        .put("pid", ProcessHandle.current().pid())
        .put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
        .put("hwmReset", ProcInfo.resetPeakRss());
  }

  /**
   * The fixed cost of one query: fastq-mmap count() and text().count() of a one-record file
   * (planning, one job, one task), median of as many runs as the cases get, after at least one
   * warm-up. It is part of every timed run, and dominates small files.
   */
  private void fixedCost(Result info, String path) {
    String[] cases = {"fastq", "text"};
    for (String c : cases) {
      double[] seconds = new double[Math.max(1, runs)];
      for (int i = -Math.max(1, warmups); i < seconds.length; i++) {
        long t0 = System.nanoTime();
        long n =
            c.equals("fastq")
                ? spark.read().format("fastq-mmap").load(path).count()
                : spark.read().text(path).count();
        double s = (System.nanoTime() - t0) / 1e9;
        if (n != (c.equals("fastq") ? 1 : 4)) {
          throw new IllegalStateException(c + " count of " + path + " was " + n);
        }
        if (i >= 0) {
          seconds[i] = s;
        }
      }
      info.put("fixedCost." + c, String.format(Locale.ROOT, "%.4f", Result.median(seconds)));
    }
  }

  private void sweep(
      List<BenchData.DataFile> files, List<BenchCase> cases, Map<String, String> base, Args a)
      throws IOException {
    String[] windows = a.get("sweep-windows", "4m,16m,64m,256m").split(",");
    String[] prefetches = a.get("sweep-prefetch", "0,2m,8m,32m").split(",");
    String[] advices = a.get("sweep-advice", "normal,sequential,willneed").split(",");
    for (BenchData.DataFile f : files) {
      for (String window : windows) {
        for (String prefetch : prefetches) {
          for (String advice : advices) {
            Map<String, String> options = new LinkedHashMap<>(base);
            options.put("windowBytes", window.trim());
            options.put("prefetchBytes", prefetch.trim());
            options.put("readAdvice", advice.trim());
            for (BenchCase c : cases) {
              append(runCase(c, f, options).put("sweep", true));
            }
          }
        }
      }
    }
  }

  private void append(Result r) throws IOException {
    Files.writeString(
        resultsFile,
        r.line() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** One run's measurements. */
  private static final class Run {
    double seconds;
    Map<String, Long> answer;
    long processMinorFaults;
    long processMajorFaults;
    long allocatedBytes;
    long cpuNanos;
    long gcMillis;
    FastqMetrics metrics;
  }

  Result runCase(BenchCase c, BenchData.DataFile f, Map<String, String> options) {
    Truth truth = f.truth;
    Result r =
        new Result()
            .put("type", "case")
            .put("mode", master)
            .put("file", f.label())
            .put("case", c.id())
            .put("bytes", truth.fileBytes)
            .put("records", truth.records);
    if (c.fastqMmap()) {
      for (Map.Entry<String, String> o : options.entrySet()) {
        r.put("opt." + o.getKey(), o.getValue());
      }
    }
    Set<String> problems = new LinkedHashSet<>();
    String where = String.format(Locale.ROOT, "[%s] %s %s", master, f.label(), c.id());
    if (c.fastqMmap() && !options.isEmpty()) {
      where += " " + options;
    }
    try {
      for (int i = 0; i < warmups; i++) {
        Run run = once(c, f, options);
        problems.addAll(c.check(run.answer, truth));
        log.printf(Locale.ROOT, "%s warm-up %d/%d: %.3f s%n", where, i + 1, warmups, run.seconds);
      }
      System.gc();
      boolean reset = ProcInfo.resetPeakRss();
      long rssBase = ProcInfo.status("VmRSS");
      long rssFileBase = ProcInfo.status("RssFile");
      double[] seconds = new double[runs];
      long[] procMinor = new long[runs];
      long[] procMajor = new long[runs];
      long[] allocated = new long[runs];
      double[] coresBusy = new double[runs];
      long[] gcMillis = new long[runs];
      Map<ReadMetric, long[]> scan = new LinkedHashMap<>();
      Map<String, Long> lastAnswer = null;
      ProcInfo.RssSampler sampler = new ProcInfo.RssSampler(rssSampleMillis);
      try {
        for (int i = 0; i < runs; i++) {
          Run run = once(c, f, options);
          List<String> p = c.check(run.answer, truth);
          problems.addAll(p);
          seconds[i] = run.seconds;
          procMinor[i] = run.processMinorFaults;
          procMajor[i] = run.processMajorFaults;
          allocated[i] = run.allocatedBytes;
          coresBusy[i] = run.cpuNanos < 0 ? -1 : run.cpuNanos / 1e9 / run.seconds;
          gcMillis[i] = run.gcMillis;
          if (run.metrics != null) {
            for (ReadMetric m : ReadMetric.values()) {
              scan.computeIfAbsent(m, k -> new long[runs])[i] = run.metrics.get(m);
            }
          }
          lastAnswer = run.answer;
          log.printf(
              Locale.ROOT,
              "%s run %d/%d: %.3f s, %.2f GB/s, %s%n",
              where,
              i + 1,
              runs,
              run.seconds,
              truth.fileBytes / run.seconds / 1e9,
              p.isEmpty() ? "answer exact" : "WRONG: " + String.join("; ", p));
        }
      } finally {
        sampler.close();
      }
      StringBuilder secs = new StringBuilder();
      for (double s : seconds) {
        secs.append(secs.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", s));
      }
      r.put("seconds", secs)
          .put("median", String.format(Locale.ROOT, "%.4f", Result.median(seconds)))
          .put("hwmReset", reset)
          .put("rssBaseKb", rssBase)
          .put("peakRssKb", ProcInfo.status("VmHWM"))
          .put("sampledPeakRssKb", sampler.maxRssKb())
          .put("rssFileBaseKb", rssFileBase)
          .put("peakRssFileKb", sampler.maxRssFileKb())
          .put("rssSamples", sampler.samples())
          .put("procMinorFaults", Result.median(procMinor))
          .put("procMajorFaults", Result.median(procMajor))
          .put("allocatedBytes", Result.median(allocated))
          .put("coresBusy", String.format(Locale.ROOT, "%.2f", Result.median(coresBusy)))
          .put("gcMillis", Result.median(gcMillis));
      for (Map.Entry<ReadMetric, long[]> e : scan.entrySet()) {
        r.put("scan." + e.getKey().metricName(), Result.median(e.getValue()));
      }
      if (lastAnswer != null) {
        for (Map.Entry<String, Long> e : lastAnswer.entrySet()) {
          r.put("answer." + e.getKey(), e.getValue());
        }
      }
      if (c.fastqMmap()) {
        r.put("windowBytes", windowBytes(options));
      }
      r.put("status", problems.isEmpty() ? Result.OK : Result.WRONG);
      if (!problems.isEmpty()) {
        r.put("problems", String.join("; ", problems));
      }
    } catch (Throwable e) {
      r.put("status", Result.FAILED).put("error", describe(e)).put("stack", stackTrace(e));
      log.println(where + " FAILED: " + describe(e));
    }
    return r;
  }

  private Run once(BenchCase c, BenchData.DataFile f, Map<String, String> options)
      throws IOException {
    if (f.state == PageCache.State.COLD) {
      BenchRunner.settle(List.of(f.path), PageCache.State.COLD);
    }
    Run run = new Run();
    long[] faults0 = ProcInfo.faults();
    long alloc0 = allocatedBytes();
    long cpu0 = processCpuNanos();
    long gc0 = gcMillis();
    String path = f.path.toAbsolutePath().toString();
    if (c.fastqMmap()) {
      long[] nanos = new long[1];
      FastqMetrics.Measured<Map<String, Long>> measured =
          FastqMetrics.measure(
              spark,
              () -> {
                long t0 = System.nanoTime();
                Map<String, Long> answer = execute(c, path, f.truth, options);
                nanos[0] = System.nanoTime() - t0;
                return answer;
              });
      run.seconds = nanos[0] / 1e9;
      run.answer = measured.result();
      run.metrics = measured.metrics();
      run.answer.put("metric.records", run.metrics.get(ReadMetric.RECORDS));
      run.answer.put("metric.bases", run.metrics.get(ReadMetric.BASES));
    } else {
      long t0 = System.nanoTime();
      run.answer = execute(c, path, f.truth, options);
      run.seconds = (System.nanoTime() - t0) / 1e9;
    }
    long[] faults1 = ProcInfo.faults();
    run.processMinorFaults = faults1[0] - faults0[0];
    run.processMajorFaults = faults1[1] - faults0[1];
    run.allocatedBytes = allocatedBytes() - alloc0;
    run.cpuNanos = cpu0 < 0 ? -1 : processCpuNanos() - cpu0;
    run.gcMillis = gcMillis() - gc0;
    return run;
  }

  /** Runs a case's action; the whole of it (planning included) is what gets timed. */
  private Map<String, Long> execute(
      BenchCase c, String path, Truth truth, Map<String, String> options) {
    Map<String, Long> a = new LinkedHashMap<>();
    switch (c) {
      case FASTQ_ALL:
        {
          Row row =
              fastq(options)
                  .load(path)
                  .agg(
                      count(col("name")),
                      sum(octet_length(col("name"))),
                      sum(octet_length(col("comment"))),
                      sum(octet_length(col("sequence"))),
                      sum(octet_length(col("quality"))))
                  .collectAsList()
                  .get(0);
          a.put("records", row.getLong(0));
          a.put("nameBytes", longOrZero(row, 1));
          a.put("commentBytes", longOrZero(row, 2));
          a.put("bases", longOrZero(row, 3));
          a.put("qualityBytes", longOrZero(row, 4));
          return a;
        }
      case FASTQ_COUNT:
        a.put("records", fastq(options).load(path).count());
        return a;
      case FASTQ_SEQUENCE:
        {
          Row row =
              fastq(options)
                  .load(path)
                  .select("sequence")
                  .agg(count(lit(1)), sum(octet_length(col("sequence"))))
                  .collectAsList()
                  .get(0);
          a.put("records", row.getLong(0));
          a.put("bases", longOrZero(row, 1));
          return a;
        }
      case TEXT_COUNT:
        a.put("lines", spark.read().text(path).count());
        return a;
      case TEXT_BYTES:
        {
          Row row =
              spark
                  .read()
                  .text(path)
                  .agg(count(lit(1)), sum(octet_length(col("value"))))
                  .collectAsList()
                  .get(0);
          a.put("lines", row.getLong(0));
          a.put("lineBytes", longOrZero(row, 1));
          return a;
        }
      case SEQKIT_STATS:
        try {
          return ToolPeers.seqkitStats(path, spark.sparkContext().defaultParallelism());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      case SAMTOOLS_IMPORT:
        try {
          return ToolPeers.samtoolsImportStats(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      case HADOOP_BAM:
        return new LinkedHashMap<>(
            HadoopBamPeer.count(spark, f(path), splitBytes(truth.fileBytes)));
      default:
        throw new AssertionError(c);
    }
  }

  private static String f(String path) {
    return Path.of(path).toUri().toString();
  }

  private DataFrameReader fastq(Map<String, String> options) {
    return spark.read().format("fastq-mmap").options(options);
  }

  /**
   * The split size Spark's file sources choose for one file of this size: {@code
   * min(maxPartitionBytes, max(openCostInBytes, bytes / defaultParallelism))}.
   */
  private long splitBytes(long fileBytes) {
    long maxPartition =
        JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.maxPartitionBytes"));
    long openCost =
        JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.openCostInBytes"));
    long perCore = (fileBytes + openCost) / spark.sparkContext().defaultParallelism();
    return Math.min(maxPartition, Math.max(openCost, perCore));
  }

  private static long windowBytes(Map<String, String> options) {
    for (Map.Entry<String, String> o : options.entrySet()) {
      if (o.getKey().equalsIgnoreCase("windowBytes")) {
        return JavaUtils.byteStringAsBytes(o.getValue());
      }
    }
    return MappingOptions.DEFAULT_WINDOW_BYTES;
  }

  private static long longOrZero(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getLong(i);
  }

  /**
   * CPU time of the whole JVM (every thread: tasks, GC, JIT, Spark's own), to show how many cores a
   * run kept busy: {@code local[1]} is one task thread, not one core.
   */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  private static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long allocatedBytes() {
    java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
    if (t instanceof com.sun.management.ThreadMXBean) {
      return ((com.sun.management.ThreadMXBean) t).getTotalThreadAllocatedBytes();
    }
    return -1;
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = e.getClass().getName() + ": " + firstLine(e.getMessage());
    if (root == e) {
      return first;
    }
    return first
        + " (caused by "
        + root.getClass().getName()
        + ": "
        + firstLine(root.getMessage())
        + ")";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    String s = w.toString();
    return s.length() > 4000 ? s.substring(0, 4000) : s;
  }
}
