/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Evicts a file's pages from the page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}), so that
 * the warm-up read puts them back the same way every time.
 *
 * <p>Why: a file's cached pages keep the layout they were read or written with. Pages that came
 * back one by one map with about five times the page faults of pages read ahead in large blocks,
 * and a scan of the mapping got about 20 % slower; the same benchmark drifted by that much within
 * an hour as the cache aged. Evicting, then reading the file sequentially, gives every run the
 * read-ahead layout.
 */
final class PageCache {
  private static final int O_RDONLY = 0;
  private static final int POSIX_FADV_DONTNEED = 4;
  private static final boolean AVAILABLE = register();

  private PageCache() {}

  private static boolean register() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      Native.register(PageCache.class, Platform.C_LIBRARY_NAME);
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  private static native int open(String path, int flags);

  private static native int posix_fadvise(int fd, long offset, long length, int advice);

  private static native int close(int fd);

  /** Evicts the file's clean pages; false where that is not possible here. */
  static boolean evict(Path file) throws IOException {
    if (!AVAILABLE) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(false); // dirty pages are not evicted: write them first
    }
    int fd = open(file.toAbsolutePath().toString(), O_RDONLY);
    if (fd < 0) {
      return false;
    }
    try {
      return posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
    } finally {
      close(fd);
    }
  }
}
