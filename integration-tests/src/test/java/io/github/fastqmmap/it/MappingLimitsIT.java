/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.spark.SparkReads;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A mapping the kernel refuses gives the actionable message, as a task error, and the JVM goes on.
 * A child JVM starts Spark, then its address space is limited ({@code prlimit --pid ... --as}, the
 * {@code ulimit -v} of a running process) to what it uses plus 1 GiB, and it reads a 3 GiB (sparse)
 * file with 1.5 GiB and 3 GiB windows: mmap fails with ENOMEM, and the error says so, names the
 * file and says to check {@code ulimit -v} and {@code vm.max_map_count} or lower {@code
 * windowBytes}. The same JVM then reads a small file.
 */
class MappingLimitsIT {
  private static final String GOOD = "@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n##\n";

  private Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-limits-");
  }

  @AfterEach
  void cleanUp() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static boolean commandWorks(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void addressSpaceLimitGivesTheActionableMessage() throws Exception {
    Assumptions.assumeTrue(
        commandWorks("prlimit", "--version") && Files.isReadable(Path.of("/proc/self/status")),
        "needs Linux with prlimit (util-linux) to limit a child JVM's address space");
    Path big = dir.resolve("big.fastq");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength((3L << 30) + 12_345); // sparse: no disk used
    }
    Path small = SparkReads.write(dir.resolve("small.fastq"), GOOD);
    try (ChildJvm child =
        new ChildJvm(
            List.of(),
            List.of("-Xmx512m", "-XX:ReservedCodeCacheSize=128m", "-XX:+UseSerialGC"),
            MappingLimitChild.class,
            big.toString(),
            small.toString())) {
      assertThat(child.await("WARM ", Duration.ofSeconds(180))).isEqualTo("2");
      long vmSize = Long.parseLong(child.await("VMSIZE ", Duration.ofSeconds(30))) << 10;
      long limit = vmSize + (1L << 30);
      assertThat(
              commandWorks(
                  "prlimit", "--pid", Long.toString(child.pid()), "--as=" + limit + ":" + limit))
          .as("prlimit --pid %d --as=%d", child.pid(), limit)
          .isTrue();
      child.send("go");
      assertThat(child.await("LIMITED ", Duration.ofSeconds(30))).isEqualTo("go");
      String spark = child.await("SPARK-BIG", Duration.ofSeconds(180));
      assertThat(spark)
          .startsWith("-ERROR ")
          .contains("mmap of ")
          .contains(" bytes of " + big + " at offset ")
          .contains("failed: errno 12 (Cannot allocate memory).")
          .contains("The process ran out of address space or mappings: check ulimit -v and")
          .contains("vm.max_map_count")
          .contains("or lower windowBytes");
      String plain = child.await("PLAIN-BIG", Duration.ofSeconds(60));
      assertThat(plain)
          .startsWith(
              "-ERROR java.io.IOException: mmap of "
                  + (3L << 30)
                  + " bytes of "
                  + big
                  + " at offset 0 (a window ending at "
                  + (3L << 30)
                  + ") failed: errno 12 (Cannot allocate memory).")
          .contains("check ulimit -v");
      // The JVM goes on, under the same limit.
      assertThat(child.await("SMALL ", Duration.ofSeconds(120))).isEqualTo("2");
      child.await("DONE", Duration.ofSeconds(30));
      assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
    }
  }
}
