/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this process holds open of some files, seen from outside the code under test: memory
 * mappings from {@code /proc/self/maps} and file descriptors from {@code /proc/self/fd}. Tests use
 * it to show that no mapping or descriptor outlives the task that made it. Linux only: check {@link
 * #available()} and skip elsewhere.
 */
public final class OpenFiles {
  /** Everything before the path of a maps line: address, perms, offset, device, inode. */
  private static final Pattern MAPS_LINE =
      Pattern.compile("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+(.*)$");

  private static final String DELETED = " (deleted)";

  private OpenFiles() {}

  /** Whether {@code /proc/self/maps} and {@code /proc/self/fd} can be read here. */
  public static boolean available() {
    return Files.isReadable(Paths.get("/proc/self/maps"))
        && Files.isDirectory(Paths.get("/proc/self/fd"));
  }

  /** The reason tests give when {@link #available()} is false. */
  public static final String UNAVAILABLE = "no /proc/self/maps and /proc/self/fd (not Linux)";

  /**
   * Mappings of {@code target} (a file, or any file under a directory) that this process holds now;
   * a mapping of a deleted file still counts.
   */
  public static int mappings(Path target) {
    String real = realPath(target);
    List<String> lines;
    try {
      lines = Files.readAllLines(Paths.get("/proc/self/maps"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = 0;
    for (String line : lines) {
      Matcher m = MAPS_LINE.matcher(line);
      if (m.matches() && covers(real, stripDeleted(m.group(1)))) {
        n++;
      }
    }
    return n;
  }

  /** Open file descriptors of this process that refer to {@code target} (a file or under a dir). */
  public static int descriptors(Path target) {
    String real = realPath(target);
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (covers(real, stripDeleted(Files.readSymbolicLink(fd).toString()))) {
            n++;
          }
        } catch (IOException e) {
          // The descriptor was closed while we looked (the listing's own one, for example).
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static String realPath(Path target) {
    try {
      return target.toRealPath().toString();
    } catch (IOException e) {
      // Deleted already: compare with the absolute path, as the kernel still names it.
      return target.toAbsolutePath().normalize().toString();
    }
  }

  private static String stripDeleted(String path) {
    return path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
  }

  private static boolean covers(String target, String path) {
    return path.equals(target) || path.startsWith(target.endsWith("/") ? target : target + "/");
  }

  /**
   * Samples {@link #mappings} and {@link #descriptors} in a background thread until closed, keeping
   * the largest counts seen: how many mappings and descriptors of the target existed at once during
   * a query.
   */
  public static final class Peak implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger mappings = new AtomicInteger();
    private final AtomicInteger descriptors = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;

    public Peak(Path target) {
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  mappings.accumulateAndGet(OpenFiles.mappings(target), Math::max);
                  descriptors.accumulateAndGet(OpenFiles.descriptors(target), Math::max);
                  samples.incrementAndGet();
                  try {
                    Thread.sleep(2);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "open-files-peak");
      thread.setDaemon(true);
      thread.start();
    }

    /** The largest number of mappings seen so far. */
    public int mappings() {
      return mappings.get();
    }

    /** The largest number of open descriptors seen so far. */
    public int descriptors() {
      return descriptors.get();
    }

    /** How many times the counts were taken. */
    public int samples() {
      return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
