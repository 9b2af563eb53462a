/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Paired-end test data: R1 and R2 texts whose mates have different read lengths (R2 reads are
 * longer), so equal byte ranges of the two files hold different numbers of records; names end in
 * {@code /1} and {@code /2} or carry Casava comments; qualities start with '@' or '+' at times. The
 * expected pairs come from the reference parser's parse of each file, zipped by position.
 */
public final class PairedFastq {
  /** One expected pair: the pair's name, then each mate's comment, sequence and quality. */
  public record Pair(
      String name,
      String comment1,
      String sequence1,
      String quality1,
      String comment2,
      String sequence2,
      String quality2) {
    /** The pair that a pair reader stands on. */
    public static Pair of(Mate first, Mate second) {
      return new Pair(
          first.pairName(),
          first.comment(),
          first.sequence(),
          first.quality(),
          second.comment(),
          second.sequence(),
          second.quality());
    }
  }

  private final String r1;
  private final String r2;

  private PairedFastq(String r1, String r2) {
    this.r1 = r1;
    this.r2 = r2;
  }

  /** {@code n} fragments: R1 reads of 20 to 199 bases, R2 reads of 150 to 599. */
  public static PairedFastq generate(int n, long seed) {
    return generate(n, seed, 20, 180, 150, 450);
  }

  /**
   * {@code n} fragments, R1 reads of {@code min1} to {@code min1 + span1 - 1} bases and R2 reads of
   * {@code min2} to {@code min2 + span2 - 1}.
   */
  public static PairedFastq generate(int n, long seed, int min1, int span1, int min2, int span2) {
    Random random = new Random(seed);
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String base =
          "M01:7:FC" + seed + ":1:" + (1101 + i % 7) + ":" + i + ":" + random.nextInt(9999);
      boolean slash = i % 2 == 0;
      String comment1 = i % 3 == 0 ? "" : " 1:N:0:ACGT";
      String comment2 = i % 3 == 0 ? "" : " 2:N:0:ACGT";
      record(a, "@" + base + (slash ? "/1" : "") + comment1, min1 + random.nextInt(span1), random);
      record(b, "@" + base + (slash ? "/2" : "") + comment2, min2 + random.nextInt(span2), random);
    }
    return new PairedFastq(a.toString(), b.toString());
  }

  private static void record(StringBuilder s, String header, int length, Random random) {
    s.append(header).append('\n');
    for (int k = 0; k < length; k++) {
      s.append("ACGTN".charAt(random.nextInt(k % 50 == 0 ? 5 : 4)));
    }
    s.append("\n+\n");
    for (int k = 0; k < length; k++) {
      char q = (char) ('!' + random.nextInt(41));
      if (k == 0 && random.nextInt(4) == 0) {
        q = random.nextBoolean() ? '@' : '+';
      }
      s.append(q);
    }
    s.append('\n');
  }

  /** R1 and R2 after seeded mutations, and what was done to them. */
  public record Mutated(byte[] r1, byte[] r2, String description) {}

  /**
   * These mates with up to {@code maxSteps} seeded mutations ({@link FastqMutator}) of R1 ({@code
   * seed % 3 == 0}), of R2 ({@code 1}) or of both ({@code 2}).
   */
  public Mutated mutated(long seed, int maxSteps) {
    byte[] a = r1Bytes();
    byte[] b = r2Bytes();
    String what = "seed " + seed;
    if (seed % 3 != 1) {
      FastqMutator.Mutant m = FastqMutator.mutate(a, seed, maxSteps);
      a = m.bytes();
      what += ", R1: " + m.description();
    }
    if (seed % 3 != 0) {
      FastqMutator.Mutant m = FastqMutator.mutate(b, seed + 1_000_000, maxSteps);
      b = m.bytes();
      what += ", R2: " + m.description();
    }
    return new Mutated(a, b, what);
  }

  public String r1() {
    return r1;
  }

  public String r2() {
    return r2;
  }

  public byte[] r1Bytes() {
    return r1.getBytes(StandardCharsets.ISO_8859_1);
  }

  public byte[] r2Bytes() {
    return r2.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** One interleaved file of the same mates: R1, R2, R1, R2, ... */
  public byte[] interleavedBytes() {
    List<String> a = records(r1);
    List<String> b = records(r2);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      s.append(a.get(i)).append(b.get(i));
    }
    return s.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The text's four-line records, each with its line ends. */
  public static List<String> records(String text) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 3 < lines.length; i += 4) {
      out.add(lines[i] + "\n" + lines[i + 1] + "\n" + lines[i + 2] + "\n" + lines[i + 3] + "\n");
    }
    return out;
  }

  /** The reference parse of a text. */
  public static List<Read> parse(byte[] bytes) {
    ReferenceFastqParser.Result r =
        new ReferenceFastqParser(
                false, true, QualityEncoding.PHRED33, ParseOptions.DEFAULT_MAX_RECORD_BYTES)
            .parse(bytes);
    if (!r.malformed().isEmpty()) {
      throw new AssertionError("malformed test input: " + r.malformed());
    }
    return r.reads();
  }

  /**
   * The expected pairs: each file parsed by the reference parser on its own, zipped by position.
   */
  public List<Pair> pairs() {
    return zip(parse(r1Bytes()), parse(r2Bytes()));
  }

  /** Zips two reference parses by position, removing a trailing /1 or /2 from the name. */
  public static List<Pair> zip(List<Read> a, List<Read> b) {
    if (a.size() != b.size()) {
      throw new AssertionError(a.size() + " R1 records, " + b.size() + " R2 records");
    }
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Read x = a.get(i);
      Read y = b.get(i);
      out.add(
          new Pair(
              strip(x.name()),
              x.comment(),
              x.sequence(),
              x.quality(),
              y.comment(),
              y.sequence(),
              y.quality()));
    }
    return out;
  }

  /** A name without a trailing /1 or /2. */
  public static String strip(String name) {
    return name.endsWith("/1") || name.endsWith("/2") ? name.substring(0, name.length() - 2) : name;
  }
}
