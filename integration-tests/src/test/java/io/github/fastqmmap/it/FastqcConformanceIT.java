/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.fastqmmap.examples.FastqcConfig;
import io.github.fastqmmap.examples.FastqcJob;
import io.github.fastqmmap.examples.FastqcReport;
import io.github.fastqmmap.spark.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The QC job's FastQC-format reports against FastQC 0.11.9 itself (Debian's {@code fastqc}), on
 * reads made by simulators nobody here wrote ({@code art_illumina} with the HiSeq 2500 profile,
 * {@code pbsim} with its CLR model) and by this project's generator. Every module's every line must
 * be equal, with one documented exception: the per-sequence GC counts of reads of varying length
 * are sums of fractions that FastQC adds in read order and Spark in another, so they may differ in
 * the last digits (compared to 1e-9 relative). Each tool missing skips its case with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class FastqcConformanceIT {

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static void run(Path dir, Path log, String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " did not finish; see " + log);
    }
    assertThat(p.exitValue()).as("%s, output in %s", String.join(" ", cmd), log).isZero();
  }

  /** A random reference FASTA (fixed seed), so that simulators have something to sample. */
  static Path reference(Path dir) throws IOException {
    Path ref = dir.resolve("reference.fa");
    if (Files.exists(ref)) {
      return ref;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
    StringBuilder s = new StringBuilder();
    for (int c = 1; c <= 2; c++) {
      s.append(">chr").append(c).append('\n');
      for (int i = 0; i < 150_000; i++) {
        s.append("ACGT".charAt(rng.nextInt(4)));
        if (i % 70 == 69) {
          s.append('\n');
        }
      }
      s.append('\n');
    }
    Files.writeString(ref, s, StandardCharsets.US_ASCII);
    return ref;
  }

  /** Runs FastQC and our job on {@code files}; returns sample name -> {FastQC's, ours}. */
  private Map<String, String[]> both(String name, List<Path> files)
      throws IOException, InterruptedException {
    Path work = ItEnv.workDir("fastqc-conformance-" + name);
    Path theirs = Files.createDirectories(work.resolve("fastqc"));
    Path ours = Files.createDirectories(work.resolve("ours"));
    List<String> cmd = new ArrayList<>(List.of("fastqc", "-q", "-t", "1", "--extract", "-o"));
    cmd.add(theirs.toString());
    files.forEach(f -> cmd.add(f.toString()));
    run(work, work.resolve("fastqc.log"), cmd.toArray(new String[0]));
    List<String> paths = new ArrayList<>();
    files.forEach(f -> paths.add(f.toString()));
    FastqcConfig cfg = FastqcConfig.load(null);
    Map<String, String[]> out = new LinkedHashMap<>();
    for (FastqcJob.Sample s : FastqcJob.run(SparkTestSession.get(), paths, Map.of(), false, cfg)) {
      Path dir = FastqcReport.write(ours, s.fileName(), s.stats, s.duplication, cfg);
      String sample = dir.getFileName().toString();
      out.put(
          sample,
          new String[] {
            Files.readString(theirs.resolve(sample).resolve(FastqcReport.DATA)),
            Files.readString(dir.resolve(FastqcReport.DATA)),
            Files.readString(theirs.resolve(sample).resolve(FastqcReport.SUMMARY)),
            Files.readString(dir.resolve(FastqcReport.SUMMARY))
          });
    }
    assertThat(out).hasSize(files.size());
    return out;
  }

  /** Equal line by line; per-sequence GC counts within 1e-9 relative. */
  static void assertSame(String sample, String[] texts) {
    assertThat(texts[3]).as("%s summary.txt", sample).isEqualTo(texts[2]);
    String[] theirs = texts[0].split("\n", -1);
    String[] ours = texts[1].split("\n", -1);
    assertThat(ours.length).as("%s fastqc_data.txt lines", sample).isEqualTo(theirs.length);
    String module = "";
    for (int i = 0; i < theirs.length; i++) {
      if (theirs[i].startsWith(">>") && !theirs[i].startsWith(">>END")) {
        module = theirs[i].substring(2).split("\t")[0];
      }
      if (module.equals("Per sequence GC content")
          && !theirs[i].startsWith("#")
          && !theirs[i].startsWith(">>")) {
        String[] t = theirs[i].split("\t");
        String[] o = ours[i].split("\t");
        assertThat(o[0]).isEqualTo(t[0]);
        double expected = Double.parseDouble(t[1]);
        assertThat(Double.parseDouble(o[1]))
            .as("%s GC %s", sample, t[0])
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, expected)));
        continue;
      }
      assertThat(ours[i]).as("%s, module %s, line %d", sample, module, i + 1).isEqualTo(theirs[i]);
    }
  }

  @Test
  void artIlluminaHiSeq2500() throws Exception {
    assumeThat(onPath("fastqc")).as("fastqc (Debian package fastqc) on PATH").isTrue();
    assumeThat(onPath("art_illumina"))
        .as("art_illumina (Debian package art-nextgen-simulation-tools) on PATH")
        .isTrue();
    Path work = ItEnv.workDir("fastqc-conformance-art-data");
    Path ref = reference(work);
    // 40x of 300 kb: 80,000 reads; 80x: 160,000 reads, past FastQC's 100,000 distinct sequences.
    for (String[] run : new String[][] {{"40", "hs25_40x"}, {"80", "hs25_80x"}}) {
      if (!Files.exists(work.resolve(run[1] + ".fq"))) {
        run(
            work,
            work.resolve(run[1] + ".log"),
            "art_illumina",
            "-ss",
            "HS25",
            "-i",
            ref.toString(),
            "-l",
            "150",
            "-f",
            run[0],
            "-rs",
            "11",
            "-na",
            "-o",
            run[1]);
      }
    }
    Map<String, String[]> r =
        both("art", List.of(work.resolve("hs25_40x.fq"), work.resolve("hs25_80x.fq")));
    r.forEach(FastqcConformanceIT::assertSame);
    assertThat(r.get("hs25_80x_fastqc")[1]).contains("Total Sequences\t160000");
  }

  @Test
  void pbsimContinuousLongReads() throws Exception {
    assumeThat(onPath("fastqc")).as("fastqc (Debian package fastqc) on PATH").isTrue();
    assumeThat(onPath("pbsim")).as("pbsim (Debian package pbsim) on PATH").isTrue();
    Path model = Path.of("/usr/share/pbsim/models/model_qc_clr");
    assumeThat(Files.exists(model)).as("pbsim's CLR model at %s", model).isTrue();
    Path work = ItEnv.workDir("fastqc-conformance-pbsim-data");
    Path ref = reference(work);
    Path reads = work.resolve("clr.fastq");
    if (!Files.exists(reads)) {
      run(
          work,
          work.resolve("pbsim.log"),
          "pbsim",
          "--data-type",
          "CLR",
          "--depth",
          "5",
          "--model_qc",
          model.toString(),
          "--seed",
          "5",
          "--prefix",
          "clr",
          ref.toString());
      StringBuilder all = new StringBuilder();
      for (String part : List.of("clr_0001.fastq", "clr_0002.fastq")) {
        all.append(Files.readString(work.resolve(part), StandardCharsets.US_ASCII));
      }
      Files.writeString(reads, all, StandardCharsets.US_ASCII);
    }
    both("pbsim", List.of(reads)).forEach(FastqcConformanceIT::assertSame);
  }

  @Test
  void projectGenerator() throws Exception {
    assumeThat(onPath("fastqc")).as("fastqc (Debian package fastqc) on PATH").isTrue();
    Path work = ItEnv.workDir("fastqc-conformance-generator-data");
    Path generated = work.resolve("generated-7-30000.fastq");
    FastqData.generate(generated, 7, 30_000);
    Path sample = ItEnv.dataDir().resolve("sample.fastq");
    Path untrimmed = ItEnv.dataDir().resolve("untrimmed.fastq");
    both("generator", List.of(generated, sample, untrimmed))
        .forEach(FastqcConformanceIT::assertSame);
  }

  /**
   * FastQC's duplication levels are floating-point sums in the order of its hash maps (of the
   * tracked sequences, then of the levels), which the job follows to the last bit: a file past
   * FastQC's 100,000 distinct sequences (so that some counts are estimates, not integers) whose
   * sequences occur at many levels, some beyond the levels' map size, so that levels share its
   * buckets. Reads in shuffled order, from a fixed seed. (This file came out equal before the job
   * followed both maps' orders too: whether another order changes a last digit depends on the
   * values. FastqcReportTest checks the order itself against real hash maps, and the 2 GiB file of
   * examples/bench/qc-speed.sh differed before in its {@code >10} row.)
   */
  private static final int[] HIGH_LEVELS = {65, 66, 67, 129, 130, 131, 193, 194};

  @Test
  void manyDuplicationLevels() throws Exception {
    assumeThat(onPath("fastqc")).as("fastqc (Debian package fastqc) on PATH").isTrue();
    Path work = ItEnv.workDir("fastqc-conformance-levels-data");
    Path file = work.resolve("levels-130k.fastq");
    if (!Files.exists(file)) {
      java.util.SplittableRandom rng = new java.util.SplittableRandom(23);
      int distinct = 130_000;
      String[] sequences = new String[distinct];
      List<Integer> reads = new ArrayList<>();
      for (int i = 0; i < distinct; i++) {
        char[] c = new char[60];
        for (int j = 0; j < c.length; j++) {
          c[j] = "ACGT".charAt(rng.nextInt(4));
        }
        sequences[i] = new String(c);
        // About 48 levels, so that the levels' map has 64 buckets, and the high ones share the
        // buckets of levels 1 to 3, the only ones whose estimated counts are not integers.
        int draw = rng.nextInt(100);
        int level =
            draw < 90
                ? 1 + rng.nextInt(3)
                : draw < 99 ? 4 + rng.nextInt(37) : HIGH_LEVELS[rng.nextInt(HIGH_LEVELS.length)];
        for (int k = 0; k < level; k++) {
          reads.add(i);
        }
      }
      java.util.Collections.shuffle(reads, new java.util.Random(29));
      StringBuilder out = new StringBuilder();
      String quality = "I".repeat(60);
      int n = 0;
      for (int i : reads) {
        out.append("@r").append(n++).append('\n').append(sequences[i]).append("\n+\n");
        out.append(quality).append('\n');
      }
      Files.writeString(file, out, StandardCharsets.US_ASCII);
    }
    Map<String, String[]> r = both("levels", List.of(file));
    r.forEach(FastqcConformanceIT::assertSame);
    assertThat(r.get("levels-130k_fastqc")[1]).contains(">>Sequence Duplication Levels");
  }
}
