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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command, {@code bin/run-example qc examples/data/sample.fastq --out DIR}, as a
 * user runs it after {@code mvn package}: the QC job on the bundled sample with the embedded {@code
 * local[*]}, through {@code bin/fastq-mmap-submit}, with the class-data archive that script writes
 * for each application on its first run that succeeds and maps on later ones. Each JDK gets an
 * archive of its own: a JVM ignores another JDK's archive without a word, so a shared one would
 * make every run of the other JDK a slow one.
 */
@Timeout(600)
class RunExampleScriptIT {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
  private static final String QC_ARCHIVE =
      "io\\.github\\.fastqmmap\\.examples\\.FastqQc-jdk\\d+\\.jsa";
  private static final String SQL_ARCHIVE =
      "io\\.github\\.fastqmmap\\.examples\\.FastqSql-jdk\\d+\\.jsa(\\.\\d+\\.tmp)?";
  private static final String ARCHIVE_NOTE =
      "this first run of io.github.fastqmmap.examples.FastqSql also writes a class-data archive";

  @Test
  void theQcCommandRunsAndEachJdkKeepsItsOwnClassDataArchive() throws Exception {
    Path root = ItEnv.projectRoot();
    Path classpath = root.resolve("connector/spark4.2-tests/target/launcher/spark-classpath.txt");
    assumeTrue(
        Files.exists(classpath),
        classpath + " is missing: build the whole reactor (mvn -B verify) to run this test");
    Path launcher = archiveDir(root);
    deleteArchives(launcher, QC_ARCHIVE);
    Path sample = root.resolve("examples/data/sample.fastq");
    long records =
        ReferenceFastqParser.of(ParseOptions.defaults())
            .parse(Files.readAllBytes(sample))
            .reads()
            .size();
    Path thisJdk = Path.of(System.getProperty("java.home"));

    String first = runQc(root, thisJdk, "first");
    assertThat(totalSequences(first)).isEqualTo(records);
    Map<Path, FileTime> afterFirst = archives(launcher, QC_ARCHIVE);
    assertThat(afterFirst).as("the first run writes one archive").hasSize(1);

    Path java25 = ItEnv.java25Home();
    boolean has25 = Files.isExecutable(java25.resolve("bin/java"));
    Map<Path, FileTime> before = afterFirst;
    if (has25) {
      String other = runQc(root, java25, "java25");
      assertThat(other).as("the same report from Java 25").isEqualTo(first);
      Map<Path, FileTime> after25 = archives(launcher, QC_ARCHIVE);
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
    assertThat(archives(launcher, QC_ARCHIVE))
        .as("a later run maps its JDK's archive: none written or rewritten")
        .isEqualTo(before);
  }

  @Test
  void anyApplicationThroughTheLauncherGetsAnArchiveFromItsFirstRunThatSucceeds() throws Exception {
    Path root = ItEnv.projectRoot();
    Path launcher = withoutSqlArchive(root);

    Run failed = runSql(root, "failed", root.resolve("examples/data/no-such-file.fastq"));
    assertThat(failed.exit()).as(failed.output()).isNotZero();
    assertThat(failed.output()).contains(ARCHIVE_NOTE).contains("no-such-file.fastq");
    assertThat(archives(launcher, SQL_ARCHIVE))
        .as("a run that failed leaves no archive, not even its temporary file")
        .isEmpty();

    Path reads = root.resolve("examples/data/untrimmed.fastq");
    Run first = runSql(root, "first", reads);
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output()).contains(ARCHIVE_NOTE);
    Map<Path, FileTime> written = archives(launcher, SQL_ARCHIVE);
    assertThat(written).as("the first run that succeeds writes one archive").hasSize(1);

    Run again = runSql(root, "again", reads);
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).doesNotContain(ARCHIVE_NOTE);
    assertThat(tables(again.output()))
        .as("the same answer with the archive mapped")
        .isEqualTo(tables(first.output()))
        .contains("|   400 |                114 |            28.5 |");
    assertThat(archives(launcher, SQL_ARCHIVE))
        .as("a later run maps the archive: none written or rewritten")
        .isEqualTo(written);
  }

  @Test
  void aFirstRunStoppedByASignalStopsItsJavaAndKeepsNoArchive() throws Exception {
    Path root = ItEnv.projectRoot();
    Path launcher = withoutSqlArchive(root);
    Path log = ItEnv.logsDir("run-example").resolve("sql-stopped.log");
    Process script =
        start(root, log, Map.of(), sqlCommand(root.resolve("examples/data/untrimmed.fastq")));
    try {
      // The script does not exec java on a run that writes an archive: it waits for it.
      ProcessHandle java = null;
      for (int i = 0; i < 300 && java == null; i++) {
        java =
            script
                .toHandle()
                .children()
                .filter(h -> h.info().command().orElse("").endsWith("/java"))
                .findFirst()
                .orElse(null);
        Thread.sleep(100);
      }
      assertThat(java).as("the script's java child; log " + log).isNotNull();
      Thread.sleep(2_000);

      script.destroy(); // SIGTERM to the script only, as a scheduler stopping the job sends it

      assertThat(java.onExit().get(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS).isAlive())
          .as("java stops with the script")
          .isFalse();
      assertThat(script.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(script.exitValue()).as(output).isNotZero();
      assertThat(output)
          .as("stopped, not run to its end")
          .doesNotContain("-- A few of them, with where the adapter starts.");
      assertThat(archives(launcher, SQL_ARCHIVE))
          .as("a stopped run leaves no archive, not even its temporary file")
          .isEmpty();
    } finally {
      Processes.stopTree(script.toHandle(), Duration.ofSeconds(5));
    }
  }

  private record Run(int exit, String output) {}

  /** Runs the SQL example through bin/fastq-mmap-submit itself, as a user runs any application. */
  private static Run runSql(Path root, String name, Path reads) throws Exception {
    return run(root, "sql-" + name, Map.of(), sqlCommand(reads));
  }

  private static String[] sqlCommand(Path reads) {
    return new String[] {
      "bin/fastq-mmap-submit",
      "--master",
      "local[1]",
      "--jars",
      ItEnv.connectorJar().toString(),
      "--class",
      "io.github.fastqmmap.examples.FastqSql",
      ItEnv.examplesJar().toString(),
      reads.toString()
    };
  }

  /**
   * Runs {@code command} from the project's root as a user's shell would, with {@code env} added
   * and no JAVA_OPTS or FASTQ_MMAP_CDS of the build's; answers its exit status and output.
   */
  private static Run run(Path root, String name, Map<String, String> env, String... command)
      throws Exception {
    Path log = ItEnv.logsDir("run-example").resolve(name + ".log");
    Process p = start(root, log, env, command);
    try {
      boolean done = p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(done).as(name + " within " + RUN_LIMIT + "; log " + log).isTrue();
    } finally {
      Processes.stopTree(p.toHandle(), Duration.ofSeconds(5));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts {@code command} as {@link #run} does, its output to {@code log}. */
  private static Process start(Path root, Path log, Map<String, String> env, String... command)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("FASTQ_MMAP_CDS");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The launcher's archive folder for the 4.2 line, without the SQL example's archive. */
  private static Path withoutSqlArchive(Path root) throws IOException {
    Path launcher = archiveDir(root);
    assumeTrue(
        Files.exists(launcher.resolveSibling("spark-classpath.txt")),
        "connector/spark4.2-tests was not built: build the whole reactor (mvn -B verify)");
    deleteArchives(launcher, SQL_ARCHIVE);
    return launcher;
  }

  /** The tables the SQL example prints, without Spark's log lines. */
  private static String tables(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("|") || l.startsWith("-- "))
        .collect(Collectors.joining("\n"));
  }

  private static Path archiveDir(Path root) {
    return root.resolve("connector/spark4.2-tests/target/launcher/cds");
  }

  /** Runs the QC command with {@code javaHome} as JAVA_HOME; answers its fastqc_data.txt. */
  private static String runQc(Path root, Path javaHome, String name) throws Exception {
    Path out = ItEnv.workDir("run-example").resolve(name);
    Run qc =
        run(
            root,
            name,
            Map.of("JAVA_HOME", javaHome.toString()),
            "bin/run-example",
            "qc",
            "examples/data/sample.fastq",
            "--out",
            out.toString());
    assertThat(qc.exit()).as(name + ": " + qc.output()).isZero();
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

  private static Map<Path, FileTime> archives(Path launcher, String name) throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    for (Path p : list(launcher, name)) {
      m.put(p.getFileName(), Files.getLastModifiedTime(p));
    }
    return m;
  }

  private static void deleteArchives(Path launcher, String name) throws IOException {
    for (Path p : list(launcher, name)) {
      Files.delete(p);
    }
  }

  private static List<Path> list(Path launcher, String name) throws IOException {
    if (!Files.isDirectory(launcher)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(launcher)) {
      return s.filter(p -> p.getFileName().toString().matches(name)).toList();
    }
  }
}
