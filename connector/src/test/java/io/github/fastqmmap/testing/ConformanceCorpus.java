/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared FASTQ conformance corpus ({@code shared/fastq-conformance}, Biopython and htslib test
 * files with a {@code MANIFEST.tsv}). It lives outside the repository: tests find it by walking up
 * from the working directory and skip, with {@link #SKIP_REASON}, where it is absent. Never copy
 * its files into the repository.
 */
public final class ConformanceCorpus {
  /** The message tests skip with when the corpus cannot be found. */
  public static final String SKIP_REASON =
      "the conformance corpus shared/fastq-conformance was not found above the working directory"
          + " (set -Dfastq.conformance.dir to point at it)";

  private ConformanceCorpus() {}

  /** One line of {@code MANIFEST.tsv}. */
  public record Entry(String file, boolean valid, int records, String encoding, String what) {}

  /**
   * The corpus directory: {@code -Dfastq.conformance.dir} if set, else the first {@code
   * shared/fastq-conformance} found in the working directory or one of its parents.
   */
  public static Optional<Path> directory() {
    String configured = System.getProperty("fastq.conformance.dir");
    if (configured != null && !configured.isBlank()) {
      Path p = Paths.get(configured);
      return Files.isRegularFile(p.resolve("MANIFEST.tsv")) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("fastq-conformance");
      if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The manifest's entries, in its order. */
  public static List<Entry> manifest(Path directory) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<String> lines =
        Files.readAllLines(directory.resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", 5);
      entries.add(new Entry(f[0], f[1].equals("valid"), Integer.parseInt(f[2]), f[3], f[4]));
    }
    return entries;
  }
}
