/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The read benchmark: generates its data once, warms the page cache, runs every case in a fresh
 * Spark JVM per master ({@code local[1]}, then {@code local[2]}), checks every answer against the
 * generator's truth, and prints one Markdown report. {@code bin/benchmark} builds the project and
 * runs this class; see the README's Performance section.
 *
 * <pre>
 * ReadBenchmark [--quick | --tiny] [--runs N] [--warmups N] [--modes local[1],local[2]]
 *               [--files illumina-150bp,nanopore-long] [--cases fastq-all,...]
 *               [--option key=value ...] [--sweep [--sweep-runs N] ...]
 * </pre>
 */
public final class ReadBenchmark {
  static final Set<String> FLAGS = Set.of("quick", "tiny", "full", "sweep", "worker", "help");

  private static final Set<String> OPTIONS =
      Set.of(
          "quick",
          "tiny",
          "full",
          "sweep",
          "help",
          "illumina-mib",
          "long-mib",
          "seed",
          "runs",
          "warmups",
          "modes",
          "files",
          "cases",
          "option",
          "sweep-runs",
          "sweep-files",
          "sweep-cases",
          "sweep-windows",
          "sweep-prefetch",
          "sweep-advice",
          "data-dir",
          "out-dir",
          "run-name",
          "jna-dir",
          "xmx",
          "jvm-opt",
          "classpath",
          "rss-sample-ms",
          "timeout-min",
          "states");

  static final String USAGE =
      String.join(
          "\n",
          "usage: bin/benchmark [--quick | --tiny] [options]      read benchmark (README: Performance)",
          "       bin/benchmark --sweep [--quick] [options]        windowBytes x prefetchBytes x readAdvice",
          "       bin/benchmark jmh [JMH options]                  JMH microbenchmarks",
          "",
          "sizes:  (default) 2048 MiB of 150 bp reads + 1024 MiB of long reads, 5 runs after 1 warm-up",
          "        --quick   200 MiB + 100 MiB, 3 runs;  --tiny  24 MiB + 12 MiB, 1 run, no warm-up",
          "        --illumina-mib N, --long-mib N, --seed N override the data",
          "runs:   --runs N, --warmups N, --modes local[1],local[2], --files illumina-150bp,nanopore-long,",
          "        --states "
              + PageCache.State.ids()
              + " (page cache as the file was left by a program",
          "        writing it, by cp, by read-ahead after eviction, or evicted before every run),",
          "        --cases " + BenchCase.ids() + ",",
          "        --option key=value (a fastq-mmap read option, repeatable), --xmx 3g,",
          "        --jvm-opt OPT (an option of the Spark JVMs, repeatable: GC logs, JFR, ...)",
          "sweep:  --sweep-runs N (3), --sweep-files illumina-150bp, --sweep-cases fastq-count,fastq-all,",
          "        --sweep-windows 4m,16m,64m,256m, --sweep-prefetch 0,2m,8m,32m,",
          "        --sweep-advice normal,sequential,willneed (runs in local[1] unless --modes says)",
          "where:  --data-dir DIR (generated files, kept), --out-dir DIR (reports), --run-name NAME",
          "");

  private ReadBenchmark() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.err.print(USAGE);
      code = 2;
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  /**
   * Runs the benchmark (or, with {@code --worker}, one Spark JVM's share of it) and returns the
   * exit code: 0 when every answer that must be exact was, 3 when one was wrong or failed, 4 when a
   * Spark JVM did not finish.
   */
  public static int run(String[] args, PrintStream out) throws Exception {
    if (Arrays.asList(args).contains("--worker")) {
      return BenchWorker.main(new Args(args, FLAGS, null));
    }
    Args a = new Args(args, FLAGS, OPTIONS);
    if (a.has("help")) {
      out.print(USAGE);
      return 0;
    }
    String size = a.has("tiny") ? "tiny" : a.has("quick") ? "quick" : "full";
    long illuminaMib =
        a.getLong("illumina-mib", size.equals("tiny") ? 24 : size.equals("quick") ? 200 : 2048);
    long longMib =
        a.getLong("long-mib", size.equals("tiny") ? 12 : size.equals("quick") ? 100 : 1024);
    long seed = a.getLong("seed", BenchData.DEFAULT_SEED);
    boolean sweep = a.has("sweep");
    int runs =
        sweep
            ? a.getInt("sweep-runs", 3)
            : a.getInt("runs", size.equals("tiny") ? 1 : size.equals("quick") ? 3 : 5);
    int warmups = a.getInt("warmups", size.equals("tiny") ? 0 : 1);
    List<String> modes =
        Arrays.asList(a.get("modes", sweep ? "local[1]" : "local[1],local[2]").split(","));
    String fileIds =
        sweep
            ? a.get("sweep-files", BenchData.Kind.ILLUMINA.id())
            : a.get("files", BenchData.Kind.ILLUMINA.id() + "," + BenchData.Kind.NANOPORE.id());
    String caseIds =
        sweep
            ? a.get("sweep-cases", BenchCase.FASTQ_COUNT.id() + "," + BenchCase.FASTQ_ALL.id())
            : a.get("cases", BenchCase.ids());
    for (String c : caseIds.split(",")) {
      BenchCase.fromId(c); // fail early on a bad name
    }
    Path dataDir =
        Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();
    Path outRoot =
        Path.of(a.get("out-dir", "integration-tests/target/bench-results")).toAbsolutePath();
    String runName =
        a.get(
            "run-name",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-"
                + (sweep ? "sweep-" : "")
                + size);
    Path runDir = Files.createDirectories(outRoot.resolve(runName));

    String loadStart = ProcInfo.loadAverage();
    ZonedDateTime started = ZonedDateTime.now();
    out.println("fastq-mmap read benchmark (" + (sweep ? "sweep, " : "") + size + ")");
    out.println("machine: " + ProcInfo.machine());
    out.println("load average at start: " + loadStart);

    out.println("data (" + dataDir + "):");
    Map<String, BenchData.DataFile> files = new LinkedHashMap<>();
    for (String id : fileIds.split(",")) {
      BenchData.Kind kind = BenchData.Kind.fromId(id);
      long mib = kind == BenchData.Kind.ILLUMINA ? illuminaMib : longMib;
      files.put(kind.id(), BenchData.ensure(dataDir, kind, mib << 20, seed, out));
    }
    List<PageCache.State> states = new ArrayList<>();
    for (String st : a.get("states", sweep ? "read-ahead" : PageCache.State.ids()).split(",")) {
      states.add(PageCache.State.fromId(st));
    }
    files = prepareStates(files, states, out);
    Path oneRecord = dataDir.resolve("one-record.fastq");
    if (!Files.exists(oneRecord)) {
      Files.write(oneRecord, BenchData.records(BenchData.Kind.ILLUMINA, 1, seed));
    }

    ToolPeers.ensureInstalled(out);
    List<String> base = workerArgs(a, runs, warmups, caseIds, oneRecord, files.values(), sweep);

    Path log4j = runDir.resolve("log4j2.properties");
    try (InputStream in = ReadBenchmark.class.getResourceAsStream("log4j2-bench.properties")) {
      Files.copy(in, log4j, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path jnaDir =
        Files.createDirectories(
            Path.of(
                    a.get(
                        "jna-dir",
                        System.getProperty("jna.tmpdir", runDir.resolve("jna").toString())))
                .toAbsolutePath());
    List<Result> results = new ArrayList<>();
    boolean workersOk = runWorkers(a, modes, runDir, base, log4j, jnaDir, results, out);
    String loadEnd = ProcInfo.loadAverage();

    Report report = new Report(results, files);
    String text =
        markdown(a, report, sweep, size, started, loadStart, loadEnd, runs, warmups, modes);
    Path reportFile = runDir.resolve("report.md");
    Files.writeString(reportFile, text, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (Result r : results) {
      lines.add(r.line());
    }
    Files.write(runDir.resolve("results.tsv"), lines, StandardCharsets.UTF_8);
    out.println();
    out.print(text);
    out.println();
    out.println("report: " + reportFile);

    List<Result> bad = report.harnessFailures();
    if (!workersOk) {
      return 4;
    }
    if (!bad.isEmpty()) {
      out.println(bad.size() + " case(s) that must be exact were wrong or failed; see above");
      return 3;
    }
    return 0;
  }

  /** The arguments every Spark JVM gets, whatever its master. */
  private static List<String> workerArgs(
      Args a,
      int runs,
      int warmups,
      String caseIds,
      Path oneRecord,
      Collection<BenchData.DataFile> files,
      boolean sweep) {
    List<String> base = new ArrayList<>();
    base.add("--runs");
    base.add(Integer.toString(runs));
    base.add("--warmups");
    base.add(Integer.toString(warmups));
    base.add("--cases");
    base.add(caseIds);
    base.add("--rss-sample-ms");
    base.add(a.get("rss-sample-ms", "10"));
    base.add("--overhead-file");
    base.add(oneRecord.toString());
    for (BenchData.DataFile f : files) {
      base.add("--data");
      base.add(f.label() + "=" + f.path);
    }
    for (String o : a.all("option")) {
      base.add("--option");
      base.add(o);
    }
    if (sweep) {
      base.add("--sweep");
      for (String k : new String[] {"sweep-windows", "sweep-prefetch", "sweep-advice"}) {
        if (a.has(k)) {
          base.add("--" + k);
          base.add(a.get(k, ""));
        }
      }
    }
    return base;
  }

  /**
   * Runs one Spark JVM per master in turn, each writing its results file, and adds what they wrote
   * to {@code results}; false when one of them failed.
   */
  private static boolean runWorkers(
      Args a,
      List<String> modes,
      Path runDir,
      List<String> base,
      Path log4j,
      Path jnaDir,
      List<Result> results,
      PrintStream out)
      throws IOException, InterruptedException {
    String classpath = a.get("classpath", System.getProperty("java.class.path"));
    long timeoutMin = a.getLong("timeout-min", 360);
    boolean workersOk = true;
    for (String mode : modes) {
      String m = mode.trim();
      String tag = m.replaceAll("[^A-Za-z0-9]+", "");
      Path resultFile = runDir.resolve("results-" + tag + ".tsv");
      Files.deleteIfExists(resultFile);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(sparkJvmFlags());
      cmd.add("-Xmx" + a.get("xmx", "3g"));
      cmd.addAll(a.all("jvm-opt"));
      cmd.add("-Djna.tmpdir=" + jnaDir);
      cmd.add("-Dlog4j.configurationFile=" + log4j);
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add(ReadBenchmark.class.getName());
      cmd.add("--worker");
      cmd.add("--master");
      cmd.add(m);
      cmd.add("--results");
      cmd.add(resultFile.toString());
      cmd.addAll(base);
      out.println();
      out.println(
          "Spark JVM for " + m + " (log: " + runDir.resolve("worker-" + tag + ".log") + ")");
      int code = runWorker(cmd, runDir.resolve("worker-" + tag + ".log"), out, timeoutMin);
      if (code != 0) {
        workersOk = false;
        out.println("the Spark JVM for " + m + " exited with " + code);
      }
      if (Files.exists(resultFile)) {
        for (String line : Files.readAllLines(resultFile, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            results.add(Result.parse(line));
          }
        }
      }
    }
    return workersOk;
  }

  /** The report: how the run was made, then the tables {@link Report} builds. */
  private static String markdown(
      Args a,
      Report report,
      boolean sweep,
      String size,
      ZonedDateTime started,
      String loadStart,
      String loadEnd,
      int runs,
      int warmups,
      List<String> modes) {
    StringBuilder md = new StringBuilder();
    md.append("## fastq-mmap read benchmark")
        .append(sweep ? " sweep" : "")
        .append(" (")
        .append(size)
        .append(")\n\n");
    md.append("- date: ")
        .append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    md.append("- machine: ").append(ProcInfo.machine()).append('\n');
    md.append("- load average at start: ")
        .append(loadStart)
        .append("; at end: ")
        .append(loadEnd)
        .append('\n');
    md.append(
        Report.fmt(
            "- runs: %d timed after %d warm-up(s) per case, median; each master in a JVM of its"
                + " own\n",
            runs, warmups));
    md.append(
        "- page-cache states (the `@` suffix of each data row): `written` = written by a program"
            + " (1 MiB writes), `copied` = copied with cp, `read-ahead` = evicted, then read once"
            + " sequentially, `cold` = evicted before every run; the layout a warm file was cached"
            + " with survives reading, so it holds for every run; each case reads a file's states"
            + " in an order rotated by one per case, so that no state always runs first\n");
    if (!a.all("option").isEmpty()) {
      md.append("- fastq-mmap options: ").append(String.join(", ", a.all("option"))).append('\n');
    }
    md.append(report.workers());
    md.append("\nData:\n\n").append(report.dataDescription());
    if (sweep) {
      md.append("\nSweep (fastq-mmap, ")
          .append(String.join(", ", modes))
          .append(
              "; ranges of spark.sql.files.maxPartitionBytes, so windows larger than a range"
                  + " are cut to the range plus 64 KiB):\n");
      md.append(report.sweepTable());
      md.append("\nAnswers:\n\n").append(report.problems());
    } else {
      md.append("\n").append(report.table());
      md.append(
          "\nGB/s is the file's bytes (1e9) over the median time; M records/s counts FASTQ records"
              + " for every case. `vs X` is X's median time over this case's. CPU cores busy is the"
              + " Spark JVM's CPU time (all threads: tasks, GC, JIT, Spark's own) over the run's"
              + " time, and GC ms the collectors' time in the run. Peak RSS is the Spark"
              + " JVM's VmHWM over the timed runs; peak mapped is the largest RssFile (mapped file"
              + " pages) sampled during them above its level before (in parentheses for readers"
              + " that do not map); heap B/record is the JVM's allocated bytes per record. Scan"
              + " faults come from fastq-mmap's metrics (getrusage of the reading threads),"
              + " process faults from /proc/self/stat.\n");
      md.append("\nAnswers (checked against the generator's counts on every run):\n\n")
          .append(report.problems());
      String scaling = report.scaling();
      if (!scaling.isEmpty()) {
        md.append("\nlocal[2] over local[1] (speed-up):\n\n").append(scaling);
      }
      md.append("\nTargets (issue 6):\n\n").append(report.targets());
      md.append("\nfastq-mmap scan metrics (median run):\n\n").append(report.scanMetrics());
      md.append("\nEvery timed run:\n\n").append(report.runs());
    }
    return md.toString();
  }

  /** The parent POM's {@code spark.jvm.flags}, filtered into this module's resources. */
  static List<String> sparkJvmFlags() throws IOException {
    try (InputStream in = ReadBenchmark.class.getResourceAsStream("jvm-flags.txt")) {
      if (in == null) {
        throw new IllegalStateException("jvm-flags.txt is missing; build with Maven");
      }
      String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (flags.contains("${")) {
        throw new IllegalStateException("jvm-flags.txt was not filtered: " + flags);
      }
      return Arrays.asList(flags.split("\\s+"));
    }
  }

  /**
   * The files to read, each in every page-cache state asked for (see {@link PageCache#prepare}), in
   * the order kind by kind, then state by state.
   */
  private static Map<String, BenchData.DataFile> prepareStates(
      Map<String, BenchData.DataFile> files, List<PageCache.State> states, PrintStream out)
      throws IOException {
    long total = 0;
    for (BenchData.DataFile f : files.values()) {
      total += f.truth.fileBytes;
    }
    long warm = states.stream().filter(PageCache.State::warm).count();
    long availableKb = ProcInfo.meminfo("MemAvailable");
    if (availableKb > 0 && total * warm / 1024 > availableKb * 8 / 10) {
      out.printf(
          Locale.ROOT,
          "warning: the data in its warm states (%,d MiB) is near or above the available memory"
              + " (%,d MiB): runs may read from disk%n",
          total * warm >> 20,
          availableKb >> 10);
    }
    Map<String, BenchData.DataFile> prepared = new LinkedHashMap<>();
    for (BenchData.DataFile f : files.values()) {
      for (PageCache.State state : states) {
        Path path = PageCache.prepare(f.path, state, out);
        BenchData.DataFile d = new BenchData.DataFile(f.kind, path, f.truth, state);
        prepared.put(d.label(), d);
      }
    }
    return prepared;
  }

  /** Runs a Spark JVM: its stdout to ours and to the log, its stderr to the log. */
  private static int runWorker(List<String> cmd, Path log, PrintStream out, long timeoutMin)
      throws IOException, InterruptedException {
    Files.writeString(
        log.resolveSibling(log.getFileName() + ".cmd"),
        String.join(" ", cmd) + "\n",
        StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals("HADOOP_CONF_DIR"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Path stderr = log.resolveSibling(log.getFileName().toString().replace(".log", ".stderr.log"));
    pb.redirectError(stderr.toFile());
    Process p = pb.start();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  PrintStream file = new PrintStream(Files.newOutputStream(log), true, "UTF-8")) {
                String line;
                while ((line = r.readLine()) != null) {
                  out.println("  " + line);
                  file.println(line);
                }
              } catch (IOException e) {
                out.println("  (lost the Spark JVM's output: " + e.getMessage() + ")");
              }
            },
            "bench-worker-output");
    pump.setDaemon(true);
    pump.start();
    try {
      if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
        out.println("the Spark JVM did not finish in " + timeoutMin + " min; stopping it");
        stop(p);
        return 124;
      }
    } catch (InterruptedException e) {
      stop(p);
      throw e;
    }
    pump.join(10_000);
    return p.exitValue();
  }

  private static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>();
    p.descendants().forEach(tree::add);
    p.destroy();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
  }
}
