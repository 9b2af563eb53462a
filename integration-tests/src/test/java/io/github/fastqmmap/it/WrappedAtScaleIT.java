/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wrapped (multi-line) FASTQ at scale: 19.5 MB of wrapped records (quality lines starting with '@'
 * and '+', headers holding both, '+title' lines, empty reads, CRLF in one file) split into 4,766
 * one-page partitions with {@code multiLine=true} gives exactly the sequential parse. A file built
 * so that a page boundary falls where the record-start rule is ambiguous fails with the successor
 * check's error, naming file, offset and range, instead of returning a wrong answer; read as one
 * range it gives the sequential parse.
 */
class WrappedAtScaleIT {
  private static final int PAGE = 4096;
  private static final ParseOptions WRAPPED = ParseOptions.builder().multiLine(true).build();

  private static Path dir;

  @BeforeAll
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-wrapped-");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A block of generated wrapped records, checked unambiguous also where two copies meet. */
  private static FastqFileGenerator.Generated block(long seed, int width, boolean crlf) {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(seed)
            .records(4_000)
            .allTricky()
            .readLengths(0, 300)
            .zeroLengthFraction(0.02)
            .wrapWidth(width)
            .crlf(crlf)
            .generate();
    byte[] twice = new byte[2 * g.bytes().length];
    System.arraycopy(g.bytes(), 0, twice, 0, g.bytes().length);
    System.arraycopy(g.bytes(), 0, twice, g.bytes().length, g.bytes().length);
    assertThat(ReferenceFastqParser.of(WRAPPED).parse(twice).isUnambiguous())
        .as("block %d is unambiguous", seed)
        .isTrue();
    return g;
  }

  /** Writes {@code copies} copies of a block; returns the records of the file. */
  private static List<Read> writeCopies(Path file, FastqFileGenerator.Generated g, int copies)
      throws IOException {
    byte[] bytes = g.bytes();
    List<Read> reads = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int c = 0; c < copies; c++) {
        out.write(bytes);
        for (Read r : g.reads()) {
          reads.add(shift(r, (long) c * bytes.length));
        }
      }
    }
    return reads;
  }

  private static Read shift(Read r, long by) {
    return new Read(r.offset() + by, r.name(), r.comment(), r.sequence(), r.quality());
  }

  @Test
  void onePagePartitionsGiveTheSequentialParse() throws IOException {
    Path wrapped = Files.createDirectories(dir.resolve("wrapped"));
    Path lf = wrapped.resolve("width-60.fastq");
    Path crlf = wrapped.resolve("width-7-crlf.fastq");
    List<Read> lfTruth = writeCopies(lf, block(61, 60, false), 10);
    List<Read> crlfTruth = writeCopies(crlf, block(62, 7, true), 4);
    long bytes = Files.size(lf) + Files.size(crlf);
    long t0 = System.nanoTime();
    Dataset<Row> df =
        SparkReads.load(Map.of("multiLine", "true", "maxPartitionBytes", "4096"), wrapped);
    assertThat(df.rdd().getNumPartitions()).isGreaterThanOrEqualTo((int) (bytes / PAGE));
    Map<String, List<Read>> byFile = SparkReads.readsByFile(df);
    SparkReads.assertSameReads(byFile.get(SparkReads.fileUri(lf)), lfTruth, lf.toString());
    SparkReads.assertSameReads(byFile.get(SparkReads.fileUri(crlf)), crlfTruth, crlf.toString());
    System.out.printf(
        Locale.ROOT,
        "WrappedAtScaleIT: %d bytes, %d records, %d one-page partitions: %.1f s%n",
        bytes,
        lfTruth.size() + crlfTruth.size(),
        df.rdd().getNumPartitions(),
        (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void anAmbiguousBoundaryFailsTheSuccessorCheck() throws IOException {
    // Record A's quality lines "@XY", "IIIIIII", "+XY" also parse as a record "@XY" (sequence
    // IIIIIII, '+XY', quality "@bAC+II" taken from B), and the record after that parses too, so
    // "@XY" is a record start that the sequential chain (A, B, C) skips. A reader whose range ends
    // between A's '@' and "@XY" finishes A past "@XY", where the next reader would begin.
    String a = "@a\nACGTACGTACGTA\n+\n@XY\nIIIIIII\n+XY\n";
    String b = "@b\nAC\n+\nII\n";
    String c = "@c\nGG\n+\nII\n";
    FastqFileGenerator.Generated filler = block(63, 60, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(filler.bytes());
    // A padding record so that A starts 10 bytes before a page boundary.
    long aStart = ((long) out.size() / PAGE + 2) * PAGE - 10;
    out.write(padRecord(aStart - out.size()).getBytes(StandardCharsets.US_ASCII));
    assertThat((long) out.size()).isEqualTo(aStart);
    out.write((a + b + c).getBytes(StandardCharsets.US_ASCII));
    long bogus = aStart + a.indexOf("@XY");
    out.write(filler.bytes());
    Path file = dir.resolve("ambiguous.fastq");
    Files.write(file, out.toByteArray());

    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(WRAPPED).parse(out.toByteArray());
    assertThat(ref.unvisitedRecordStarts()).containsExactly(bogus);
    long boundary = (aStart / PAGE + 1) * PAGE;
    assertThat(boundary).isBetween(aStart + 1, bogus);

    assertThatThrownBy(
            () ->
                SparkReads.load(Map.of("multiLine", "true", "maxPartitionBytes", "4096"), file)
                    .count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Record boundary mismatch in "
                            + SparkReads.fileUri(file)
                            + " at byte offset "
                            + bogus
                            + ": the reader of the range ending at "
                            + boundary
                            + " finished its last record at "
                            + (aStart + a.length()))
                    .contains("The split is ambiguous"));
    // As one range, the file reads as the sequential parse.
    List<Read> oneRange = SparkReads.reads(SparkReads.load(Map.of("multiLine", "true"), file));
    assertThat(oneRange).isEqualTo(ref.reads());
    assertThat(oneRange).extracting(Read::offset).contains(aStart, aStart + a.length());
    assertThat(oneRange).extracting(Read::offset).doesNotContain(bogus);
  }

  /** One record of exactly {@code bytes} bytes (at least 12). */
  private static String padRecord(long bytes) {
    // "@pad\n" + s + "\n+\n" + q + "\n" with |s| = |q| = n is 2n + 9 bytes; with "+pad" on the
    // '+' line it is 2n + 12.
    boolean odd = bytes % 2 == 1;
    int n = (int) ((bytes - (odd ? 9 : 12)) / 2);
    return "@pad\n" + "A".repeat(n) + (odd ? "\n+\n" : "\n+pad\n") + "I".repeat(n) + "\n";
  }
}
