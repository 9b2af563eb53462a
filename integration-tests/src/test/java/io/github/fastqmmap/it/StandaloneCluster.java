/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster made of the Maven jars alone: one Master and one Worker on 127.0.0.1,
 * on ports picked at start. The Worker offers 3 cores and 3 GiB, so that a cluster-mode driver (1
 * core) and two 1-core executors fit at once. Logs: {@code target/cluster-logs/standalone/} ({@code
 * master.log}, {@code worker.log}, and the Worker's {@code work/} folder with every executor's and
 * driver's stdout and stderr).
 *
 * <p>{@link #close} stops both JVMs and everything they started; a JVM shutdown hook does the same
 * if the test JVM ends without closing it.
 */
final class StandaloneCluster implements AutoCloseable {
  static final int WORKER_CORES = 3;

  private final Path logs;
  private final Path workerDir;
  private final String masterUrl;
  private Process master;
  private Process worker;
  private final Thread shutdownHook = new Thread(this::stop, "stop standalone cluster");

  private StandaloneCluster(Path logs, Path workerDir, String masterUrl) {
    this.logs = logs;
    this.workerDir = workerDir;
    this.masterUrl = masterUrl;
  }

  /** Starts Master and Worker and waits (60 s at most each) until the Worker has registered. */
  static StandaloneCluster start() throws IOException, InterruptedException {
    Path logs = ItEnv.logsDir("standalone");
    deleteRecursively(logs.resolve("work")); // only this run's applications and drivers
    int masterPort = Processes.freePort();
    StandaloneCluster c =
        new StandaloneCluster(logs, logs.resolve("work"), "spark://127.0.0.1:" + masterPort);
    Runtime.getRuntime().addShutdownHook(c.shutdownHook);
    boolean started = false;
    try {
      Path masterLog = logs.resolve("master.log");
      c.master =
          Processes.startSparkJvm(
              c.daemonCommand(
                  "org.apache.spark.deploy.master.Master",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(masterPort),
                  "--webui-port",
                  Integer.toString(Processes.freePort())),
              masterLog);
      Processes.await(
          "Spark Master at " + c.masterUrl + " (log " + masterLog + ")",
          Duration.ofSeconds(60),
          c.master,
          () -> Processes.logContains(masterLog, "I have been elected leader"));
      Path workerLog = logs.resolve("worker.log");
      c.worker =
          Processes.startSparkJvm(
              c.daemonCommand(
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(Processes.freePort()),
                  "--webui-port",
                  Integer.toString(Processes.freePort()),
                  "--cores",
                  Integer.toString(WORKER_CORES),
                  "--memory",
                  "3g",
                  "--work-dir",
                  c.workerDir.toString(),
                  c.masterUrl),
              workerLog);
      Processes.await(
          "Spark Worker registering with " + c.masterUrl + " (log " + workerLog + ")",
          Duration.ofSeconds(60),
          c.worker,
          () -> Processes.logContains(workerLog, "Successfully registered with master"));
      started = true;
      return c;
    } finally {
      if (!started) {
        c.close();
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }

  private List<String> daemonCommand(String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ItEnv.javaBin());
    cmd.addAll(ItEnv.sparkJvmFlags());
    cmd.addAll(ItEnv.childJitFlags());
    cmd.add("-Xmx256m");
    cmd.add("-Djna.tmpdir=" + ItEnv.jnaDir());
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-cp");
    cmd.add(ItEnv.sparkClasspath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  String masterUrl() {
    return masterUrl;
  }

  /**
   * The Worker's work folder: app-*&#47;N/ (executors) and driver-*&#47; (cluster-mode drivers).
   */
  Path workerDir() {
    return workerDir;
  }

  Path logs() {
    return logs;
  }

  /** The Worker JVM's process id (executors and cluster-mode drivers are its children). */
  long workerPid() {
    return worker.pid();
  }

  private synchronized void stop() {
    if (worker != null) {
      Processes.stopTree(worker.toHandle(), Duration.ofSeconds(10));
      worker = null;
    }
    if (master != null) {
      Processes.stopTree(master.toHandle(), Duration.ofSeconds(10));
      master = null;
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook runs stop() again, which is harmless
    }
  }
}
