/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import io.github.fastqmmap.bgzf.BgzfOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;

/**
 * Compressed FASTQ: fastq-mmap against Hadoop-BAM's FastqInputFormat on the same files. Generates
 * (once) an Illumina-like file with the read benchmark's generator, writes a {@code .fastq.gz}
 * (gzip -6) and a BGZF copy named {@code .bgzf.fastq.gz} (so that Hadoop-BAM's codec lookup takes
 * it for the gzip it is), then reads each with both readers in one {@code local[N]} session through
 * {@link BenchRunner}: each file put into the page-cache state first ({@code --state}, read-ahead
 * by default), one warm-up whose answer (records and bases) is checked against the generator's
 * truth, then {@code --runs} timed runs, median. Prints a Markdown table.
 *
 * <pre>
 * java ... io.github.fastqmmap.bench.CompressedBench [--mib 300] [--runs 3] [--master local[2]]
 *     [--data-dir integration-tests/target/bench-data] [--split-mib 32] [--state read-ahead|cold]
 * </pre>
 *
 * Not part of {@code mvn verify}: run it by hand (README: compressed input, benchmark).
 */
public final class CompressedBench {
  private static final Set<String> OPTIONS =
      Set.of("mib", "runs", "master", "data-dir", "split-mib", "state", "help");

  private CompressedBench() {}

  /** One row: a file, a reader, and how to run it once. */
  private record Case(String file, Path path, String reader, Supplier<Map<String, Long>> run) {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, Set.of("help"), OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: CompressedBench [--mib 300] [--runs 3] [--master local[2]] [--data-dir DIR]"
              + " [--split-mib 32] [--state read-ahead|cold]");
      return 0;
    }
    long mib = a.getLong("mib", 300);
    int runs = a.getInt("runs", 3);
    String master = a.get("master", "local[2]");
    long splitBytes = a.getLong("split-mib", 32) << 20;
    PageCache.State state = PageCache.State.fromId(a.get("state", "read-ahead"));
    Path dir = Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();

    BenchData.DataFile data =
        BenchData.ensure(dir, BenchData.Kind.ILLUMINA, mib << 20, BenchData.DEFAULT_SEED, out);
    Path plain = data.path;
    Truth truth = data.truth;
    String stem = plain.getFileName().toString().replaceAll("\\.fastq$", "");
    Path gz = compressed(plain, dir.resolve(stem + ".fastq.gz"), false, out);
    Path bgzf = compressed(plain, dir.resolve(stem + ".bgzf.fastq.gz"), true, out);

    SparkSession spark = BenchRunner.session("fastq-mmap compressed benchmark", master, splitBytes);
    List<Case> rows = new ArrayList<>();
    for (Path p : List.of(plain, gz, bgzf)) {
      String label = label(p, plain, gz);
      rows.add(new Case(label, p, "fastq-mmap", () -> fastqMmap(spark, p.toString())));
      rows.add(
          new Case(
              label, p, "Hadoop-BAM", () -> HadoopBamPeer.count(spark, p.toString(), splitBytes)));
    }

    BenchRunner.Table table =
        new BenchRunner.Table(
            "file",
            "reader",
            ">partitions",
            ">seconds",
            ">CPU s",
            ">MB/s",
            "checked against the truth");
    int failures = 0;
    for (Case row : rows) {
      BenchRunner.Measured<Map<String, Long>> m =
          BenchRunner.measure(
              state,
              List.of(row.path()),
              runs,
              () -> row.run().get(),
              answer -> problems(answer, truth));
      if (!m.exact()) {
        failures++;
        table.format("| %s | %s | WRONG: %s | | | | |", row.file(), row.reader(), m.problems());
        continue;
      }
      double median = m.timing().wallMedian();
      table.format(
          "| %s | %s | %d | %.2f | %.1f | %.0f | %,d records, %,d bases: exact |",
          row.file(),
          row.reader(),
          m.answer().get("partitions"),
          median,
          m.timing().cpuMedian(),
          truth.fileBytes / 1e6 / median,
          truth.records,
          truth.bases);
    }
    spark.stop();

    out.println();
    out.printf(
        Locale.ROOT,
        "Compressed FASTQ, %s, %,d bytes uncompressed (%,d reads of 150 bp); gzip %,d bytes, BGZF %,d"
            + " bytes; %s; page cache %s; %d runs after a warm-up, median; MB/s of uncompressed"
            + " FASTQ; CPU = this JVM's CPU seconds per run%n",
        master,
        truth.fileBytes,
        truth.records,
        Files.size(gz),
        Files.size(bgzf),
        ProcInfo.machine(),
        state.id(),
        runs);
    out.println();
    table.print(out);
    return failures == 0 ? 0 : 3;
  }

  /** What is wrong with an answer against the generator's truth; empty when exact. */
  private static List<String> problems(Map<String, Long> answer, Truth truth) {
    List<String> problems = new ArrayList<>();
    if (answer.get("records") != truth.records) {
      problems.add("records " + answer.get("records") + " != " + truth.records);
    }
    if (answer.get("bases") != truth.bases) {
      problems.add("bases " + answer.get("bases") + " != " + truth.bases);
    }
    return problems;
  }

  private static String label(Path p, Path plain, Path gz) {
    if (p.equals(plain)) {
      return "plain .fastq";
    }
    return p.equals(gz) ? ".fastq.gz (gzip -6)" : "BGZF (bgzip blocks, named .gz)";
  }

  /** fastq-mmap: records and bases of the sequence column, and the tasks the scan ran. */
  private static Map<String, Long> fastqMmap(SparkSession spark, String path) {
    var df = spark.read().format("fastq-mmap").load(path);
    org.apache.spark.sql.Row r = df.selectExpr("count(*)", "sum(octet_length(sequence))").first();
    return Map.of(
        "records",
        r.getLong(0),
        "bases",
        r.getLong(1),
        "partitions",
        (long) df.rdd().getNumPartitions());
  }

  /** Writes a gzip or BGZF copy of {@code plain} unless it is there and newer. */
  private static Path compressed(Path plain, Path target, boolean bgzf, PrintStream log)
      throws IOException {
    if (Files.exists(target)
        && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(plain)) > 0) {
      return target;
    }
    long t0 = System.nanoTime();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (InputStream in = Files.newInputStream(plain);
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
        OutputStream out =
            bgzf ? new BgzfOutputStream(file, 6) : new GZIPOutputStream(file, 1 << 16)) {
      in.transferTo(out);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log.printf(
        Locale.ROOT,
        "  wrote %s: %,d bytes in %.1f s%n",
        target.getFileName(),
        Files.size(target),
        (System.nanoTime() - t0) / 1e9);
    return target;
  }
}
