/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where libc mapping is unavailable the reader falls back to {@code FileChannel.map} without
 * advice, with one warning, and returns the same records. A child JVM started with {@code
 * -Dfastqmmap.disableNativeMapping=true} stands in for such a platform.
 */
class FallbackMappingIT {
  /** Reads a file in ranges and prints records, bases and whether libc mapping was used. */
  public static void main(String[] args) throws Exception {
    Path file = Paths.get(args[0]);
    long split = Long.parseLong(args[1]);
    long length = Files.size(file);
    ParseCounters parse = new ParseCounters();
    MappingCounters mapping = new MappingCounters();
    long nameBytes = 0;
    for (long s = 0; s < length; s += split) {
      try (RecordReader reader =
          FastqFiles.open(
              file,
              s,
              Math.min(length, s + split),
              ParseOptions.defaults(),
              MappingOptions.defaults(),
              parse,
              mapping)) {
        while (reader.next()) {
          nameBytes += reader.record().nameLength();
        }
      }
    }
    System.out.println(
        "records="
            + parse.records
            + " bases="
            + parse.bases
            + " names="
            + nameBytes
            + " native="
            + MappedFile.nativeMappingAvailable()
            + " madvise="
            + mapping.madviseCalls
            + " windows="
            + mapping.windowsMapped);
  }

  @Test
  void theChannelFallbackReadsTheSameRecordsWithOneWarning() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(61).records(5_000).readLengths(50, 300).allTricky().generate();
    Path file = g.writeTo(ItEnv.workDir("data").resolve("fallback.fastq"));
    long bases = g.reads().stream().mapToLong(r -> r.sequence().length()).sum();
    long names = g.reads().stream().mapToLong(r -> r.name().length()).sum();

    String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(javaBin);
    command.add("-Dfastqmmap.disableNativeMapping=true");
    command.add("-Djna.tmpdir=" + ItEnv.jnaDir());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FallbackMappingIT.class.getName());
    command.add(file.toString());
    command.add("8192");
    Path log = ItEnv.logsDir("fallback").resolve("child-jvm.log");
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    } finally {
      child.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output)
        .contains(
            "records=" + g.reads().size() + " bases=" + bases + " names=" + names + " native=false")
        .contains("madvise=0");
    int warnings = output.split("falling back to FileChannel.map", -1).length - 1;
    assertThat(warnings).as("one warning, however many files and windows: %s", output).isEqualTo(1);
    assertThat(output).contains("disabled by -Dfastqmmap.disableNativeMapping=true");
  }
}
