/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Planning many small files (issue 16): the time and driver heap from {@code load()} until the
 * physical plan and its partitions exist ({@code queryExecution().toRdd()}: listing, partition
 * discovery, analysis, planning, ranges), for fastq-mmap against {@code spark.read.text} on the
 * same files, in one JVM and one session, runs interleaved. Files sit in {@code sample=NNNNN}
 * folders of {@code --per-dir} files (a partitioned layout both sources discover), locally and on a
 * MiniDFSCluster in this JVM (when hadoop-client-minicluster is on the class path).
 *
 * <p>Answers are checked before any figure is printed: both sources plan the same number of
 * partitions (Spark's packing rules, one range per small file), fastq-mmap's scan has one range per
 * file, and on the sets of at most {@code --count-max} files a {@code count()} gives the records
 * written (fastq-mmap) and four lines per record (text); that {@code count()} is then timed by
 * {@link BenchRunner}'s loop (median of {@code --runs}). The table is printed and written to {@code
 * <out-dir>/planning-<time>/results.tsv}.
 *
 * <pre>
 * bin/benchmark planning [--files 10000,100000] [--hdfs-files 10000] [--per-dir 100] [--runs 3]
 *                        [--master local[2]] [--count-max 10000] [--out-dir DIR]
 * </pre>
 */
public final class PlanningBench {
  private static final Set<String> OPTIONS =
      Set.of(
          "files",
          "hdfs-files",
          "per-dir",
          "runs",
          "master",
          "data-dir",
          "out-dir",
          "count-max",
          "help");

  /** Two records per file, 150 bp: a small file of 650-odd bytes. */
  private static final int RECORDS_PER_FILE = 2;

  private PlanningBench() {}

  /** One planning run: wall and CPU time, peak and retained heap, and what was planned. */
  private record Run(
      double seconds,
      double cpuSeconds,
      long peakHeap,
      long retainedHeap,
      int partitions,
      String description) {}

  private record Source(String name, BiFunction<SparkSession, String, Dataset<Row>> load) {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, Set.of("help"), OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: PlanningBench [--files 10000,100000] [--hdfs-files 10000] [--per-dir 100]"
              + " [--runs 3] [--master local[2]] [--count-max 10000] [--data-dir DIR]"
              + " [--out-dir DIR]");
      return 0;
    }
    int runs = a.getInt("runs", 3);
    int perDir = a.getInt("per-dir", 100);
    long countMax = a.getLong("count-max", 10_000);
    int hdfsFiles = a.getInt("hdfs-files", 10_000);
    String master = a.get("master", "local[2]");
    Path dir = Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();
    Path outDir =
        Path.of(a.get("out-dir", "integration-tests/target/bench-results")).toAbsolutePath();
    Files.createDirectories(dir);
    String loadBefore = ProcInfo.loadAverage();

    SparkSession spark = BenchRunner.session("fastq-mmap planning benchmark", master, 0);
    BenchRunner.Table table =
        new BenchRunner.Table(
            ">files",
            "where",
            "source",
            ">partitions",
            ">planning s",
            ">CPU s",
            ">vs text (time)",
            ">vs text (CPU)",
            ">peak heap MiB",
            ">retained heap MiB",
            ">count() s",
            ">count() CPU s",
            ">count() vs text (time)");
    int failures = 0;
    for (String n : a.get("files", "10000,100000").split(",")) {
      int files = Integer.parseInt(n.trim());
      Path root = dir.resolve("planning-" + files + "-" + perDir);
      generateLocal(root, files, perDir, out);
      failures += measure(spark, "local", root.toUri().toString(), files, runs, countMax, table);
    }
    if (hdfsFiles > 0) {
      failures += onHdfs(spark, dir, hdfsFiles, perDir, runs, countMax, table, out);
    }
    spark.stop();
    out.println();
    out.printf(
        Locale.ROOT,
        "Planning small files (%d records of 150 bp each, %d files per sample=N folder), %s; %s;"
            + " load average before %s, after %s; %s; %d runs after a warm-up per source,"
            + " interleaved, median. Planning = load() until queryExecution().toRdd() has its"
            + " partitions. CPU = this JVM's CPU seconds (all threads). Peak = heap pools' peak"
            + " during planning; retained = heap used after a GC with the plan held, minus"
            + " before. count() = the median of %d runs after a warm-up whose answer was"
            + " checked (the same timing loop as the other benchmarks).%n%n",
        RECORDS_PER_FILE,
        perDir,
        master,
        ProcInfo.machine(),
        loadBefore,
        ProcInfo.loadAverage(),
        LocalDate.now(ZoneOffset.UTC),
        runs,
        runs);
    table.print(out);
    Path results = BenchRunner.resultsDir(outDir, "planning").resolve("results.tsv");
    table.writeTsv(results);
    out.println();
    out.println("results: " + results);
    if (failures > 0) {
      out.println(failures + " check(s) failed; see above");
      return 1;
    }
    return 0;
  }

  private static final Source FASTQ =
      new Source("fastq-mmap", (s, root) -> s.read().format("fastq-mmap").load(root));
  private static final Source TEXT = new Source("text", (s, root) -> s.read().text(root));

  private static int measure(
      SparkSession spark,
      String where,
      String root,
      int files,
      int runs,
      long countMax,
      BenchRunner.Table table)
      throws Exception {
    int failures = 0;
    List<Source> sources = List.of(FASTQ, TEXT);
    List<List<Run>> results = List.of(new ArrayList<>(), new ArrayList<>());
    for (Source s : sources) {
      plan(spark, s, root); // warm-up: classes loaded, code compiled
    }
    for (int i = 0; i < runs; i++) {
      for (int k = 0; k < sources.size(); k++) {
        results.get(k).add(plan(spark, sources.get(k), root));
      }
    }
    Run fastq = median(results.get(0));
    Run text = median(results.get(1));
    // Checks: the same packing as Spark's, one range per small file.
    if (fastq.partitions() != text.partitions()) {
      System.err.printf(
          Locale.ROOT,
          "FAILED %s %d: fastq-mmap planned %d partitions, text %d%n",
          where,
          files,
          fastq.partitions(),
          text.partitions());
      failures++;
    }
    String ranges = files + " ranges in " + fastq.partitions() + " partitions";
    if (!fastq.description().contains(ranges)) {
      System.err.printf(
          Locale.ROOT,
          "FAILED %s %d: expected '%s' in %s%n",
          where,
          files,
          ranges,
          fastq.description());
      failures++;
    }
    List<BenchRunner.Timing> counts = new ArrayList<>();
    if (files <= countMax) {
      long[] expected = {(long) files * RECORDS_PER_FILE, 4L * files * RECORDS_PER_FILE};
      for (int k = 0; k < sources.size(); k++) {
        Source source = sources.get(k);
        long want = expected[k];
        // No page-cache policy: the files were just written or planned (in the cache either way).
        BenchRunner.Measured<Long> m =
            BenchRunner.measure(
                PageCache.State.READ_AHEAD,
                List.of(),
                runs,
                () -> source.load().apply(spark, root).count(),
                count ->
                    count == want
                        ? List.of()
                        : List.of(source.name() + " counted " + count + ", expected " + want));
        if (!m.exact()) {
          System.err.printf(Locale.ROOT, "FAILED %s %d: %s%n", where, files, m.problems());
          failures++;
        }
        counts.add(m.timing());
      }
    }
    for (int k = 0; k < sources.size(); k++) {
      Run r = k == 0 ? fastq : text;
      BenchRunner.Timing count = counts.size() > k ? counts.get(k) : null;
      BenchRunner.Timing textCount = counts.size() > 1 ? counts.get(1) : null;
      table.format(
          "| %,d | %s | %s | %,d | %.2f | %.2f | %s | %s | %.0f | %.0f | %s | %s | %s |",
          files,
          where,
          sources.get(k).name(),
          r.partitions(),
          r.seconds(),
          r.cpuSeconds(),
          k == 0 ? String.format(Locale.ROOT, "%.2f", r.seconds() / text.seconds()) : "1",
          k == 0 ? String.format(Locale.ROOT, "%.2f", r.cpuSeconds() / text.cpuSeconds()) : "1",
          r.peakHeap() / 1048576.0,
          r.retainedHeap() / 1048576.0,
          count == null ? "-" : String.format(Locale.ROOT, "%.2f", count.wallMedian()),
          count == null ? "-" : String.format(Locale.ROOT, "%.2f", count.cpuMedian()),
          count == null || textCount == null
              ? "-"
              : k == 0
                  ? String.format(Locale.ROOT, "%.2f", count.wallMedian() / textCount.wallMedian())
                  : "1");
    }
    System.err.printf(
        Locale.ROOT,
        "%s %d files: fastq-mmap %.2f s (CPU %.2f), text %.2f s (CPU %.2f)%n",
        where,
        files,
        fastq.seconds(),
        fastq.cpuSeconds(),
        text.seconds(),
        text.cpuSeconds());
    return failures;
  }

  private static Run plan(SparkSession spark, Source source, String root) {
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heap.add(p);
      }
    }
    System.gc();
    long before = usedHeap();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    Dataset<Row> df = source.load().apply(spark, root);
    int partitions = df.queryExecution().toRdd().getNumPartitions();
    long t1 = System.nanoTime();
    long cpu1 = processCpuNanos();
    long peak = 0;
    for (MemoryPoolMXBean p : heap) {
      peak += p.getPeakUsage().getUsed();
    }
    String description = df.queryExecution().executedPlan().toString();
    System.gc();
    long retained = usedHeap() - before;
    Reference.reachabilityFence(df);
    return new Run((t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, peak, retained, partitions, description);
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static Run median(List<Run> runs) {
    Run first = runs.get(0);
    for (Run run : runs) {
      if (run.partitions() != first.partitions()) {
        throw new IllegalStateException("runs planned different partitions: " + runs);
      }
    }
    // The one median of the benchmarks (Result.median), for each figure.
    return new Run(
        Result.median(runs.stream().mapToDouble(Run::seconds).toArray()),
        Result.median(runs.stream().mapToDouble(Run::cpuSeconds).toArray()),
        Result.median(runs.stream().mapToLong(Run::peakHeap).toArray()),
        Result.median(runs.stream().mapToLong(Run::retainedHeap).toArray()),
        first.partitions(),
        first.description());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The bytes of one small file: two 150 bp records. */
  private static byte[] fileBytes(int file) {
    StringBuilder s = new StringBuilder();
    String bases = "ACGT".repeat(38).substring(0, 150);
    String quals = "I".repeat(150);
    for (int r = 0; r < RECORDS_PER_FILE; r++) {
      s.append("@f").append(file).append('r').append(r).append('\n');
      s.append(bases).append("\n+\n").append(quals).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String fileName(int file, int perDir) {
    return String.format(Locale.ROOT, "sample=%05d/f%06d.fastq", file / perDir, file);
  }

  private static void generateLocal(Path root, int files, int perDir, PrintStream out)
      throws IOException {
    Path done = root.resolve("_GENERATED");
    if (Files.exists(done)) {
      return;
    }
    out.printf(Locale.ROOT, "writing %,d files under %s ...%n", files, root);
    for (int f = 0; f < files; f++) {
      Path p = root.resolve(fileName(f, perDir));
      if (f % perDir == 0) {
        Files.createDirectories(p.getParent());
      }
      Files.write(p, fileBytes(f));
    }
    Files.writeString(done, "", StandardCharsets.US_ASCII);
  }

  /**
   * Starts a MiniDFSCluster (one DataNode, loopback) in this JVM, through reflection so that the
   * benchmark still runs (locally) on a class path without hadoop-client-minicluster.
   */
  private static int onHdfs(
      SparkSession spark,
      Path dir,
      int files,
      int perDir,
      int runs,
      long countMax,
      BenchRunner.Table table,
      PrintStream out)
      throws Exception {
    Class<?> builderClass;
    try {
      builderClass = Class.forName("org.apache.hadoop.hdfs.MiniDFSCluster$Builder");
    } catch (ClassNotFoundException e) {
      out.println("no MiniDFSCluster on the class path (hadoop-client-minicluster): HDFS skipped");
      return 0;
    }
    Path base = dir.resolve("planning-dfs");
    deleteTree(base);
    Configuration conf = new Configuration();
    conf.set("hdfs.minidfs.basedir", base.toString());
    conf.setInt("dfs.replication", 1);
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.https-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    Object builder = builderClass.getConstructor(Configuration.class).newInstance(conf);
    builder = builderClass.getMethod("numDataNodes", int.class).invoke(builder, 1);
    Object cluster = builderClass.getMethod("build").invoke(builder);
    try {
      cluster.getClass().getMethod("waitActive").invoke(cluster);
      FileSystem fs = (FileSystem) cluster.getClass().getMethod("getFileSystem").invoke(cluster);
      String root = fs.getUri() + "/planning-" + files + "-" + perDir;
      out.printf(Locale.ROOT, "writing %,d files under %s ...%n", files, root);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> writes = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int first = t;
          writes.add(
              pool.submit(
                  () -> {
                    for (int f = first; f < files; f += 8) {
                      org.apache.hadoop.fs.Path p =
                          new org.apache.hadoop.fs.Path(root + "/" + fileName(f, perDir));
                      try (OutputStream o = fs.create(p, true)) {
                        o.write(fileBytes(f));
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> w : writes) {
          w.get();
        }
      } finally {
        pool.shutdownNow();
      }
      return measure(spark, "HDFS", root, files, runs, countMax, table);
    } finally {
      cluster.getClass().getMethod("shutdown").invoke(cluster);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.delete(q);
      }
    }
  }
}
