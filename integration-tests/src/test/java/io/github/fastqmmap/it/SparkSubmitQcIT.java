/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.examples.QcReport;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The QC example submitted with {@code SparkSubmit}, connector and examples shipped with {@code
 * --jars}, behind {@link QcWithDiagnostics} (the application jar, built from this module's test
 * classes) which first records where a scan of the same inputs was read: in {@code local[2]}, and
 * in client and cluster deploy mode on a standalone cluster whose executors are JVMs of their own.
 * Every run must write the same {@code qc-summary.tsv}, equal to what a plain sequential parse
 * computes; on the cluster, the diagnostics must show that executors other than the driver read the
 * partitions, and that their accumulators and the scan's SQL metrics add up to the true record and
 * base counts.
 */
@ExtendWith(StandaloneClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkSubmitQcIT {
  private static final int TOP = 20;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(3);

  /** Built once per JVM, from the classes this run compiled. */
  private static Path diagnosticsJar;

  private final List<Path> inputs = new ArrayList<>();
  private FastqData.Reference reference;
  private String localSummary;

  @BeforeAll
  void data() throws IOException {
    inputs.addAll(FastqData.qcInputs());
    reference = FastqData.reference(inputs);
    assertThat(reference.reads).isEqualTo(2_000 + 400 + 20_000);
  }

  /** spark-submit arguments of the QC job writing into {@code out}. */
  private List<String> qcArgs(Path out) throws IOException {
    List<String> args = new ArrayList<>(SparkSubmit.commonConf());
    args.addAll(
        List.of(
            "--jars",
            ItEnv.connectorJar() + "," + ItEnv.examplesJar(),
            "--class",
            QcWithDiagnostics.class.getName(),
            diagnosticsJar().toString(),
            out.resolve("diagnostics.tsv").toString(),
            "--out",
            out.toString(),
            "--top",
            Integer.toString(TOP),
            // About a dozen ranges, so that both executors get several.
            "--option",
            "maxPartitionBytes=512k"));
    inputs.forEach(p -> args.add(p.toString()));
    return args;
  }

  /**
   * A jar of the test classes the submitted driver needs ({@link QcWithDiagnostics}, {@link
   * QcDiagnostics}, {@link ScanAccumulatorListener} and their nested and lambda classes).
   */
  private static synchronized Path diagnosticsJar() throws IOException {
    if (diagnosticsJar != null) {
      return diagnosticsJar;
    }
    Path jar = ItEnv.workDir("qc-diagnostics-jar").resolve("qc-diagnostics.jar");
    Path classes;
    try {
      classes =
          Paths.get(
              QcWithDiagnostics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    String pkg = QcWithDiagnostics.class.getPackageName().replace('.', '/');
    List<String> prefixes =
        List.of(
            QcWithDiagnostics.class.getSimpleName(),
            QcDiagnostics.class.getSimpleName(),
            ScanAccumulatorListener.class.getSimpleName());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> files = Files.list(classes.resolve(pkg))) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class")
            && prefixes.stream()
                .anyMatch(p -> name.equals(p + ".class") || name.startsWith(p + "$"))) {
          out.putNextEntry(new JarEntry(pkg + "/" + name));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
    diagnosticsJar = jar;
    return jar;
  }

  private List<String> clusterConf(StandaloneCluster cluster) {
    return List.of(
        "--master",
        cluster.masterUrl(),
        "--conf",
        "spark.executor.cores=1",
        "--conf",
        "spark.cores.max=2",
        "--conf",
        "spark.executor.memory=512m",
        // Start the job only once both executors are there, so that both read.
        "--conf",
        "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf",
        "spark.scheduler.maxRegisteredResourcesWaitingTime=120s");
  }

  private static String summary(Path out) throws IOException {
    return Files.readString(out.resolve(QcReport.SUMMARY_TSV), StandardCharsets.UTF_8);
  }

  /** The local[2] run's summary, computed once for the class. */
  private synchronized String localSummary() throws IOException, InterruptedException {
    if (localSummary == null) {
      Path out = ItEnv.workDir("qc-local2");
      List<String> args = new ArrayList<>(List.of("--master", "local[2]"));
      args.addAll(qcArgs(out));
      SparkSubmit.Result r = SparkSubmit.run("qc-local2", args, SUBMIT_TIMEOUT);
      assertThat(r.exitCode).as(r.toString()).isZero();
      System.out.println("local[2]: " + r);
      localSummary = summary(out);
    }
    return localSummary;
  }

  @Test
  @Order(1)
  @Timeout(240)
  void localTwoMatchesAPlainSequentialParse() throws Exception {
    String summary = localSummary();
    assertThat(summary).isEqualTo(reference.summaryTsv(TOP));
    QcDiagnostics d = QcDiagnostics.read(ItEnv.workDir("qc-local2").resolve("diagnostics.tsv"));
    // In local mode the driver JVM reads everything itself.
    assertThat(d.master).isEqualTo("local[2]");
    assertThat(d.readerExecutors()).containsExactly("driver");
    assertThat(d.readerPids()).containsExactly(d.driverPid);
    assertThat(Files.readString(ItEnv.workDir("qc-local2").resolve(QcReport.HTML)))
        .contains("<img src=\"per-position-quality.png\"");
  }

  @Test
  @Order(2)
  @Timeout(300)
  void clientModeOnAStandaloneClusterReadsInExecutorJvms(StandaloneCluster cluster)
      throws Exception {
    Path out = ItEnv.workDir("qc-client");
    List<String> args = new ArrayList<>(clusterConf(cluster));
    args.addAll(List.of("--deploy-mode", "client"));
    args.addAll(qcArgs(out));
    SparkSubmit.Result r = SparkSubmit.run("qc-client", args, SUBMIT_TIMEOUT);
    assertThat(r.exitCode).as(r.toString()).isZero();
    System.out.println("client mode: " + r);

    assertThat(summary(out)).isEqualTo(localSummary()).isEqualTo(reference.summaryTsv(TOP));
    assertThat(r.stdoutText()).contains("fastq-mmap QC of").contains("HTML report:");
    QcDiagnostics d = QcDiagnostics.read(out.resolve("diagnostics.tsv"));
    // Client mode: the driver is the SparkSubmit JVM the test started.
    assertThat(d.driverPid).isEqualTo(r.pid);
    assertReadInExecutorJvms(cluster, d, Set.of(r.pid));
  }

  @Test
  @Order(3)
  @Timeout(300)
  void clusterModeOnAStandaloneClusterReadsInExecutorJvms(StandaloneCluster cluster)
      throws Exception {
    Path out = ItEnv.workDir("qc-cluster");
    List<String> args = new ArrayList<>(clusterConf(cluster));
    args.addAll(
        List.of(
            "--deploy-mode",
            "cluster",
            "--driver-memory",
            "512m",
            "--conf",
            "spark.standalone.submit.waitAppCompletion=true"));
    args.addAll(qcArgs(out));
    SparkSubmit.Result r = SparkSubmit.run("qc-cluster", args, SUBMIT_TIMEOUT);
    assertThat(r.exitCode).as(r.toString()).isZero();
    System.out.println("cluster mode: " + r);

    assertThat(out.resolve(QcReport.SUMMARY_TSV))
        .as(
            "summary written by the cluster-mode driver; its logs are under %s",
            cluster.workerDir())
        .exists();
    assertThat(summary(out)).isEqualTo(localSummary()).isEqualTo(reference.summaryTsv(TOP));
    QcDiagnostics d = QcDiagnostics.read(out.resolve("diagnostics.tsv"));
    // Cluster mode: the Worker launched the driver, in a JVM of its own.
    assertThat(d.driverPid).isNotEqualTo(r.pid).isNotEqualTo(ProcessHandle.current().pid());
    Path driverStdout = driverStdout(cluster, d.driverPid);
    assertThat(Files.readString(driverStdout))
        .contains("fastq-mmap QC of")
        .contains("HTML report:");
    assertReadInExecutorJvms(cluster, d, Set.of(r.pid));
  }

  /** The stdout of the cluster-mode driver whose output names {@code pid}. */
  private static Path driverStdout(StandaloneCluster cluster, long pid) throws IOException {
    try (Stream<Path> dirs = Files.list(cluster.workerDir())) {
      List<Path> matches =
          dirs.filter(p -> p.getFileName().toString().startsWith("driver-"))
              .map(p -> p.resolve("stdout"))
              .filter(p -> Processes.logContains(p, "diagnostics: driver: pid " + pid + ","))
              .collect(Collectors.toList());
      assertThat(matches)
          .as("driver-*/stdout under %s naming pid %d", cluster.workerDir(), pid)
          .hasSize(1);
      return matches.get(0);
    }
  }

  private void assertReadInExecutorJvms(
      StandaloneCluster cluster, QcDiagnostics d, Set<Long> others) throws IOException {
    long testPid = ProcessHandle.current().pid();
    System.out.printf(
        "driver pid %d, test JVM pid %d, other pids %s; partitions read by executors %s with pids"
            + " %s; accumulators %s; SQL metrics records=%d bases=%d%n",
        d.driverPid,
        testPid,
        others,
        d.readerExecutors(),
        d.readerPids(),
        Map.of(
            "records", d.accumulators.get("fastq-mmap.records"),
            "bases", d.accumulators.get("fastq-mmap.bases")),
        d.sqlMetrics.get("records"),
        d.sqlMetrics.get("bases"));
    assertThat(d.master).isEqualTo(cluster.masterUrl());
    assertThat(d.driverExecutorId).isEqualTo("driver");
    assertThat(d.partitions).hasSizeGreaterThanOrEqualTo(6);

    // Two executors, each in a JVM that is neither the driver, nor the test, nor SparkSubmit.
    assertThat(d.readerExecutors()).hasSize(2).doesNotContain("driver");
    assertThat(d.readerPids())
        .hasSize(2)
        .doesNotContain(d.driverPid, testPid)
        .doesNotContainAnyElementsOf(others);
    // ... launched by the Worker: each executor id has its log folder in the Worker's work dir.
    for (String executor : d.readerExecutors()) {
      assertThat(cluster.workerDir().resolve(d.applicationId).resolve(executor).resolve("stderr"))
          .exists();
    }

    // Rows: what the partitions read adds up to the truth.
    assertThat(d.partitions.stream().mapToLong(p -> p.reads).sum()).isEqualTo(reference.reads);
    assertThat(d.partitions.stream().mapToLong(p -> p.bases).sum()).isEqualTo(reference.bases);

    // Accumulators: each executor JVM sent a share, and the shares sum to the truth.
    for (String name : List.of("fastq-mmap.records", "fastq-mmap.bases")) {
      Map<String, Long> byExecutor = d.accumulators.get(name);
      assertThat(byExecutor).as(name).containsOnlyKeys(d.readerExecutors());
      assertThat(byExecutor.values()).as(name).allMatch(v -> v > 0);
    }
    assertThat(d.accumulatorTotal("fastq-mmap.records")).isEqualTo(reference.reads);
    assertThat(d.accumulatorTotal("fastq-mmap.bases")).isEqualTo(reference.bases);
    // Per executor, the accumulator equals what that executor's partitions returned.
    for (String executor : d.readerExecutors()) {
      long reads =
          d.partitions.stream()
              .filter(p -> p.executorId.equals(executor))
              .mapToLong(p -> p.reads)
              .sum();
      assertThat(d.accumulators.get("fastq-mmap.records").get(executor)).isEqualTo(reads);
    }

    // SQL metrics of the scan node: the same truth.
    assertThat(d.sqlMetrics.get("records")).isEqualTo(reference.reads);
    assertThat(d.sqlMetrics.get("bases")).isEqualTo(reference.bases);
    assertThat(d.sqlMetrics.get("numOutputRows")).isEqualTo(reference.reads);
  }
}
