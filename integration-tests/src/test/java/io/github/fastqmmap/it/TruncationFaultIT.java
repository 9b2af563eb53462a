/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.testing.OpenFiles;
import io.github.fastqmmap.testing.TruncationCases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file truncated under its mapping, read where HotSpot raises the fault at the access: in a JVM
 * that only interprets ({@code -Xint}). There every fault reaches {@code RecordReader.next()},
 * which reports it as one {@code FileChangedDuringReadException}, after exactly the file's first
 * records. In JIT-compiled code JDK 17 may raise the same fault only after {@code next()} has
 * returned (README, "Guarantees and limits"); how often depends on what the JIT inlined, so {@code
 * ChangedFileTest} accepts both outcomes and this test pins down the one that must always hold.
 */
class TruncationFaultIT {
  @TempDir Path dir;

  @Test
  void everyFaultInInterpretedCodeIsReportedByNext() throws Exception {
    Assumptions.assumeTrue(
        MappedFile.nativeMappingAvailable() && OpenFiles.available(),
        "needs libc mapping and /proc/self (Linux)");
    int cases = TruncationCases.newLengths(0).length * TruncationCases.mappedWindows().size();
    try (ChildJvm child =
        new ChildJvm(
            List.of(),
            List.of("-Xint", "-Xmx256m", "-XX:+UseSerialGC"),
            TruncationFaultChild.class,
            dir.toString())) {
      long length = Long.parseLong(child.await("LENGTH ", Duration.ofSeconds(120)));
      for (int i = 0; i < cases; i++) {
        String line = child.await("CASE ", Duration.ofSeconds(120));
        String[] words = line.split(" ", 3);
        Path file = dir.resolve("shrinks-" + words[0] + "-" + words[1] + ".fastq");
        assertThat(words[2])
            .as("case %s", line)
            .startsWith("records=")
            .contains(" exact=true mappings/descriptors=0/0 CHANGED file=" + file + " ")
            .contains(" suppressed=[java.lang.InternalError] cause=null ")
            .contains(" message=File changed during read: " + file + " was " + length + " bytes")
            .contains("truncated")
            .contains("open the file again");
      }
      child.await("DONE", Duration.ofSeconds(30));
      assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
    }
  }
}
