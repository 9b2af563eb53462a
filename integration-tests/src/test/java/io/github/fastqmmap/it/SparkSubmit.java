/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code org.apache.spark.deploy.SparkSubmit} in its own JVM, as {@code spark-submit} would,
 * from the fake SPARK_HOME's jars; stdout and stderr go to {@code target/cluster-logs/submit/}.
 */
final class SparkSubmit {
  private SparkSubmit() {}

  /** What a finished SparkSubmit left behind. */
  static final class Result {
    final int exitCode;
    final long pid;
    final Path stdout;
    final Path stderr;
    final Duration took;

    Result(int exitCode, long pid, Path stdout, Path stderr, Duration took) {
      this.exitCode = exitCode;
      this.pid = pid;
      this.stdout = stdout;
      this.stderr = stderr;
      this.took = took;
    }

    String stdoutText() throws IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "SparkSubmit pid "
          + pid
          + " exit "
          + exitCode
          + " after "
          + took
          + ", logs "
          + stdout
          + " and "
          + stderr;
    }
  }

  /**
   * Submits with the given spark-submit arguments, waits at most {@code timeout}, and on timeout
   * kills the JVM and what it started before failing.
   */
  static Result run(String name, List<String> submitArgs, Duration timeout)
      throws IOException, InterruptedException {
    return run(name, submitArgs, timeout, Map.of());
  }

  /** As {@link #run(String, List, Duration)}, with {@code env} added to the environment. */
  static Result run(String name, List<String> submitArgs, Duration timeout, Map<String, String> env)
      throws IOException, InterruptedException {
    Path logs = ItEnv.logsDir("submit");
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(ItEnv.javaBin());
    cmd.addAll(ItEnv.sparkJvmFlags());
    cmd.addAll(ItEnv.childJitFlags());
    cmd.add("-Xmx512m");
    cmd.add("-Djna.tmpdir=" + ItEnv.jnaDir());
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-cp");
    // As bin/spark-class does: the Hadoop configuration directory is on the class path.
    cmd.add(
        env.containsKey("HADOOP_CONF_DIR")
            ? env.get("HADOOP_CONF_DIR") + ":" + ItEnv.sparkClasspath()
            : ItEnv.sparkClasspath());
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(submitArgs);
    Files.writeString(
        logs.resolve(name + ".cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    ItEnv.sparkEnvironment(pb.environment());
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "SparkSubmit "
                + name
                + " did not finish in "
                + timeout
                + "; see "
                + out
                + " and "
                + err);
      }
      return new Result(
          p.exitValue(), p.pid(), out, err, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      if (p.isAlive()) {
        Processes.stopTree(p.toHandle(), Duration.ofSeconds(5));
      }
    }
  }

  /** Spark settings every submission of the tests uses: loopback, no UI, JNA under target/. */
  static List<String> commonConf() throws IOException {
    String options = ItEnv.sparkJavaOptions();
    return List.of(
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.extraJavaOptions=" + options,
        "--conf", "spark.executor.extraJavaOptions=" + options);
  }
}
