/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a write test compares: the files a write left in a directory, and records as text. */
public final class WrittenFiles {
  private WrittenFiles() {}

  /** The files in {@code dir} whose names end with {@code suffix}, sorted. */
  public static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /**
   * Each read as {@code name|comment|sequence|quality}, sorted: a write keeps records but neither
   * their order across parts nor their offsets.
   */
  public static List<String> records(List<Read> reads) {
    List<String> out = new ArrayList<>();
    for (Read r : reads) {
      out.add(r.name() + "|" + r.comment() + "|" + r.sequence() + "|" + r.quality());
    }
    out.sort(null);
    return out;
  }
}
