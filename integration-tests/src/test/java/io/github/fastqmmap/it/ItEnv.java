/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Paths and settings that the Failsafe configuration (integration-tests/pom.xml) hands over. */
final class ItEnv {
  private ItEnv() {}

  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + name
              + " is not set; run the integration tests through Maven:"
              + " mvn -B verify (see integration-tests/pom.xml)");
    }
    return v;
  }

  private static Path existing(String property) {
    Path p = Paths.get(property(property)).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p + " (" + property + ") does not exist; build the reactor first: mvn -B verify");
    }
    return p;
  }

  /** The shaded connector jar that spark-submit ships with --jars. */
  static Path connectorJar() {
    return existing("it.connector.jar");
  }

  /** The examples jar (the application jar). */
  static Path examplesJar() {
    return existing("it.examples.jar");
  }

  /** A SPARK_HOME whose jars/ holds Spark from Maven, for Master, Worker and SparkSubmit. */
  static Path sparkHome() {
    Path home = existing("it.spark.home");
    if (!Files.isDirectory(home.resolve("jars"))) {
      throw new IllegalStateException(home + "/jars is missing");
    }
    return home;
  }

  static Path dataDir() {
    return existing("it.data.dir");
  }

  /** The checkout this build runs in: bin/, examples/data/ and every module's target/. */
  static Path projectRoot() {
    return existing("it.project.root");
  }

  /** Java 25's home (the parent POM's java25.home), which may be absent on a machine. */
  static Path java25Home() {
    return Paths.get(property("it.java25.home"));
  }

  /** Scratch space: generated files, report folders. */
  static Path workDir(String name) throws IOException {
    return Files.createDirectories(
        Paths.get(property("it.work.dir")).toAbsolutePath().resolve(name));
  }

  /** Where every process a test starts keeps its log. */
  static Path logsDir(String name) throws IOException {
    return Files.createDirectories(
        Paths.get(property("it.logs.dir")).toAbsolutePath().resolve(name));
  }

  /** jna.tmpdir for JVMs the tests start (JNA would otherwise unpack under ~/.cache). */
  static Path jnaDir() throws IOException {
    return Files.createDirectories(Paths.get(property("it.jna.dir")).toAbsolutePath());
  }

  /** Spark's JVM module flags for Java 17 (the parent POM's spark.jvm.flags). */
  static List<String> sparkJvmFlags() {
    return new ArrayList<>(Arrays.asList(property("it.spark.jvm.flags").trim().split("\\s+")));
  }

  /**
   * JIT flags of the JVMs the tests start (the parent POM's test.child.jit.flags): they read little
   * data, so C1 alone spends less CPU than C2 would; the flags are only for tests, never for users.
   */
  static List<String> childJitFlags() {
    String flags = System.getProperty("it.child.jit.flags", "").trim();
    return flags.isEmpty()
        ? new ArrayList<>()
        : new ArrayList<>(Arrays.asList(flags.split("\\s+")));
  }

  /**
   * spark.driver.extraJavaOptions and spark.executor.extraJavaOptions for the Spark JVMs that a
   * cluster starts: this build's jna.tmpdir, no display, the tests' JIT flags.
   */
  static String sparkJavaOptions() throws IOException {
    List<String> options = new ArrayList<>();
    options.add("-Djna.tmpdir=" + jnaDir());
    options.add("-Djava.awt.headless=true");
    options.addAll(childJitFlags());
    return String.join(" ", options);
  }

  static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The classpath of a JVM that runs Spark from the fake SPARK_HOME. */
  static String sparkClasspath() {
    return sparkHome().resolve("jars") + "/*";
  }

  /** Environment of every Spark process the tests start. */
  static void sparkEnvironment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals("HADOOP_CONF_DIR"));
    env.put("SPARK_HOME", sparkHome().toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
  }
}
