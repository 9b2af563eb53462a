/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What Linux's {@code /proc} tells about this machine and this JVM's memory and page faults. */
final class ProcInfo {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path STAT = Path.of("/proc/self/stat");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcInfo() {}

  /** One line: cores, CPU model, RAM, JVM, OS. */
  static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: keep "unknown"
    }
    long memKb = meminfo("MemTotal");
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.1f GiB RAM, Java %s (%s), %s %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKb / 1024.0 / 1024.0,
        System.getProperty("java.runtime.version", System.getProperty("java.version")),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.version"));
  }

  /** The three load averages, as in {@code /proc/loadavg}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** A field of {@code /proc/meminfo} in kB, or -1. */
  static long meminfo(String field) {
    return field(Path.of("/proc/meminfo"), field);
  }

  /** A field of {@code /proc/self/status} in kB ({@code VmHWM}, {@code VmRSS}, ...), or -1. */
  static long status(String field) {
    return field(STATUS, field);
  }

  private static long field(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        if (line.startsWith(field) && line.charAt(field.length()) == ':') {
          String v = line.substring(field.length() + 1).trim();
          int space = v.indexOf(' ');
          return Long.parseLong(space < 0 ? v : v.substring(0, space));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /**
   * Resets this process's peak resident set ({@code VmHWM}) to its current size: writing 5 to
   * {@code /proc/self/clear_refs} (Linux 4.0 and later). False where that is not allowed.
   */
  static boolean resetPeakRss() {
    try {
      Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** {minor, major} page faults of this process so far (all threads), or {-1, -1}. */
  static long[] faults() {
    try {
      String s = Files.readString(STAT, StandardCharsets.US_ASCII);
      // Fields after the command name in parentheses (which may hold spaces): state is field 3.
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
      return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9])};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /**
   * Samples this process's file-backed resident set ({@code RssFile}: mapped file pages, such as
   * fastq-mmap's windows) on a daemon thread and keeps the largest value.
   */
  static final class RssSampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxRssFileKb;
    private volatile long maxRssKb;
    private volatile long samples;

    RssSampler(long intervalMillis) {
      maxRssFileKb = status("RssFile");
      maxRssKb = status("VmRSS");
      thread =
          new Thread(
              () -> {
                while (running) {
                  sample();
                  try {
                    Thread.sleep(intervalMillis);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-rss-sampler");
      thread.setDaemon(true);
      if (intervalMillis > 0) {
        thread.start();
      }
    }

    private void sample() {
      long file = -1;
      long rss = -1;
      try {
        List<String> lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
        for (String line : lines) {
          if (line.startsWith("RssFile:")) {
            file = Long.parseLong(line.substring(8).trim().split(" ")[0]);
          } else if (line.startsWith("VmRSS:")) {
            rss = Long.parseLong(line.substring(6).trim().split(" ")[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        return;
      }
      if (file > maxRssFileKb) {
        maxRssFileKb = file;
      }
      if (rss > maxRssKb) {
        maxRssKb = rss;
      }
      samples++;
    }

    long maxRssFileKb() {
      return maxRssFileKb;
    }

    long maxRssKb() {
      return maxRssKb;
    }

    long samples() {
      return samples;
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sample();
    }
  }
}
