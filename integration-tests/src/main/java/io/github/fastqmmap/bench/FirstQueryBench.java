/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What a {@code spark-submit} job with one query meets: the first query of a fresh JVM ({@code
 * local[1]}), which {@link CodecBench}'s warmed rows leave out. Each run starts one child JVM per
 * case; a child starts its Spark session, runs a first query and then a second, and reports both
 * wall times and answers, which are checked before any time is kept. The cases tell fastq-mmap's
 * share of a first query from Spark's own:
 *
 * <ul>
 *   <li>fastq-mmap {@code count()} of the BGZF file ({@code bgzip -@2}'s), then again;
 *   <li>fastq-mmap {@code count()} of the plain file, then again;
 *   <li>{@code spark.read.text().count()} of the plain file (Spark's line reader, the peer in the
 *       same position), then fastq-mmap's {@code count()} of it;
 *   <li>{@code spark.range(1000).count()} (Spark's first query with no file at all), then
 *       fastq-mmap's {@code count()} of the BGZF file.
 * </ul>
 *
 * Each case runs twice per run: as a JVM started with no more than Spark's flags, and as one that
 * maps the class-data archive that {@code bin/fastq-mmap-submit} gives every application (written
 * by an untimed first child of the same case, as the launcher's first run writes it). {@code
 * --no-class-data} leaves the second out. Beside them, {@code bgzip -dc -@1} of the BGZF file, a
 * process started afresh as well. Both files are put into the read-ahead page-cache state before
 * every child and every tool run.
 *
 * <pre>
 * bin/benchmark first-query [--mib 1024] [--runs 3] [--data-dir /tmp/h-codec] [--no-class-data]
 * </pre>
 */
public final class FirstQueryBench {
  private static final Set<String> FLAGS = Set.of("help", "no-class-data");
  private static final Set<String> OPTIONS =
      Set.of("mib", "runs", "data-dir", "child", "help", "no-class-data");

  /** The cases, by the name a child is given: what its first query is, and its second. */
  private enum Case {
    BGZF("fastq-mmap count(), BGZF", "the same again"),
    PLAIN("fastq-mmap count(), plain", "the same again"),
    TEXT("spark.read.text().count(), plain", "fastq-mmap count(), plain"),
    RANGE("spark.range(1000).count()", "fastq-mmap count(), BGZF");

    final String first;
    final String second;

    Case(String first, String second) {
      this.first = first;
      this.second = second;
    }
  }

  private FirstQueryBench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, FLAGS, OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: FirstQueryBench [--mib 1024] [--runs 3] [--data-dir DIR] [--no-class-data]");
      return 0;
    }
    Path dir = Path.of(a.get("data-dir", "/tmp/h-codec")).toAbsolutePath();
    long mib = a.getLong("mib", 1024);
    BenchData.DataFile data =
        BenchData.ensure(
            dir,
            BenchData.Kind.ILLUMINA,
            mib << 20,
            BenchData.DEFAULT_SEED,
            a.has("child") ? new PrintStream(PrintStream.nullOutputStream()) : out);
    Path plain = data.path;
    Path bgzf = CodecBench.bgzipCopy(dir, plain);
    long records = data.truth.records;
    String child = a.get("child", null);
    if (child != null) {
      child(Case.valueOf(child), plain, bgzf);
      return 0;
    }
    int runs = a.getInt("runs", 3);
    Case[] cases = Case.values();
    Path[] archives = new Path[cases.length];
    int ways = a.has("no-class-data") ? 1 : 2; // without an archive; then with each case's own
    if (ways == 2) {
      // As bin/fastq-mmap-submit: one archive per application, written by its first run (untimed).
      for (Case c : cases) {
        archives[c.ordinal()] =
            dir.resolve("first-query-" + c.name().toLowerCase(Locale.ROOT) + ".jsa");
        Files.deleteIfExists(archives[c.ordinal()]);
        BenchRunner.settle(List.of(plain, bgzf), PageCache.State.READ_AHEAD);
        inChild(c, dir, mib, List.of("-XX:ArchiveClassesAtExit=" + archives[c.ordinal()]));
        if (!Files.isRegularFile(archives[c.ordinal()])) {
          out.println("the first child for " + c + " wrote no class-data archive");
          return 1;
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "%s%ndata: %s (%,d records), %s; local[1]; page cache read-ahead before each child;"
            + " %d runs, median%nload average at start: %s%n",
        ProcInfo.machine(),
        plain.getFileName(),
        records,
        bgzf.getFileName(),
        runs,
        ProcInfo.loadAverage());
    double[][][][] walls = new double[ways][cases.length][3][runs]; // session, first, second
    double[] bgzip = new double[runs];
    int failures = 0;
    for (int r = 0; r < runs; r++) {
      for (Case c : cases) {
        for (int w = 0; w < ways; w++) {
          BenchRunner.settle(List.of(plain, bgzf), PageCache.State.READ_AHEAD);
          // -Xshare:on: a JVM that cannot map its archive fails instead of running slowly unseen.
          List<String> jvm =
              w == 0
                  ? List.of()
                  : List.of("-XX:SharedArchiveFile=" + archives[c.ordinal()], "-Xshare:on");
          double[] got = inChild(c, dir, mib, jvm);
          String wrong = check(c, got, records);
          if (wrong != null) {
            out.println("WRONG: " + c + ", run " + (r + 1) + ": " + wrong);
            failures++;
            continue;
          }
          walls[w][c.ordinal()][0][r] = got[0];
          walls[w][c.ordinal()][1][r] = got[1];
          walls[w][c.ordinal()][2][r] = got[3];
        }
      }
      BenchRunner.settle(List.of(bgzf), PageCache.State.READ_AHEAD);
      String decompress = "bgzip -dc -@1 '" + bgzf + "'";
      long lines = CodecBench.lines(decompress);
      if (lines != 4 * records) {
        out.println("WRONG: bgzip -dc -@1 gave " + lines + " lines, expected " + 4 * records);
        failures++;
        continue;
      }
      BenchRunner.settle(List.of(bgzf), PageCache.State.READ_AHEAD);
      long t0 = System.nanoTime();
      CodecBench.sh(decompress + " > /dev/null");
      bgzip[r] = (System.nanoTime() - t0) / 1e9;
    }
    if (failures > 0) {
      return 1;
    }
    out.println();
    BenchRunner.Table table =
        new BenchRunner.Table(
            "child JVM: first query",
            "class-data archive",
            ">session start s",
            ">first query s",
            "then",
            ">then s");
    for (Case c : cases) {
      for (int w = 0; w < ways; w++) {
        table.format(
            "| %s | %s | %.2f | %.2f | %s | %.2f |",
            c.first,
            w == 0 ? "none" : "its own",
            Result.median(walls[w][c.ordinal()][0]),
            Result.median(walls[w][c.ordinal()][1]),
            c.second,
            Result.median(walls[w][c.ordinal()][2]));
      }
    }
    table.format(
        "| `bgzip -dc -@1 > /dev/null` (a fresh process) | | | %.2f | | |", Result.median(bgzip));
    table.print(out);
    out.println();
    for (int w = 0; w < ways; w++) {
      double firstBgzf = Result.median(walls[w][Case.BGZF.ordinal()][1]);
      double firstPlain = Result.median(walls[w][Case.PLAIN.ordinal()][1]);
      double firstText = Result.median(walls[w][Case.TEXT.ordinal()][1]);
      out.printf(
          Locale.ROOT,
          "first query of a JVM, %s: BGZF count() %.2fx bgzip -dc -@1; plain count() %.2fx"
              + " text().count() (each the JVM's first query)%n",
          w == 0 ? "no class-data archive" : "each case with its own class-data archive",
          Result.median(bgzip) / firstBgzf,
          firstText / firstPlain);
    }
    out.printf(Locale.ROOT, "load average at end: %s%n", ProcInfo.loadAverage());
    return 0;
  }

  /** Null when a child's answers are right, else what is wrong. */
  private static String check(Case c, double[] got, long records) {
    long first = (long) got[2];
    long second = (long) got[4];
    long expectedFirst =
        switch (c) {
          case BGZF, PLAIN -> records;
          case TEXT -> 4 * records;
          case RANGE -> 1000;
        };
    if (first != expectedFirst) {
      return "first query answered " + first + ", expected " + expectedFirst;
    }
    return second == records ? null : "second query answered " + second + ", expected " + records;
  }

  /** Starts a child JVM for {@code c}: session s, first s, first answer, second s, answer. */
  private static double[] inChild(Case c, Path dir, long mib, List<String> jvm)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(jvm);
    if (!jvm.isEmpty()) {
      command.add("-Xlog:cds=off");
      command.add("-Xlog:cds+dynamic=off");
    }
    command.add("-cp");
    command.add(jarsOnly(System.getProperty("java.class.path")));
    command.add(FirstQueryBench.class.getName());
    command.addAll(
        List.of("--child", c.name(), "--data-dir", dir.toString(), "--mib", Long.toString(mib)));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    double[] got = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("FIRST\t")) {
          String[] f = line.substring(6).split("\t");
          got = new double[f.length];
          for (int i = 0; i < f.length; i++) {
            got[i] = Double.parseDouble(f[i]);
          }
        }
      }
    }
    if (p.waitFor() != 0 || got == null) {
      throw new IOException("the child JVM for " + c + " failed (exit " + p.exitValue() + ")");
    }
    return got;
  }

  /**
   * {@code classpath} with each module's {@code target/classes} replaced by the module's jar: a JDK
   * 17 JVM writes no class-data archive for a class path that holds a non-empty directory. Every
   * child gets the same class path, with an archive or without.
   */
  static String jarsOnly(String classpath) throws IOException {
    List<String> out = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator, -1)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
        Path target = p.getParent();
        try (Stream<Path> jars = Files.list(target)) {
          List<Path> found =
              jars.filter(j -> j.getFileName().toString().endsWith(".jar"))
                  .filter(
                      j -> !j.getFileName().toString().matches(".*-(tests|sources|javadoc)\\.jar"))
                  .filter(j -> !j.getFileName().toString().startsWith("original-"))
                  .toList();
          if (found.size() != 1) {
            throw new IOException(
                "expected one jar beside "
                    + p
                    + " for the class-data archive, found "
                    + found
                    + ": build with mvn -B -q -DskipTests -pl integration-tests -am package");
          }
          entry = found.get(0).toString();
        }
      }
      out.add(entry);
    }
    return String.join(File.pathSeparator, out);
  }

  /** In the child JVM: the session, the first query, the second; one line for the parent. */
  private static void child(Case c, Path plain, Path bgzf) throws IOException {
    long s0 = System.nanoTime();
    try (SparkSession spark =
        BenchRunner.session("fastq-mmap first-query benchmark", "local[1]", 0)) {
      double session = (System.nanoTime() - s0) / 1e9;
      long t0 = System.nanoTime();
      long first =
          switch (c) {
            case BGZF -> count(spark, bgzf);
            case PLAIN -> count(spark, plain);
            case TEXT -> spark.read().text(plain.toString()).count();
            case RANGE -> spark.range(1000).count();
          };
      double firstWall = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      long second = count(spark, c == Case.BGZF || c == Case.RANGE ? bgzf : plain);
      double secondWall = (System.nanoTime() - t1) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "FIRST\t%f\t%f\t%d\t%f\t%d%n",
          session,
          firstWall,
          first,
          secondWall,
          second);
      System.out.flush();
    }
  }

  private static long count(SparkSession spark, Path file) {
    return spark.read().format("fastq-mmap").load(file.toString()).count();
  }
}
