/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * What the benchmarks of this package share, written once: the Spark session, the page-cache
 * policy, the timing loop (the answer checked against the truth before any time is taken, then
 * timed runs, median wall and CPU seconds) and the Markdown table. A benchmark supplies only its
 * cases: {@link CompressedBench}, {@link PairBench}, {@link CodecBench}, {@link HdfsBench}, {@link
 * PlanningBench} (its {@code count()} runs; planning itself is timed interleaved, with heap
 * figures, on the same median), and the read benchmark's {@link BenchWorker}, which records more
 * per run (faults, RSS, scan metrics) on the same median. Tables are also written as {@code
 * results.tsv}.
 */
final class BenchRunner {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private BenchRunner() {}

  /**
   * A local Spark session for a benchmark, its UI off, bound to the loopback interface; {@code
   * splitBytes} sets {@code spark.sql.files.maxPartitionBytes} when positive.
   */
  static SparkSession session(String appName, String master, long splitBytes) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master(master)
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    if (splitBytes > 0) {
      b.config("spark.sql.files.maxPartitionBytes", Long.toString(splitBytes));
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Wall and CPU seconds of every timed run of one case. */
  record Timing(double[] wall, double[] cpu) {
    double wallMedian() {
      return Result.median(wall);
    }

    double cpuMedian() {
      return Result.median(cpu);
    }
  }

  /**
   * One case measured: the answer of its first (warm-up) run, what was wrong with it against the
   * truth, and the timed runs, which are only taken when the answer was exact ({@code timing} is
   * null otherwise).
   */
  record Measured<A>(A answer, List<String> problems, Timing timing) {
    boolean exact() {
      return problems.isEmpty();
    }
  }

  /**
   * The timing loop. Puts {@code files} into the page-cache {@code state} (see {@link #settle}),
   * runs the case once as a warm-up and checks that answer with {@code check} (problems, empty when
   * exact); only then times {@code runs} runs, each of which must give the same answer. Cold runs
   * evict the files before every run, warm-up included.
   */
  static <A> Measured<A> measure(
      PageCache.State state,
      List<Path> files,
      int runs,
      Callable<A> run,
      Function<A, List<String>> check)
      throws Exception {
    return measure(state, files, runs, run, null, check);
  }

  /**
   * As {@link #measure(PageCache.State, List, int, Callable, Function)}, but the timed runs call
   * {@code timed} instead, whose result is not compared: for work whose answer costs more to get
   * than the work (a tool's output counted, a write read back), checked once by {@code checked}.
   */
  static <A> Measured<A> measure(
      PageCache.State state,
      List<Path> files,
      int runs,
      Callable<A> checked,
      Callable<?> timed,
      Function<A, List<String>> check)
      throws Exception {
    return measure(state, files, runs, checked, timed, check, BenchRunner::cpuSeconds);
  }

  /**
   * As {@link #measure(PageCache.State, List, int, Callable, Callable, Function)}, with the CPU
   * seconds of a run read from {@code cpuClock} instead of this process's: for a benchmark whose
   * JVM also runs a server it should not count (the HDFS benchmark's DataNode), Spark's task CPU.
   */
  static <A> Measured<A> measure(
      PageCache.State state,
      List<Path> files,
      int runs,
      Callable<A> checked,
      Callable<?> timed,
      Function<A, List<String>> check,
      DoubleSupplier cpuClock)
      throws Exception {
    settle(files, state);
    A answer = checked.call();
    List<String> problems = check.apply(answer);
    if (!problems.isEmpty()) {
      return new Measured<>(answer, problems, null);
    }
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      if (state == PageCache.State.COLD) {
        settle(files, state);
      }
      double c0 = cpuClock.getAsDouble();
      long t0 = System.nanoTime();
      Object again = timed == null ? checked.call() : timed.call();
      wall[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = cpuClock.getAsDouble() - c0;
      if (timed == null && !again.equals(answer)) {
        throw new IllegalStateException("the answer changed between runs: " + again);
      }
    }
    return new Measured<>(answer, problems, new Timing(wall, cpu));
  }

  /**
   * The page-cache policy for files read where they are: {@code read-ahead} evicts each file and
   * reads it once sequentially (the kernel's read-ahead layout, the same for every case), {@code
   * cold} evicts it. {@code written} and {@code copied} need a fresh copy of a file, which only the
   * read benchmark makes ({@link PageCache#prepare}).
   */
  static void settle(List<Path> files, PageCache.State state) throws IOException {
    for (Path f : files) {
      switch (state) {
        case READ_AHEAD -> PageCache.readAhead(f);
        case COLD -> {
          if (!PageCache.evict(f)) {
            throw new IOException("cannot evict " + f + " from the page cache for a cold run");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "page-cache state '"
                    + state.id()
                    + "' needs a copy of the file; here: read-ahead or cold");
      }
    }
  }

  /**
   * The states in the order the {@code round}-th case runs them: rotated by one per case, so that
   * each state runs first (on a JVM less warmed up) as often as the others.
   */
  static <T> List<T> rotated(List<T> states, int round) {
    List<T> order = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      order.add(states.get((i + round) % states.size()));
    }
    return order;
  }

  /** This process's CPU seconds plus those of its children that were waited for (tools). */
  static double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3) here.
      long childTicks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return OS.getProcessCpuTime() / 1e9 + childTicks / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new directory for one run's results, {@code <outDir>/<name>-<UTC time>}, as the read
   * benchmark makes one per run.
   */
  static Path resultsDir(Path outDir, String name) throws IOException {
    String stamp =
        LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Files.createDirectories(outDir.resolve(name + "-" + stamp));
  }

  /**
   * A Markdown table. A column whose header starts with {@code >} is right-aligned (numbers); the
   * {@code >} is not printed.
   */
  static final class Table {
    private final List<String> header = new ArrayList<>();
    private final List<String> align = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();

    Table(String... columns) {
      for (String c : columns) {
        boolean right = c.startsWith(">");
        header.add(right ? c.substring(1) : c);
        align.add(right ? "---:" : "---");
      }
    }

    /** A row of cells from a format with one {@code %} per cell. */
    void format(String format, Object... args) {
      rows.add(String.format(Locale.ROOT, format, args));
    }

    void print(PrintStream out) {
      out.println("| " + String.join(" | ", header) + " |");
      out.println("|" + String.join("|", align) + "|");
      rows.forEach(out::println);
    }

    /**
     * Writes the table as tab-separated values ({@code results.tsv}): the header, then each row's
     * cells as printed.
     */
    void writeTsv(Path file) throws IOException {
      List<String> lines = new ArrayList<>();
      lines.add(String.join("\t", header));
      for (String row : rows) {
        String inner = row.strip();
        inner = inner.substring(1, inner.length() - 1); // the outer '|'s
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
          cells.add(cell.strip());
        }
        lines.add(String.join("\t", cells));
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    }
  }
}
