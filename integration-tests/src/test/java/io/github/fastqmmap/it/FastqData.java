/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.examples.Duplication;
import io.github.fastqmmap.examples.QcReport;
import io.github.fastqmmap.examples.QcStats;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Test data: a deterministic FASTQ generator, and a reference reader that computes the expected
 * figures with a plain line-by-line parse of four-line FASTQ, without Spark and without the
 * connector.
 */
final class FastqData {
  private FastqData() {}

  /**
   * Writes {@code reads} records (same seed, same bytes): lengths 150 bp mostly and 35-300 bp
   * otherwise, a few Ns, qualities falling along the read (some quality lines start with '@'), 3 %
   * of reads repeating an earlier sequence, unique names, some with a comment.
   */
  static void generate(Path file, long seed, int reads) throws IOException {
    if (Files.exists(file)) {
      return; // same name, same seed: same content (the name carries both)
    }
    SplittableRandom rng = new SplittableRandom(seed);
    char[] bases = {'A', 'C', 'G', 'T'};
    List<String> pool = new ArrayList<>();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < reads; i++) {
        String seq;
        if (!pool.isEmpty() && rng.nextInt(100) < 3) {
          seq = pool.get(rng.nextInt(pool.size()));
        } else {
          int length = rng.nextInt(4) == 0 ? 35 + rng.nextInt(266) : 150;
          StringBuilder s = new StringBuilder(length);
          for (int j = 0; j < length; j++) {
            s.append(rng.nextInt(1000) < 3 ? 'N' : bases[rng.nextInt(4)]);
          }
          seq = s.toString();
          if (rng.nextInt(100) < 2 && pool.size() < 200) {
            pool.add(seq);
          }
        }
        StringBuilder q = new StringBuilder(seq.length());
        for (int j = 0; j < seq.length(); j++) {
          int mean = 38 - 14 * j * j / (300 * 300);
          int phred =
              seq.charAt(j) == 'N' ? 2 : Math.max(2, Math.min(41, mean - 6 + rng.nextInt(9)));
          q.append((char) (phred + 33));
        }
        out.write('@');
        out.write("GEN:" + seed + ":" + i);
        if (rng.nextInt(3) == 0) {
          out.write(" 1:N:0:" + rng.nextInt(1000));
        }
        out.write('\n');
        out.write(seq);
        out.write("\n+\n");
        out.write(q.toString());
        out.write('\n');
      }
    }
    Files.move(tmp, file);
  }

  /**
   * The QC jobs' input: the bundled sample and untrimmed files and 20,000 generated reads (22,400
   * reads in all).
   */
  static List<Path> qcInputs() throws IOException {
    Path generated = ItEnv.workDir("data").resolve("qc-gen-seed11-20000.fastq");
    generate(generated, 11, 20_000);
    return List.of(
        ItEnv.dataDir().resolve("sample.fastq"),
        ItEnv.dataDir().resolve("untrimmed.fastq"),
        generated);
  }

  /** What a plain sequential parse of the files finds. */
  static final class Reference {
    final QcStats stats = new QcStats();
    final Map<String, Long> sequenceCounts = new HashMap<>();
    long reads;
    long bases;

    /** Sum over reads of CRC-32 of the sequence, as Spark's {@code sum(crc32(sequence))}. */
    long sequenceCrcSum;

    /** The summary TSV that the QC job must write for these files. */
    String summaryTsv(int topN) {
      return QcReport.summaryTsv(stats, Duplication.of(sequenceCounts, topN));
    }
  }

  static Reference reference(List<Path> files) throws IOException {
    Reference r = new Reference();
    CRC32 crc = new CRC32();
    for (Path f : files) {
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
        String header;
        while ((header = in.readLine()) != null) {
          if (header.isEmpty()) {
            continue;
          }
          if (!header.startsWith("@")) {
            throw new IOException(f + ": expected a header, got " + header);
          }
          String seq = in.readLine();
          String plus = in.readLine();
          String qual = in.readLine();
          if (seq == null || plus == null || qual == null || !plus.startsWith("+")) {
            throw new IOException(f + ": truncated record after " + header);
          }
          r.stats.add(seq, qual);
          r.sequenceCounts.merge(seq, 1L, Long::sum);
          r.reads++;
          r.bases += seq.length();
          crc.reset();
          crc.update(seq.getBytes(StandardCharsets.US_ASCII));
          r.sequenceCrcSum += crc.getValue();
        }
      }
    }
    return r;
  }
}
