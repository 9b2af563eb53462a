/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.WindowRead;
import java.util.List;

/**
 * Where the truncation tests cut a file that a reader has mapped, and the mapped windows they read
 * it through. Copied windows ({@code windowRead=auto} on a file just written) hold the bytes as
 * they were read, so these pin {@code windowRead=map}: the fault is what the tests are about.
 */
public final class TruncationCases {
  private TruncationCases() {}

  /** The new lengths: empty, inside the first page, at a page boundary, mid-page, half. */
  public static long[] newLengths(long length) {
    int page = MappedFile.pageSize();
    return new long[] {0, 100, page, 10L * page + 17, length / 2};
  }

  /** One large window, 16-page windows with read-ahead, and one-page windows without. */
  public static List<MappingOptions> mappedWindows() {
    long page = MappedFile.pageSize();
    return List.of(
        MappingOptions.builder().windowRead(WindowRead.MAP).build(),
        MappingOptions.builder()
            .windowBytes(16 * page)
            .prefetchBytes(4 * page)
            .windowRead(WindowRead.MAP)
            .build(),
        MappingOptions.builder()
            .windowBytes(page)
            .prefetchBytes(0)
            .windowRead(WindowRead.MAP)
            .build());
  }
}
