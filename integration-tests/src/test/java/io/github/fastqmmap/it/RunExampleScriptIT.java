/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command, {@code bin/run-example qc examples/data/sample.fastq --out DIR}, as a
 * user runs it after {@code mvn package}: the QC job on the bundled sample with the embedded {@code
 * local[*]}, through {@code bin/fastq-mmap-submit}, with the class-data archive the script writes
 * on a first run and maps on later ones. Each JDK gets an archive of its own: a JVM ignores another
 * JDK's archive without a word, so a shared one would make every run of the other JDK a slow one.
 */
@Timeout(600)
class RunExampleScriptIT {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);

  @Test
  void theQcCommandRunsAndEachJdkKeepsItsOwnClassDataArchive() throws Exception {
    Path root = ItEnv.projectRoot();
    Path classpath = root.resolve("connector/spark4.2-tests/target/launcher/spark-classpath.txt");
    assumeTrue(
        Files.exists(classpath),
        classpath + " is missing: build the whole reactor (mvn -B verify) to run this test");
    Path launcher = root.resolve("examples/target/launcher");
    deleteArchives(launcher);
    Path sample = root.resolve("examples/data/sample.fastq");
    long records =
        ReferenceFastqParser.of(ParseOptions.defaults())
            .parse(Files.readAllBytes(sample))
            .reads()
            .size();
    Path thisJdk = Path.of(System.getProperty("java.home"));

    String first = runQc(root, thisJdk, "first");
    assertThat(totalSequences(first)).isEqualTo(records);
    Map<Path, FileTime> afterFirst = archives(launcher);
    assertThat(afterFirst).as("the first run writes one archive").hasSize(1);

    Path java25 = ItEnv.java25Home();
    boolean has25 = Files.isExecutable(java25.resolve("bin/java"));
    Map<Path, FileTime> before = afterFirst;
    if (has25) {
      String other = runQc(root, java25, "java25");
      assertThat(other).as("the same report from Java 25").isEqualTo(first);
      Map<Path, FileTime> after25 = archives(launcher);
      assertThat(after25).as("Java 25 writes an archive of its own").hasSize(2);
      assertThat(after25).containsAllEntriesOf(afterFirst);
      before = after25;
    } else {
      System.out.println(
          "RunExampleScriptIT: no "
              + java25
              + "/bin/java; the second JDK's archive is not checked");
    }

    String again = runQc(root, thisJdk, "again");
    assertThat(again).isEqualTo(first);
    assertThat(archives(launcher))
        .as("a later run maps its JDK's archive: none written or rewritten")
        .isEqualTo(before);
  }

  /** Runs the QC command with {@code javaHome} as JAVA_HOME; answers its fastqc_data.txt. */
  private static String runQc(Path root, Path javaHome, String name) throws Exception {
    Path out = ItEnv.workDir("run-example").resolve(name);
    Path log = ItEnv.logsDir("run-example").resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bin/run-example", "qc", "examples/data/sample.fastq", "--out", out.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("FASTQ_MMAP_CDS");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    try {
      boolean done = p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(done).as(name + " within " + RUN_LIMIT + "; log " + log).isTrue();
    } finally {
      Processes.stopTree(p.toHandle(), Duration.ofSeconds(5));
    }
    assertThat(p.exitValue()).as(name + ": " + Files.readString(log)).isZero();
    return Files.readString(out.resolve("sample_fastqc/fastqc_data.txt"), StandardCharsets.UTF_8);
  }

  private static long totalSequences(String fastqcData) {
    return fastqcData
        .lines()
        .filter(l -> l.startsWith("Total Sequences\t"))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf('\t') + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Total Sequences line:\n" + fastqcData));
  }

  private static Map<Path, FileTime> archives(Path launcher) throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    for (Path p : list(launcher)) {
      m.put(p.getFileName(), Files.getLastModifiedTime(p));
    }
    return m;
  }

  private static void deleteArchives(Path launcher) throws IOException {
    for (Path p : list(launcher)) {
      Files.delete(p);
    }
  }

  private static List<Path> list(Path launcher) throws IOException {
    try (Stream<Path> s = Files.list(launcher)) {
      return s.filter(p -> p.getFileName().toString().matches("qc-4\\.2-jdk\\d+\\.jsa")).toList();
    }
  }
}
