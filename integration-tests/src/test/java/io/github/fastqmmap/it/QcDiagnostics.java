/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.spark.FastqMetrics;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a scan of the QC inputs was read: the driver's process id, and for every partition the
 * executor id and process id of the JVM that read it; the connector's accumulators ({@code
 * fastq-mmap.*}) summed per executor from the successful tasks; the SQL metrics of the scan node.
 * Test instrumentation, kept out of the QC example: {@link #collect} runs one scan of its own (in a
 * job group of its own, so that only its tasks count), {@link #tsv} and {@link #read} write and
 * read it as {@code diagnostics.tsv} (public only because Spark encodes {@link Partition} by Java
 * serialization, which needs public classes), whose lines are
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
public final class QcDiagnostics {
  /** The job group of the diagnostic scan. */
  static final String JOB_GROUP = "fastq-mmap-qc-diagnostics";

  long driverPid;
  String driverExecutorId;
  String master;
  String applicationId;
  final List<Partition> partitions = new ArrayList<>();

  /** accumulator name -> executor id -> value. */
  final Map<String, Map<String, Long>> accumulators = new TreeMap<>();

  final Map<String, Long> sqlMetrics = new TreeMap<>();

  /** One partition of the statistics pass and the JVM that read it. */
  public static final class Partition implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final String executorId;
    final long pid;
    final long reads;
    final long bases;

    Partition(int index, String executorId, long pid, long reads, long bases) {
      this.index = index;
      this.executorId = executorId;
      this.pid = pid;
      this.reads = reads;
      this.bases = bases;
    }
  }

  /** Scans {@code paths} once, counting reads and bases per partition, and says who read them. */
  static QcDiagnostics collect(SparkSession spark, List<String> paths, Map<String, String> options)
      throws InterruptedException, TimeoutException {
    Dataset<Partition> perPartition =
        spark
            .read()
            .format("fastq-mmap")
            .options(options)
            .load(paths.toArray(new String[0]))
            .select("sequence")
            .mapPartitions(
                (MapPartitionsFunction<Row, Partition>) QcDiagnostics::count,
                Encoders.javaSerialization(Partition.class));
    SparkContext sc = spark.sparkContext();
    ScanAccumulatorListener listener = new ScanAccumulatorListener(JOB_GROUP);
    sc.addSparkListener(listener);
    QcDiagnostics d = new QcDiagnostics();
    try {
      sc.setJobGroup(JOB_GROUP, "fastq-mmap QC: diagnostics", false);
      try {
        d.partitions.addAll(perPartition.collectAsList());
      } finally {
        sc.clearJobGroup();
      }
      listener.awaitJobs(60, TimeUnit.SECONDS);
    } finally {
      sc.removeSparkListener(listener);
    }
    d.partitions.sort(Comparator.comparingInt(p -> p.index));
    d.accumulators.putAll(listener.byAccumulator());
    FastqMetrics scanMetrics = FastqMetrics.of(perPartition);
    d.sqlMetrics.putAll(scanMetrics.asMap());
    d.sqlMetrics.put("numOutputRows", scanMetrics.outputRows());
    d.driverPid = ProcessHandle.current().pid();
    d.driverExecutorId = sc.env().executorId();
    d.master = sc.master();
    d.applicationId = sc.applicationId();
    return d;
  }

  private static Iterator<Partition> count(Iterator<Row> rows) {
    long reads = 0;
    long bases = 0;
    while (rows.hasNext()) {
      reads++;
      bases += rows.next().getString(0).length();
    }
    TaskContext task = TaskContext.get();
    return List.of(
            new Partition(
                task == null ? -1 : task.partitionId(),
                SparkEnv.get().executorId(),
                ProcessHandle.current().pid(),
                reads,
                bases))
        .iterator();
  }

  String tsv() {
    StringBuilder s = new StringBuilder();
    s.append("driver\tpid\t").append(driverPid).append('\n');
    s.append("driver\texecutorId\t").append(driverExecutorId).append('\n');
    s.append("driver\tmaster\t").append(master).append('\n');
    s.append("driver\tapplicationId\t").append(applicationId).append('\n');
    for (Partition p : partitions) {
      s.append(
          String.format(
              Locale.ROOT,
              "partition\t%d\t%s\t%d\t%d\t%d%n",
              p.index,
              p.executorId,
              p.pid,
              p.reads,
              p.bases));
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

  static QcDiagnostics read(Path file) throws IOException {
    QcDiagnostics d = new QcDiagnostics();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      switch (f[0]) {
        case "driver":
          if (f[1].equals("pid")) {
            d.driverPid = Long.parseLong(f[2]);
          } else if (f[1].equals("executorId")) {
            d.driverExecutorId = f[2];
          } else if (f[1].equals("master")) {
            d.master = f[2];
          } else if (f[1].equals("applicationId")) {
            d.applicationId = f[2];
          }
          break;
        case "partition":
          d.partitions.add(
              new Partition(
                  Integer.parseInt(f[1]),
                  f[2],
                  Long.parseLong(f[3]),
                  Long.parseLong(f[4]),
                  Long.parseLong(f[5])));
          break;
        case "accumulator":
          d.accumulators
              .computeIfAbsent(f[1], k -> new TreeMap<>())
              .put(f[2], Long.parseLong(f[3]));
          break;
        case "sqlMetric":
          d.sqlMetrics.put(f[1], Long.parseLong(f[2]));
          break;
        default:
          throw new IOException(file + ": unexpected line " + line);
      }
    }
    return d;
  }

  Set<Long> readerPids() {
    Set<Long> pids = new TreeSet<>();
    partitions.forEach(p -> pids.add(p.pid));
    return pids;
  }

  Set<String> readerExecutors() {
    Set<String> ids = new TreeSet<>();
    partitions.forEach(p -> ids.add(p.executorId));
    return ids;
  }

  long accumulatorTotal(String name) {
    return accumulators.getOrDefault(name, Map.of()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
