/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * fastq-mmap through Spark Connect: a Spark Connect server (Spark 4.2 from Maven jars, {@code
 * SparkSubmit --jars <connector jar> --class SparkConnectServer spark-internal}, which is what
 * {@code sbin/start-connect-server.sh --jars <connector jar>} runs) in its own JVM, and the Spark
 * Connect JVM client in this one, whose class path has no Spark server classes and no connector.
 * The client reads with the DataFrame API, queries with SQL and writes; every figure is checked
 * against a plain parse of the generated file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class SparkConnectIT {
  private static final int READS = 2_000;

  private Process server;
  private SparkSession spark;
  private Path work;
  private Path input;
  private final Map<String, String> sequences = new TreeMap<>();
  private long bases;

  private static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property " + name + " is not set; run through Maven: see connect-it/pom.xml");
    }
    return v;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /** Four-line FASTQ with unique names and 20-200 bp, some with a comment; keeps the truth. */
  private void generate(Path file) throws IOException {
    SplittableRandom rng = new SplittableRandom(7);
    char[] acgt = {'A', 'C', 'G', 'T'};
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < READS; i++) {
        int length = 20 + rng.nextInt(181);
        StringBuilder seq = new StringBuilder(length);
        StringBuilder qual = new StringBuilder(length);
        for (int j = 0; j < length; j++) {
          seq.append(acgt[rng.nextInt(4)]);
          qual.append((char) ('!' + 2 + rng.nextInt(39)));
        }
        String name = "connect:" + i;
        out.write("@" + name + (i % 3 == 0 ? " 1:N:0:" + i : "") + "\n");
        out.write(seq + "\n+\n" + qual + "\n");
        sequences.put(name, seq.toString());
        bases += length;
      }
    }
  }

  @BeforeAll
  void startServerAndClient() throws Exception {
    work = Files.createDirectories(Paths.get(property("it.work.dir")).toAbsolutePath());
    input = work.resolve("connect-reads.fastq");
    Files.deleteIfExists(input);
    generate(input);
    Path sparkHome = Paths.get(property("it.connect.spark.home")).toAbsolutePath();
    Path connectorJar = Paths.get(property("it.connector.jar")).toAbsolutePath();
    assertThat(sparkHome.resolve("jars"))
        .as("connect-server's jars (build it first)")
        .isDirectory();
    assertThat(connectorJar).as("the connector jar (build it first)").isRegularFile();
    Path logs = Files.createDirectories(Paths.get(property("it.logs.dir")).toAbsolutePath());
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(property("it.spark.jvm.flags").trim().split("\\s+")));
    cmd.addAll(
        List.of(
            "-Xmx1g",
            "-Djna.tmpdir=" + work.resolve("jna"),
            "-Djava.awt.headless=true",
            "-cp",
            sparkHome.resolve("jars") + "/*",
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--name",
            "fastq-mmap Spark Connect IT",
            "--jars",
            connectorJar.toString(),
            "--conf",
            "spark.connect.grpc.binding.address=127.0.0.1",
            "--conf",
            "spark.connect.grpc.binding.port=" + port,
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=2",
            "--class",
            "org.apache.spark.sql.connect.service.SparkConnectServer",
            "spark-internal"));
    Path log = logs.resolve("server.log");
    Files.writeString(
        logs.resolve("server.cmd"), String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals("HADOOP_CONF_DIR"));
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    server = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!listening(port)) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "the Spark Connect server exited with " + server.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Spark Connect server is not up in 240 s; see " + log);
      }
      Thread.sleep(500);
    }
    spark = SparkSession.builder().remote("sc://127.0.0.1:" + port).getOrCreate();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (spark != null) {
        spark.close();
      }
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
          server.destroyForcibly();
          server.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void readsWithTheDataFrameApi() {
    Dataset<Row> reads = spark.read().format("fastq-mmap").load(input.toString());
    assertThat(reads.columns()).containsExactly("name", "comment", "sequence", "quality");
    Row totals =
        reads
            .selectExpr(
                "count(*)",
                "sum(octet_length(sequence))",
                "count(DISTINCT _metadata.file_name)",
                "min(_metadata.file_size)",
                "count(comment)")
            .first();
    assertThat(totals.getLong(0)).isEqualTo(READS);
    assertThat(totals.getLong(1)).isEqualTo(bases);
    assertThat(totals.getLong(2)).isEqualTo(1);
    assertThat(totals.getLong(3)).isEqualTo(input.toFile().length());
    assertThat(totals.getLong(4)).isEqualTo((READS + 2) / 3);
    List<Row> some =
        reads.where("name IN ('connect:0', 'connect:1999')").orderBy("name").collectAsList();
    assertThat(some).hasSize(2);
    assertThat(some.get(0).getString(0)).isEqualTo("connect:0");
    assertThat(some.get(0).getString(1)).isEqualTo("1:N:0:0");
    assertThat(some.get(0).getString(2)).isEqualTo(sequences.get("connect:0"));
    assertThat(some.get(1).getString(2)).isEqualTo(sequences.get("connect:1999"));
    assertThat(some.get(1).isNullAt(1)).isTrue();
  }

  @Test
  void queriesWithSql() {
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW connect_reads USING `fastq-mmap` OPTIONS (path '"
            + input
            + "')");
    List<Row> byLength =
        spark
            .sql(
                "SELECT octet_length(sequence) >= 100 AS long_read, count(*) AS n,"
                    + " sum(octet_length(sequence)) AS b FROM connect_reads"
                    + " GROUP BY 1 ORDER BY 1")
            .collectAsList();
    long longReads = sequences.values().stream().filter(s -> s.length() >= 100).count();
    long longBases =
        sequences.values().stream().filter(s -> s.length() >= 100).mapToLong(String::length).sum();
    assertThat(byLength).hasSize(2);
    assertThat(byLength.get(0).getBoolean(0)).isFalse();
    assertThat(byLength.get(0).getLong(1)).isEqualTo(READS - longReads);
    assertThat(byLength.get(1).getLong(1)).isEqualTo(longReads);
    assertThat(byLength.get(1).getLong(2)).isEqualTo(longBases);
  }

  @Test
  void writesAndReadsBack() throws IOException {
    Path out = work.resolve("connect-out");
    spark
        .read()
        .format("fastq-mmap")
        .load(input.toString())
        .where("octet_length(sequence) >= 100")
        .write()
        .format("fastq-mmap")
        .mode("overwrite")
        .save(out.toString());
    // On disk, written by the server: FASTQ part files with the long reads.
    Map<String, String> written = new TreeMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path part :
          files
              .filter(p -> p.getFileName().toString().startsWith("part-"))
              .collect(Collectors.toList())) {
        List<String> lines = Files.readAllLines(part, StandardCharsets.US_ASCII);
        for (int i = 0; i + 3 < lines.size(); i += 4) {
          written.put(lines.get(i).substring(1).split(" ", 2)[0], lines.get(i + 1));
        }
      }
    }
    Map<String, String> expected = new TreeMap<>(sequences);
    expected.values().removeIf(s -> s.length() < 100);
    assertThat(written).isEqualTo(expected);
    assertThat(out.resolve("_SUCCESS")).exists();
    // And through the client again.
    assertThat(spark.read().format("fastq-mmap").load(out.toString()).count())
        .isEqualTo(expected.size());
  }

  @Test
  void errorsReachTheClientWithTheirMessage() {
    Path missing = work.resolve("no-such-file.fastq");
    assertThatThrownBy(() -> spark.read().format("fastq-mmap").load(missing.toString()).count())
        .hasMessageContaining(missing.getFileName().toString());
    assertThatThrownBy(
            () ->
                spark
                    .read()
                    .format("fastq-mmap")
                    .option("qualityEncoding", "phred99")
                    .load(input.toString())
                    .count())
        .hasMessageContaining("qualityEncoding");
  }
}
