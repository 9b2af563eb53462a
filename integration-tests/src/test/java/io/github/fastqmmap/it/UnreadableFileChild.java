/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.spark.SparkReads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Run by {@link UnreadableFileIT} in a JVM that file modes apply to: reads a readable and an
 * unreadable file through fastq-mmap (FAILFAST, then ignoreCorruptFiles), through the Spark-free
 * API, and through Spark's own text source for comparison, and an unreadable directory. Each
 * outcome is one output line, for the test to check.
 */
public final class UnreadableFileChild {
  private UnreadableFileChild() {}

  private static String oneLine(Throwable t) {
    return SparkReads.messages(t).replace('\n', '|');
  }

  public static void main(String[] args) {
    Path good = Path.of(args[0]);
    Path locked = Path.of(args[1]);
    Path lockedDir = Path.of(args[2]);
    System.out.println("READABLE " + Files.isReadable(locked));
    try {
      System.out.println("FAILFAST rows " + SparkReads.load(Map.of(), good, locked).count());
    } catch (Throwable t) {
      System.out.println("FAILFAST-ERROR " + oneLine(t));
    }
    try {
      StringBuilder names = new StringBuilder();
      for (Row r :
          SparkReads.load(Map.of("ignoreCorruptFiles", "true"), good, locked)
              .select("name")
              .collectAsList()) {
        names.append(r.getString(0)).append(' ');
      }
      System.out.println("IGNORE-ROWS " + names.toString().trim());
    } catch (Throwable t) {
      System.out.println("IGNORE-ERROR " + oneLine(t));
    }
    for (String option : new String[] {"ignoreCorruptFiles", "ignoreMissingFiles"}) {
      try {
        long lines =
            SparkReads.spark()
                .read()
                .option(option, "true")
                .text(good.toString(), locked.toString())
                .count();
        System.out.println("SPARK-TEXT-" + option + " lines " + lines);
      } catch (Throwable t) {
        System.out.println("SPARK-TEXT-" + option + " error " + oneLine(t));
      }
    }
    try (RecordReader reader = FastqFiles.open(locked)) {
      System.out.println("PLAIN next() = " + reader.next());
    } catch (Throwable t) {
      System.out.println("PLAIN-ERROR " + t.getClass().getName() + ": " + t.getMessage());
    }
    try {
      System.out.println("DIR rows " + SparkReads.load(Map.of(), lockedDir).count());
    } catch (Throwable t) {
      System.out.println("DIR-ERROR " + oneLine(t));
    }
    System.out.println("DONE");
    SparkReads.spark().stop();
    System.exit(0);
  }
}
