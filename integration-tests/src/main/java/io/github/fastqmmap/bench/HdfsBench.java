/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Plain FASTQ on HDFS: fastq-mmap reading a file from a MiniDFSCluster (one DataNode in this JVM,
 * reached over loopback TCP, no short-circuit reads) against the same file mapped from the local
 * disk, and against {@code spark.read.text} on the same HDFS file, in one {@code local[N]} session.
 * Every answer (records and bases; for text, lines and line bytes) is checked against the
 * generator's truth before any time is printed. Times: the median of {@code --runs} runs after a
 * warm-up, wall clock and the Spark tasks' CPU time (executorCpuTime, which leaves out the
 * DataNode's threads), so that on a loaded machine CPU per MB and ratios within the run still say
 * something.
 *
 * <pre>
 * java ... io.github.fastqmmap.bench.HdfsBench [--mib 256] [--runs 3] [--master local[1]]
 *     [--data-dir integration-tests/target/bench-data] [--split-mib 128] [--out-dir DIR]
 * </pre>
 *
 * The timing loop, median, answer check and table are {@link BenchRunner}'s (with Spark's task CPU
 * as its CPU clock); the table is also written to {@code <out-dir>/hdfs-<time>/results.tsv}.
 *
 * <p>Not part of {@code mvn verify}: run it by hand ({@code bin/benchmark hdfs}; README: other file
 * systems).
 */
public final class HdfsBench {
  private static final Set<String> OPTIONS =
      Set.of("mib", "runs", "master", "data-dir", "out-dir", "split-mib", "help");

  private static final long LISTENER_WAIT_MILLIS = 60_000;

  private HdfsBench() {}

  /** One row: where the file is, the reader, and how to run it once. */
  private record Case(
      String where, String reader, boolean text, List<Path> files, Supplier<List<Long>> run) {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, Set.of("help"), OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: HdfsBench [--mib 256] [--runs 3] [--master local[1]] [--data-dir DIR]"
              + " [--split-mib 128] [--out-dir DIR]");
      return 0;
    }
    long mib = a.getLong("mib", 256);
    int runs = a.getInt("runs", 3);
    String master = a.get("master", "local[1]");
    long splitBytes = a.getLong("split-mib", 128) << 20;
    Path dir = Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();
    Path outDir =
        Path.of(a.get("out-dir", "integration-tests/target/bench-results")).toAbsolutePath();

    BenchData.DataFile data =
        BenchData.ensure(dir, BenchData.Kind.ILLUMINA, mib << 20, BenchData.DEFAULT_SEED, out);
    Truth truth = data.truth;
    MiniDFSCluster dfs = startDfs(dir.resolve("hdfs-bench"));
    try {
      FileSystem hdfs = dfs.getFileSystem();
      org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path("/bench/reads.fastq");
      long t0 = System.nanoTime();
      hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(data.path.toUri()), remote);
      out.printf(
          Locale.ROOT,
          "  copied %s to HDFS in %.1f s%n",
          data.path.getFileName(),
          (System.nanoTime() - t0) / 1e9);
      String hdfsUri = hdfs.makeQualified(remote).toString();
      return measure(out, truth, master, runs, splitBytes, data.path, hdfsUri, outDir);
    } finally {
      dfs.shutdown();
    }
  }

  private static MiniDFSCluster startDfs(Path base) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    conf.setInt("dfs.replication", 1);
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.https-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
    dfs.waitActive();
    return dfs;
  }

  private static int measure(
      PrintStream out,
      Truth truth,
      String master,
      int runs,
      long splitBytes,
      Path localFile,
      String hdfsUri,
      Path outDir)
      throws Exception {
    SparkSession spark = BenchRunner.session("fastq-mmap HDFS benchmark", master, splitBytes);
    AtomicLong taskCpuNanos = new AtomicLong();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                  taskCpuNanos.addAndGet(
                      end.taskMetrics().executorCpuTime()
                          + end.taskMetrics().executorDeserializeCpuTime());
                }
              }
            });
    // Spark's task CPU (the reading threads, with the HDFS client's work), not the JVM's, which
    // also runs the DataNode: read once every finished task's end was counted.
    DoubleSupplier taskCpu =
        () -> {
          try {
            spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_WAIT_MILLIS);
          } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain", e);
          }
          return taskCpuNanos.get() / 1e9;
        };
    String localUri = localFile.toUri().toString();
    List<Case> rows =
        List.of(
            new Case(
                "local disk (mapped)",
                "fastq-mmap",
                false,
                List.of(localFile),
                () -> fastqMmap(spark, localUri)),
            new Case("HDFS", "fastq-mmap", false, List.of(), () -> fastqMmap(spark, hdfsUri)),
            new Case("HDFS", "spark.read.text", true, List.of(), () -> text(spark, hdfsUri)));

    String when = Instant.now().toString();
    String loadBefore = ProcInfo.loadAverage();
    BenchRunner.Table table =
        new BenchRunner.Table(
            "file on",
            "reader",
            ">tasks",
            ">wall s",
            ">task CPU s",
            ">CPU ms per MB",
            ">MB/s per core (CPU)",
            ">CPU per MB vs mapped");
    int failures = 0;
    double mappedCpuPerMb = 0;
    for (Case row : rows) {
      // The local file is read once after eviction (read-ahead); the HDFS block sits in the
      // DataNode's directory as the copy left it.
      BenchRunner.Measured<List<Long>> m =
          BenchRunner.measure(
              PageCache.State.READ_AHEAD,
              row.files(),
              runs,
              () -> row.run().get(),
              null,
              answer -> problems(row, answer, truth),
              taskCpu);
      if (!m.exact()) {
        failures++;
        table.format("| %s | %s | WRONG: %s | | | | | |", row.where(), row.reader(), m.problems());
        continue;
      }
      double wall = m.timing().wallMedian();
      double cpuSeconds = m.timing().cpuMedian();
      double mb = truth.fileBytes / 1e6;
      double cpuPerMb = cpuSeconds * 1e3 / mb;
      if (mappedCpuPerMb == 0) {
        mappedCpuPerMb = cpuPerMb;
      }
      table.format(
          "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f | %.2f |",
          row.where(),
          row.reader(),
          m.answer().get(2),
          wall,
          cpuSeconds,
          cpuPerMb,
          mb / cpuSeconds,
          cpuPerMb / mappedCpuPerMb);
    }
    spark.stop();

    out.println();
    out.printf(
        Locale.ROOT,
        "Plain FASTQ, %,d bytes (%,d reads); %s; %s, load average %s at the start and %s at the"
            + " end; started %s; %d runs after a warm-up, median; task CPU = Spark's"
            + " executorCpuTime (the DataNode's threads are not in it)%n",
        truth.fileBytes,
        truth.records,
        master,
        ProcInfo.machine(),
        loadBefore,
        ProcInfo.loadAverage(),
        when,
        runs);
    out.println();
    table.print(out);
    out.println();
    out.printf(
        Locale.ROOT,
        "answers: %,d records and %,d bases (fastq-mmap), %,d lines and %,d line bytes (text):"
            + " %s%n",
        truth.records,
        truth.bases,
        truth.lines,
        truth.lineBytes,
        failures == 0 ? "exact" : "WRONG, see the table");
    Path results = BenchRunner.resultsDir(outDir, "hdfs").resolve("results.tsv");
    table.writeTsv(results);
    out.println("results: " + results);
    return failures == 0 ? 0 : 3;
  }

  /** What is wrong with an answer against the truth; empty when exact. */
  private static List<String> problems(Case row, List<Long> answer, Truth truth) {
    long wantCount = row.text() ? truth.lines : truth.records;
    long wantBytes = row.text() ? truth.lineBytes : truth.bases;
    if (answer.get(0) != wantCount || answer.get(1) != wantBytes) {
      return List.of(
          "got "
              + answer.get(0)
              + " and "
              + answer.get(1)
              + ", want "
              + wantCount
              + " and "
              + wantBytes);
    }
    return List.of();
  }

  /** fastq-mmap: records and bases of the sequence column, and the tasks the scan ran. */
  private static List<Long> fastqMmap(SparkSession spark, String uri) {
    var df = spark.read().format("fastq-mmap").load(uri);
    Row r = df.selectExpr("count(*)", "sum(octet_length(sequence))").first();
    return List.of(r.getLong(0), r.getLong(1), (long) df.rdd().getNumPartitions());
  }

  /** spark.read.text: lines and their bytes. */
  private static List<Long> text(SparkSession spark, String uri) {
    var df = spark.read().text(uri);
    Row r = df.selectExpr("count(*)", "sum(octet_length(value))").first();
    return List.of(r.getLong(0), r.getLong(1), (long) df.rdd().getNumPartitions());
  }
}
