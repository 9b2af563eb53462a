/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.spark.SparkReads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unreadable file, honestly: these tests run as root, which reads any file whatever its mode, so
 * the reading happens in a child JVM started through {@code setpriv} without the CAP_DAC_OVERRIDE
 * and CAP_DAC_READ_SEARCH capabilities, for which a mode-000 file is unreadable. (The child checks
 * that, and the test is skipped with the reason where it cannot be arranged.) FAILFAST fails naming
 * the file and "Permission denied"; {@code ignoreCorruptFiles} skips it and reads the other file,
 * as Spark's own text source does; the Spark-free API says the same; an unreadable directory fails
 * at planning, naming it.
 */
class UnreadableFileIT {
  private static final String GOOD = "@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n##\n";
  private static final List<String> WITHOUT_DAC =
      List.of(
          "setpriv",
          "--bounding-set=-dac_override,-dac_read_search",
          "--inh-caps=-dac_override,-dac_read_search");

  private Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-unreadable-");
  }

  @AfterEach
  void cleanUp() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Whether {@code setpriv} without DAC capabilities makes {@code file} unreadable. */
  private static boolean unreadableWithoutDac(Path file) {
    try {
      List<String> command = new java.util.ArrayList<>(WITHOUT_DAC);
      command.addAll(List.of("test", "-r", file.toString()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 1;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void unreadableFileFailsClearlyAndIsSkippedWithIgnoreCorruptFiles() throws Exception {
    Path good = SparkReads.write(dir.resolve("a-good.fastq"), GOOD);
    Path locked = SparkReads.write(dir.resolve("b-locked.fastq"), GOOD);
    Path lockedDir = Files.createDirectories(dir.resolve("locked-dir"));
    SparkReads.write(lockedDir.resolve("c.fastq"), GOOD);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeTrue(
        unreadableWithoutDac(locked),
        "setpriv cannot drop CAP_DAC_OVERRIDE here, so no process of this user finds a mode-000"
            + " file unreadable");
    try (ChildJvm child =
        new ChildJvm(
            WITHOUT_DAC,
            List.of("-Xmx512m", "-XX:+UseSerialGC"),
            UnreadableFileChild.class,
            good.toString(),
            locked.toString(),
            lockedDir.toString())) {
      assertThat(child.await("READABLE ", Duration.ofSeconds(120))).isEqualTo("false");
      assertThat(child.await("FAILFAST", Duration.ofSeconds(180)))
          .startsWith("-ERROR ")
          .contains("Cannot open " + locked + " for reading: errno 13 (Permission denied).");
      assertThat(child.await("IGNORE-", Duration.ofSeconds(120))).isEqualTo("ROWS r1 r2");
      // Spark's own text source, for comparison: on local files Java reports EACCES as a
      // FileNotFoundException, so Spark calls the file missing ("File does not exist") and skips
      // it only with ignoreMissingFiles. (On HDFS it is an AccessControlException, which
      // ignoreCorruptFiles skips, as fastq-mmap does everywhere.)
      assertThat(child.await("SPARK-TEXT-ignoreCorruptFiles ", Duration.ofSeconds(120)))
          .startsWith("error ")
          .contains("FAILED_READ_FILE.FILE_NOT_EXIST")
          .contains("(Permission denied)");
      assertThat(child.await("SPARK-TEXT-ignoreMissingFiles ", Duration.ofSeconds(120)))
          .isEqualTo("lines 8");
      assertThat(child.await("PLAIN", Duration.ofSeconds(60)))
          .isEqualTo(
              "-ERROR java.io.IOException: Cannot open "
                  + locked
                  + " for reading: errno 13 (Permission denied).");
      assertThat(child.await("DIR", Duration.ofSeconds(120)))
          .startsWith("-ERROR ")
          .contains("Cannot list " + lockedDir)
          .contains("Permission denied");
      child.await("DONE", Duration.ofSeconds(30));
      assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
    }
  }
}
