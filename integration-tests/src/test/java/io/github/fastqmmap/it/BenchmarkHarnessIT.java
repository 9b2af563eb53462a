/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.bench.BenchData;
import io.github.fastqmmap.bench.ReadBenchmark;
import io.github.fastqmmap.bench.Truth;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark harness ({@code bin/benchmark}) on tiny data, one run per case: it starts its Spark
 * JVMs for local[1] and local[2], every case completes, every answer is checked, fastq-mmap and
 * Spark's text source are exact, and Hadoop-BAM's cut long reads are reported. The generator's own
 * counts, which every answer is checked against, are checked here against the reference parser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Two page-cache states and two command-line peers make the first test about 2.5x the work of
// one state: at load average 24 its local[1] half alone took over 4 minutes.
@Timeout(900)
class BenchmarkHarnessIT {
  private static final String[] CASES = {
    "fastq-all", "fastq-count", "fastq-sequence", "text-count", "text-bytes", "hadoop-bam"
  };

  private String[] args(String runName, String... more) throws IOException {
    Path work = ItEnv.workDir("benchmark");
    List<String> a =
        new ArrayList<>(
            List.of(
                "--tiny",
                "--illumina-mib",
                "16",
                "--long-mib",
                "2",
                "--data-dir",
                work.resolve("data").toString(),
                "--out-dir",
                work.resolve("results").toString(),
                "--run-name",
                runName,
                "--jna-dir",
                ItEnv.jnaDir().toString(),
                "--xmx",
                "1g",
                "--timeout-min",
                "4",
                "--states",
                "copied,cold"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  private static int runHarness(String[] args, ByteArrayOutputStream captured) throws Exception {
    PrintStream out = new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8);
    return ReadBenchmark.run(args, out);
  }

  @Test
  void everyCaseRunsInBothModesAndEveryAnswerIsChecked() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code = runHarness(args("it"), output);
    String printed = output.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();

    Path runDir = ItEnv.workDir("benchmark").resolve("results").resolve("it");
    List<Map<String, String>> results = results(runDir.resolve("results.tsv"));
    for (String mode : List.of("local[1]", "local[2]")) {
      for (String file :
          List.of(
              "illumina-150bp@copied",
              "illumina-150bp@cold",
              "nanopore-long@copied",
              "nanopore-long@cold")) {
        for (String c : List.of("seqkit-stats", "samtools-import")) {
          // Peers outside Spark: exact where the tool is installed, else skipped with the reason.
          Map<String, String> r = find(results, mode, file, c);
          assertThat(r).as(mode + " " + file + " " + c).isNotNull();
          if (!"exact".equals(r.get("status"))) {
            assertThat(r.get("error")).as(mode + " " + file + " " + c).contains("skipped: ");
          }
        }
        for (String c : CASES) {
          Map<String, String> r = find(results, mode, file, c);
          assertThat(r).as(mode + " " + file + " " + c).isNotNull();
          assertThat(r.get("seconds")).as(mode + " " + file + " " + c + " timed").isNotBlank();
          boolean hadoopBamOnLongReads =
              c.equals("hadoop-bam") && file.startsWith("nanopore-long@");
          if (!hadoopBamOnLongReads) {
            assertThat(r.get("status"))
                .as(mode + " " + file + " " + c + ": " + r)
                .isEqualTo("exact");
          } else {
            // Hadoop-BAM keeps 10,000 bytes of a line: a peer's wrong answer, reported.
            assertThat(r.get("status")).isEqualTo("WRONG");
            assertThat(r.get("problems")).contains("cut to 10,000 bp without an error");
          }
          if (c.startsWith("fastq-")) {
            assertThat(Long.parseLong(r.get("scan.records")))
                .isEqualTo(Long.parseLong(r.get("records")));
            assertThat(r.get("scan.minorFaults")).isNotNull();
            assertThat(Long.parseLong(r.get("peakRssKb"))).isPositive();
          }
        }
      }
    }
    String report = Files.readString(runDir.resolve("report.md"), StandardCharsets.UTF_8);
    assertThat(report)
        .contains("| data | case | mode | median s | GB/s | M records/s | vs Hadoop-BAM")
        .contains("load average at start")
        .contains("Targets (issue 6)")
        .contains("WRONG: Hadoop-BAM FastqInputFormat, nanopore-long@copied, local[1]")
        .contains("worst warm state");
    assertThat(printed).contains(report.substring(0, 40));
  }

  @Test
  void sweepRunsEveryConfiguration() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code =
        runHarness(
            args(
                "it-sweep",
                "--sweep",
                "--sweep-runs",
                "1",
                "--sweep-windows",
                "1m",
                "--sweep-prefetch",
                "0,256k",
                "--sweep-advice",
                "sequential"),
            output);
    String printed = output.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    List<Map<String, String>> results =
        results(
            ItEnv.workDir("benchmark")
                .resolve("results")
                .resolve("it-sweep")
                .resolve("results.tsv"));
    long configurations =
        results.stream()
            .filter(r -> "true".equals(r.get("sweep")))
            .peek(r -> assertThat(r.get("status")).as(r.toString()).isEqualTo("exact"))
            .map(r -> r.get("opt.prefetchBytes") + "/" + r.get("case"))
            .distinct()
            .count();
    assertThat(configurations).isEqualTo(4);
    assertThat(printed).contains("Fastest count(): windowBytes 1m");
  }

  /** The truth every answer is checked against equals what the reference parser finds. */
  @Test
  void generatorCountsMatchTheReferenceParser() throws Exception {
    Path data = ItEnv.workDir("benchmark").resolve("data");
    BenchData.DataFile illumina =
        BenchData.ensure(
            data, BenchData.Kind.ILLUMINA, 16L << 20, BenchData.DEFAULT_SEED, System.out);
    BenchData.DataFile nanopore =
        BenchData.ensure(
            data, BenchData.Kind.NANOPORE, 8L << 20, BenchData.DEFAULT_SEED, System.out);
    for (BenchData.DataFile f : List.of(illumina, nanopore)) {
      byte[] bytes = Files.readAllBytes(f.path);
      ReferenceFastqParser.Result parsed =
          ReferenceFastqParser.of(ParseOptions.defaults()).parse(bytes);
      assertThat(parsed.malformed()).isEmpty();
      Truth t = f.truth;
      long bases = 0;
      long names = 0;
      long comments = 0;
      long qualityAt = 0;
      long over10k = 0;
      for (ReferenceFastqParser.Read r : parsed.reads()) {
        bases += r.sequence().length();
        names += r.name().length();
        comments += r.comment() == null ? 0 : r.comment().length();
        qualityAt += r.quality().startsWith("@") ? 1 : 0;
        over10k += r.sequence().length() > Truth.HADOOP_BAM_MAX_LINE ? 1 : 0;
      }
      assertThat(bytes.length).isEqualTo(t.fileBytes);
      assertThat((long) parsed.reads().size()).isEqualTo(t.records);
      assertThat(bases).isEqualTo(t.bases);
      assertThat(names).isEqualTo(t.nameBytes);
      assertThat(comments).isEqualTo(t.commentBytes);
      assertThat(qualityAt).isEqualTo(t.qualityLinesStartingWithAt).isPositive();
      assertThat(over10k).isEqualTo(t.readsOverHadoopBamLimit);
      long newlines = 0;
      for (byte b : bytes) {
        newlines += b == '\n' ? 1 : 0;
      }
      assertThat(newlines).isEqualTo(t.lines);
      assertThat(t.lineBytes).isEqualTo(t.fileBytes - newlines);
    }
    assertThat(nanopore.truth.maxReadLength).isGreaterThanOrEqualTo(150_000);
    assertThat(nanopore.truth.readsOverHadoopBamLimit).isPositive();
    assertThat(nanopore.truth.headersWithAtAfterFirst).isEqualTo(nanopore.truth.records);
  }

  private static List<Map<String, String>> results(Path tsv) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Stream<String> lines = Files.lines(tsv, StandardCharsets.UTF_8)) {
      lines.forEach(
          line -> {
            Map<String, String> row = new HashMap<>();
            for (String part : line.split("\t")) {
              int eq = part.indexOf('=');
              if (eq > 0) {
                row.put(part.substring(0, eq), part.substring(eq + 1));
              }
            }
            if ("case".equals(row.get("type"))) {
              rows.add(row);
            }
          });
    }
    return rows;
  }

  private static Map<String, String> find(
      List<Map<String, String>> rows, String mode, String file, String c) {
    for (Map<String, String> r : rows) {
      if (mode.equals(r.get("mode")) && file.equals(r.get("file")) && c.equals(r.get("case"))) {
        return r;
      }
    }
    return null;
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
