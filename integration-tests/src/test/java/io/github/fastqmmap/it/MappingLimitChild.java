/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.spark.SparkReads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link MappingLimitsIT} in its own JVM: starts Spark, reports its address-space size,
 * waits while the test lowers its {@code RLIMIT_AS}, then reads a file whose window cannot be
 * mapped under that limit (through Spark and through the Spark-free API), and a small file after
 * that. Each outcome is one output line, for the test to check.
 */
public final class MappingLimitChild {
  private MappingLimitChild() {}

  public static void main(String[] args) throws Exception {
    Path big = Path.of(args[0]);
    Path small = Path.of(args[1]);
    System.out.println("WARM " + SparkReads.load(Map.of(), small).count());
    System.out.println("VMSIZE " + vmSizeKb());
    String go =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    System.out.println("LIMITED " + go);
    try {
      long n = SparkReads.load(Map.of("maxPartitionBytes", "3g", "windowBytes", "3g"), big).count();
      System.out.println("SPARK-BIG no error, " + n + " rows");
    } catch (Throwable t) {
      System.out.println("SPARK-BIG-ERROR " + SparkReads.messages(t).replace('\n', '|'));
    }
    try (RecordReader reader =
        FastqFiles.open(
            big,
            0,
            Long.MAX_VALUE,
            ParseOptions.defaults(),
            MappingOptions.builder().windowBytes(3L << 30).build(),
            new ParseCounters(),
            new MappingCounters())) {
      System.out.println("PLAIN-BIG no error, next() = " + reader.next());
    } catch (Throwable t) {
      System.out.println("PLAIN-BIG-ERROR " + t.getClass().getName() + ": " + t.getMessage());
    }
    System.out.println("SMALL " + SparkReads.load(Map.of(), small).count());
    System.out.println("DONE");
    SparkReads.spark().stop();
    System.exit(0);
  }

  private static long vmSizeKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmSize:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmSize in /proc/self/status");
  }
}
