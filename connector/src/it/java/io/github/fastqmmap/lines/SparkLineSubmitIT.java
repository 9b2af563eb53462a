/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.lines;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user of this line's Spark, with nothing but Spark's Maven jars and this line's connector jar: a
 * standalone Master and Worker started from the jars, {@code spark-submit --jars <connector>}, then
 * a read, SQL, a count and a BGZF write that reads back identically ({@link LineSmokeApp}).
 * Settings come from the line module's Failsafe configuration; logs land in {@code
 * target/line-it/}.
 */
class SparkLineSubmitIT {
  private static Path work;
  private static Path logs;
  private static Process master;
  private static Process worker;
  private static String masterUrl;

  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property " + name + " is not set; run through Maven: mvn -B verify");
    }
    return v;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /**
   * The parent POM's test.child.jit.flags: the JVMs this test starts read little, so C1 suffices.
   */
  private static String jitFlags() {
    return System.getProperty("it.child.jit.flags", "").trim();
  }

  private static List<String> java(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(property("it.spark.jvm.flags").trim().split("\\s+")));
    if (!jitFlags().isEmpty()) {
      cmd.addAll(Arrays.asList(jitFlags().split("\\s+")));
    }
    cmd.add("-Xmx512m");
    cmd.add("-Djna.tmpdir=" + work.resolve("jna"));
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-cp");
    cmd.add(Paths.get(property("it.spark.home"), "jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private static Process start(List<String> cmd, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals("HADOOP_CONF_DIR"));
    env.put("SPARK_HOME", Paths.get(property("it.spark.home")).toString());
    env.put("SPARK_SCALA_VERSION", property("it.scala.binary.version"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(logs.resolve(name + ".log").toFile());
    Files.writeString(
        logs.resolve(name + ".cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
    return pb.start();
  }

  private static void awaitLog(Process p, String name, String text) throws Exception {
    Path log = logs.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not log '" + text + "'; see " + log);
      }
      Thread.sleep(200);
    }
  }

  @BeforeAll
  static void startCluster() throws Exception {
    work = Files.createDirectories(Paths.get(property("it.work.dir")).toAbsolutePath());
    logs = Files.createDirectories(work.resolve("logs"));
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    master =
        start(
            java(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(freePort())),
            "master");
    awaitLog(master, "master", "I have been elected leader");
    worker =
        start(
            java(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(freePort()),
                "--webui-port",
                Integer.toString(freePort()),
                "--cores",
                "2",
                "--memory",
                "2g",
                "--work-dir",
                Files.createDirectories(work.resolve("worker")).toString(),
                masterUrl),
            "worker");
    awaitLog(worker, "worker", "Successfully registered with master");
  }

  /** Stops Worker (which stops its executors) and Master, also when a test failed. */
  @AfterAll
  static void stopCluster() throws InterruptedException {
    for (Process p : new Process[] {worker, master}) {
      if (p == null) {
        continue;
      }
      List<ProcessHandle> children = p.descendants().toList();
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void submitReadQueryCountAndWriteBgzfWithTheLinesJarAlone() throws Exception {
    Path connector = Paths.get(property("it.connector.jar"));
    Path app = Paths.get(property("it.app.jar"));
    assertThat(connector).exists();
    assertThat(app).exists();
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(35).records(20_000).readLengths(1, 300).generate();
    Path input = g.writeTo(work.resolve("input.fastq"));
    Path output = work.resolve("output-bgzf");
    if (Files.exists(output)) {
      try (Stream<Path> s = Files.walk(output)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    List<String> cmd =
        java(
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            masterUrl,
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            ("spark.executor.extraJavaOptions=-Djna.tmpdir="
                    + work.resolve("jna")
                    + " "
                    + jitFlags())
                .trim(),
            "--executor-memory",
            "512m",
            "--executor-cores",
            "1",
            "--jars",
            connector.toString(),
            "--class",
            LineSmokeApp.class.getName(),
            app.toString(),
            input.toString(),
            output.toString());
    Process submit = start(cmd, "submit");
    boolean done = submit.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
    }
    Path log = logs.resolve("submit.log");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(done).as("spark-submit finished in 5 minutes; see " + log).isTrue();
    assertThat(submit.exitValue()).as("spark-submit's exit code; see " + log).isZero();

    List<Read> reads = g.reads();
    long bases = reads.stream().mapToLong(r -> r.sequence().length()).sum();
    long names = new HashSet<>(reads.stream().map(Read::name).toList()).size();
    assertThat(out)
        .contains("RESULT spark=" + property("it.spark.version"))
        .contains("RESULT count=" + reads.size())
        .contains("RESULT sql=" + reads.size() + "," + bases + "," + names)
        .contains("RESULT roundtrip=" + reads.size() + ",0,0");
    assertThat(out.lines().filter(l -> l.startsWith("RESULT partitions=")).findFirst())
        .hasValueSatisfying(
            l -> assertThat(Integer.parseInt(l.substring(l.indexOf('=') + 1))).isGreaterThan(2));
    try (Stream<Path> parts = Files.list(output)) {
      assertThat(parts.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-")))
          .isNotEmpty()
          .allMatch(n -> n.endsWith(".fastq.bgz") || n.endsWith(".fastq.bgz.gzi"))
          .anyMatch(n -> n.endsWith(".fastq.bgz.gzi"));
    }
  }
}
