/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteSourceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows copied with {@code pread} ({@code windowRead=copy}) instead of mapped: page-sized windows
 * and prefetching, so that windows switch often and both copy buffers are in use.
 */
class CopiedWindowsContractTest extends ByteSourceContract {
  @TempDir Path dir;

  private int files;

  @Override
  protected ByteSource open(String name, byte[] data) throws IOException {
    Path file = Files.write(dir.resolve(name + "-" + files++ + ".fastq"), data);
    int page = MappedFile.pageSize();
    MappingOptions small =
        MappingOptions.builder()
            .windowBytes(4L * page)
            .prefetchBytes(2L * page)
            .windowRead(WindowRead.COPY)
            .build();
    return MappedByteSource.open(file, name, small, new MappingCounters());
  }
}
