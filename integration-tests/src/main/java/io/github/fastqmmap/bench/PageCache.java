/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Puts a data file into one of the page-cache {@link State}s the benchmark reads it in, and evicts
 * a file's pages from the page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}).
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

  /**
   * How the page cache holds a file when it is read. A file's cached pages keep the layout they
   * were created with until they are evicted: reading never changes it, so one preparation serves
   * every run (cold excepted, which evicts before each run).
   */
  enum State {
    /** Written by a program (1 MiB write calls), as a previous pipeline step leaves a file. */
    WRITTEN("written"),
    /** Copied with {@code cp}, as a file staged onto a node. */
    COPIED("copied"),
    /** Evicted, then read once sequentially: the kernel's read-ahead, in large folios. */
    READ_AHEAD("read-ahead"),
    /** Evicted before every run, not read again: read from the disk. */
    COLD("cold");

    private final String id;

    State(String id) {
      this.id = id;
    }

    String id() {
      return id;
    }

    /** Whether the file is in the page cache when a run starts. */
    boolean warm() {
      return this != COLD;
    }

    static State fromId(String value) {
      for (State s : values()) {
        if (s.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown page-cache state '" + value + "'; states: " + ids());
    }

    static String ids() {
      StringBuilder b = new StringBuilder();
      for (State s : values()) {
        b.append(b.length() == 0 ? "" : ",").append(s.id);
      }
      return b.toString();
    }
  }

  /**
   * Makes the file that is read in {@code state}: the generated file itself for read-ahead (evicted
   * and read once), a fresh copy next to it for the others (written, copied with {@code cp}, or
   * copied and evicted for cold), each with its truth file. Returns its path.
   */
  static Path prepare(Path base, State state, PrintStream out) throws IOException {
    String name = base.getFileName().toString();
    String stem = name.endsWith(".fastq") ? name.substring(0, name.length() - 6) : name;
    Path target =
        state == State.READ_AHEAD ? base : base.resolveSibling(stem + "." + state.id + ".fastq");
    long t0 = System.nanoTime();
    String what;
    switch (state) {
      case WRITTEN:
        Files.deleteIfExists(target);
        try (InputStream in = Files.newInputStream(base);
            OutputStream o = Files.newOutputStream(target)) {
          byte[] buffer = new byte[1 << 20];
          int n;
          while ((n = in.read(buffer)) > 0) {
            o.write(buffer, 0, n);
          }
        }
        sync(target);
        what = "written by this program (1 MiB writes)";
        break;
      case COPIED:
        Files.deleteIfExists(target);
        run(List.of("cp", "--reflink=never", base.toString(), target.toString()));
        sync(target);
        what = "copied with cp";
        break;
      case READ_AHEAD:
        boolean evicted = readAhead(base);
        what = evicted ? "evicted, then read once" : "read once (could not evict it first)";
        break;
      case COLD:
        if (!Files.exists(target) || Files.size(target) != Files.size(base)) {
          run(List.of("cp", "--reflink=never", base.toString(), target.toString()));
        }
        if (!evict(target)) {
          throw new IOException("cannot evict " + target + " from the page cache: no cold runs");
        }
        what = "copied, evicted (and evicted again before every run)";
        break;
      default:
        throw new AssertionError(state);
    }
    Path truth = BenchData.truthFile(base);
    if (!target.equals(base)) {
      Files.copy(truth, BenchData.truthFile(target), StandardCopyOption.REPLACE_EXISTING);
    }
    out.printf(
        Locale.ROOT,
        "  page cache %-10s %s: %s (%.1f s)%n",
        state.id,
        target.getFileName(),
        what,
        (System.nanoTime() - t0) / 1e9);
    return target;
  }

  /** Writes the file's dirty pages, so that writeback does not run during the timed runs. */
  private static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(false);
    }
  }

  /**
   * Evicts the file, then reads it once sequentially, so the page cache holds it as the kernel's
   * read-ahead leaves it; false when it could not be evicted first.
   */
  static boolean readAhead(Path file) throws IOException {
    boolean evicted = evict(file);
    readOnce(file);
    return evicted;
  }

  private static void readOnce(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buffer.clear()) >= 0) {
        // only the page cache's copy matters
      }
    }
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
  }

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
