/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 *     [--data-dir integration-tests/target/bench-data] [--split-mib 128]
 * </pre>
 *
 * Not part of {@code mvn verify}: run it by hand ({@code bin/benchmark hdfs}; README: other file
 * systems).
 */
public final class HdfsBench {
  private static final Set<String> OPTIONS =
      Set.of("mib", "runs", "master", "data-dir", "split-mib", "help");

  private static final long LISTENER_WAIT_MILLIS = 60_000;

  private HdfsBench() {}

  /** One row: where the file is, the reader, and how to run it once. */
  private record Case(String where, String reader, boolean text, Supplier<long[]> run) {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, Set.of("help"), OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: HdfsBench [--mib 256] [--runs 3] [--master local[1]] [--data-dir DIR]"
              + " [--split-mib 128]");
      return 0;
    }
    long mib = a.getLong("mib", 256);
    int runs = a.getInt("runs", 3);
    String master = a.get("master", "local[1]");
    long splitBytes = a.getLong("split-mib", 128) << 20;
    Path dir = Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();

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
      String localUri = data.path.toUri().toString();
      return measure(out, truth, master, runs, splitBytes, localUri, hdfsUri);
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
      String localUri,
      String hdfsUri)
      throws TimeoutException {
    SparkSession spark =
        SparkSession.builder()
            .master(master)
            .appName("fastq-mmap HDFS benchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.files.maxPartitionBytes", Long.toString(splitBytes))
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
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
    List<Case> rows =
        List.of(
            new Case("local disk (mapped)", "fastq-mmap", false, () -> fastqMmap(spark, localUri)),
            new Case("HDFS", "fastq-mmap", false, () -> fastqMmap(spark, hdfsUri)),
            new Case("HDFS", "spark.read.text", true, () -> text(spark, hdfsUri)));

    String when = Instant.now().toString();
    String loadBefore = ProcInfo.loadAverage();
    List<String> table = new ArrayList<>();
    int failures = 0;
    double mappedCpuPerMb = 0;
    for (Case row : rows) {
      long[] answer = row.run().get(); // warm-up, and the answer to check
      String problem = check(row, answer, truth);
      if (problem != null) {
        failures++;
        table.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | WRONG: %s | | | | | |",
                row.where(),
                row.reader(),
                problem));
        continue;
      }
      double[] seconds = new double[runs];
      double[] cpu = new double[runs];
      for (int i = 0; i < runs; i++) {
        spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_WAIT_MILLIS);
        long cpu0 = taskCpuNanos.get();
        long t0 = System.nanoTime();
        long[] again = row.run().get();
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_WAIT_MILLIS);
        cpu[i] = (taskCpuNanos.get() - cpu0) / 1e9;
        if (check(row, again, truth) != null) {
          throw new IllegalStateException(row + " changed its answer: " + Arrays.toString(again));
        }
      }
      Arrays.sort(seconds);
      Arrays.sort(cpu);
      double wall = seconds[runs / 2];
      double cpuSeconds = cpu[runs / 2];
      double mb = truth.fileBytes / 1e6;
      double cpuPerMb = cpuSeconds * 1e3 / mb;
      if (mappedCpuPerMb == 0) {
        mappedCpuPerMb = cpuPerMb;
      }
      table.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f | %.2f |",
              row.where(),
              row.reader(),
              answer[2],
              wall,
              cpuSeconds,
              cpuPerMb,
              mb / cpuSeconds,
              cpuPerMb / mappedCpuPerMb));
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
    out.println(
        "| file on | reader | tasks | wall s | task CPU s | CPU ms per MB | MB/s per core (CPU)"
            + " | CPU per MB vs mapped |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    table.forEach(out::println);
    out.println();
    out.printf(
        Locale.ROOT,
        "answers: %,d records and %,d bases (fastq-mmap), %,d lines and %,d line bytes (text):"
            + " exact%n",
        truth.records,
        truth.bases,
        truth.lines,
        truth.lineBytes);
    return failures == 0 ? 0 : 3;
  }

  /** Null when the answer is the truth, else what differs. */
  private static String check(Case row, long[] answer, Truth truth) {
    long wantCount = row.text() ? truth.lines : truth.records;
    long wantBytes = row.text() ? truth.lineBytes : truth.bases;
    if (answer[0] != wantCount || answer[1] != wantBytes) {
      return "got " + answer[0] + " and " + answer[1] + ", want " + wantCount + " and " + wantBytes;
    }
    return null;
  }

  /** fastq-mmap: records and bases of the sequence column, and the tasks the scan ran. */
  private static long[] fastqMmap(SparkSession spark, String uri) {
    var df = spark.read().format("fastq-mmap").load(uri);
    Row r = df.selectExpr("count(*)", "sum(octet_length(sequence))").first();
    return new long[] {r.getLong(0), r.getLong(1), df.rdd().getNumPartitions()};
  }

  /** spark.read.text: lines and their bytes. */
  private static long[] text(SparkSession spark, String uri) {
    var df = spark.read().text(uri);
    Row r = df.selectExpr("count(*)", "sum(octet_length(value))").first();
    return new long[] {r.getLong(0), r.getLong(1), df.rdd().getNumPartitions()};
  }
}
