/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundary sweep of DESIGN section 8 through Spark: files whose records sit at every phase
 * against page boundaries, read with one-page partitions and several larger ones, give exactly the
 * rows of a sequential reference parse, in file order within each file.
 *
 * <p>Two kinds of input. <em>Phase files</em> repeat one block of tricky records (quality lines
 * starting with '@' and '+', headers holding '@' and '+', '+title' lines, a zero-length read, a
 * name starting with '@', tabs) 4096 times; the block's length is odd, so the block starts, and
 * with them every record of the block, fall on every offset modulo 4096, and every page boundary
 * cuts the block at a different byte. <em>Generated files</em> ({@link FastqFileGenerator}) add
 * randomness: CRLF, no final newline, blank tail lines, reads of many pages, wrapped records. Small
 * files in the same directory are packed together with the big ones' tail ranges.
 */
class BoundarySweepTest {
  private static final int PAGE = 4096;
  private static final int BLOCKS = 4096;

  @TempDir static Path dir;

  /** Four-line files: directory, and each file's reference records by URI. */
  private static Path fourLine;

  private static final Map<String, List<Read>> FOUR_LINE_TRUTH = new TreeMap<>();
  private static long fourLineBytes;

  /** Wrapped files, read with multiLine=true. */
  private static Path wrapped;

  private static final Map<String, List<Read>> WRAPPED_TRUTH = new TreeMap<>();
  private static long wrappedBytes;

  @BeforeAll
  static void writeFiles() throws IOException {
    fourLine = Files.createDirectories(dir.resolve("four-line"));
    fourLineBytes += add(fourLine, "phase-lf.fastq", phaseFile("\n", false), false);
    fourLineBytes += add(fourLine, "phase-crlf.fastq", phaseFile("\r\n", false), false);
    fourLineBytes +=
        add(
            fourLine,
            "tricky-lf.fastq",
            FastqFileGenerator.builder(1).allTricky().records(4000).generate(),
            false);
    fourLineBytes +=
        add(
            fourLine,
            "tricky-crlf-no-final-newline.fastq",
            FastqFileGenerator.builder(2)
                .allTricky()
                .crlf(true)
                .finalNewline(false)
                .records(3000)
                .generate(),
            false);
    fourLineBytes +=
        add(
            fourLine,
            "long-reads.fastq",
            FastqFileGenerator.builder(3)
                .readLengths(0, 300)
                .zeroLengthFraction(0.05)
                .longReads(0.03, 30_000) // a 60 KB record spans 15 pages
                .qualityLinesStartingWith(0.3, 0.3)
                .trickyHeaders(true)
                .plusTitleFraction(0.3)
                .records(250)
                .generate(),
            false);
    fourLineBytes +=
        add(
            fourLine,
            "blank-tail.fastq",
            FastqFileGenerator.builder(4).allTricky().records(700).blankTailLines(3).generate(),
            false);
    for (int i = 0; i < 12; i++) {
      // Small files, 1 to 2.5 KB: several share a partition when openCostInBytes is small.
      fourLineBytes +=
          add(
              fourLine,
              String.format(Locale.ROOT, "small-%02d.fastq", i),
              FastqFileGenerator.builder(100 + i)
                  .allTricky()
                  .crlf(i % 3 == 0)
                  .finalNewline(i % 2 == 0)
                  .records(15 + 3 * i)
                  .generate(),
              false);
    }
    // An empty file among them owns no range and gives no row.
    Files.write(fourLine.resolve("small-empty.fastq"), new byte[0]);

    wrapped = Files.createDirectories(dir.resolve("wrapped"));
    wrappedBytes += add(wrapped, "phase-wrapped-lf.fastq", phaseFile("\n", true), true);
    wrappedBytes += add(wrapped, "phase-wrapped-crlf.fastq", phaseFile("\r\n", true), true);
    wrappedBytes +=
        add(
            wrapped,
            "wrapped-tricky.fastq",
            FastqFileGenerator.builder(5)
                .allTricky()
                .qualityLinesStartingWith(0.2, 0.2)
                .wrapWidth(7)
                .records(3000)
                .generate(),
            true);
    wrappedBytes +=
        add(
            wrapped,
            "wrapped-long-crlf.fastq",
            FastqFileGenerator.builder(6)
                .readLengths(0, 500)
                .longReads(0.04, 20_000)
                .qualityLinesStartingWith(0.2, 0.2)
                .trickyHeaders(true)
                .plusTitleFraction(0.5)
                .wrapWidth(60)
                .crlf(true)
                .finalNewline(false)
                .records(200)
                .generate(),
            true);
  }

  /** Writes a generated file and records its reference parse, checked against the generator. */
  private static long add(Path dir, String name, FastqFileGenerator.Generated g, boolean multiLine)
      throws IOException {
    byte[] bytes = g.bytes();
    List<Read> reference = writeAndParse(dir, name, bytes, multiLine);
    assertThat(reference)
        .as("reference parse of %s equals the generator's account", name)
        .isEqualTo(g.reads());
    return bytes.length;
  }

  private static long add(Path dir, String name, byte[] bytes, boolean multiLine)
      throws IOException {
    writeAndParse(dir, name, bytes, multiLine);
    return bytes.length;
  }

  /** Writes a file and records its reference parse, which must be clean and unambiguous. */
  private static List<Read> writeAndParse(Path dir, String name, byte[] bytes, boolean multiLine)
      throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    ReferenceFastqParser.Result result =
        new ReferenceFastqParser(
                multiLine, true, QualityEncoding.PHRED33, ParseOptions.DEFAULT_MAX_RECORD_BYTES)
            .parse(bytes);
    assertThat(result.malformed()).as("malformed stretches in test input %s", name).isEmpty();
    assertThat(result.unvisitedRecordStarts())
        .as("test input %s must be unambiguous", name)
        .isEmpty();
    List<Read> reads = result.reads();
    (multiLine ? WRAPPED_TRUTH : FOUR_LINE_TRUTH).put(SparkReads.fileUri(file), reads);
    return reads;
  }

  /**
   * A phase file: one block of tricky records repeated {@link #BLOCKS} times. Block {@code j}'s
   * names carry {@code j} in four digits, so every block has the same length, and that length is
   * made odd: block starts {@code j * length} then run through every residue modulo 4096.
   */
  static byte[] phaseFile(String eol, boolean wrapped) {
    StringBuilder file = new StringBuilder();
    int blockLength = -1;
    for (int j = 0; j < BLOCKS; j++) {
      String block = wrapped ? wrappedBlock(j, eol, "") : block(j, eol, "");
      if (block.length() % 2 == 0) {
        block = wrapped ? wrappedBlock(j, eol, "x") : block(j, eol, "x");
      }
      if (blockLength < 0) {
        blockLength = block.length();
      }
      assertThat(block).hasSize(blockLength);
      file.append(block);
    }
    return file.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String block(int j, String eol, String pad) {
    String n = String.format(Locale.ROOT, "%04d", j);
    String title3 = "q" + n + "+t\tcomment";
    return lines(
        eol,
        // Header holding '@' and '+', quality starting with '@'.
        "@p" + n + "@x+y lane+1 c@d+e",
        "ACG",
        "+",
        "@II",
        // Zero-length read right after a quality line that starts with '@'.
        "@z" + n,
        "",
        "+",
        "",
        // '+title' line; quality starting with '+'; tab before the comment.
        "@" + title3,
        "ACGTN",
        "+" + title3,
        "+IIII",
        // Name starting with '@', trailing blank and no comment; quality '@' then '+'.
        "@@" + n + " ",
        "GATTACA",
        "+",
        "@+@+@+@",
        // Filler whose comment sets the block's parity.
        "@f" + n + " x" + pad,
        "TTTTTTTTTT",
        "+",
        "IIIIIIIIII");
  }

  private static String wrappedBlock(int j, String eol, String pad) {
    String n = String.format(Locale.ROOT, "%04d", j);
    return lines(
        eol,
        // Sequence and quality wrapped; quality continuation lines start with '@' and '+'.
        "@w" + n + " a@b+c",
        "ACGTA",
        "CGT",
        "+",
        "@IIII",
        "+II",
        // Zero-length wrapped read.
        "@e" + n,
        "+",
        "",
        // Three sequence lines, three quality lines, '+title'.
        "@m" + n,
        "ACGT",
        "acgt",
        "NN",
        "+m" + n,
        "IIII",
        "@@@@",
        "++",
        // A four-line record among wrapped ones, its comment setting the block's parity.
        "@s" + n + " x" + pad,
        "GGCC",
        "+",
        "IIII");
  }

  private static String lines(String eol, String... lines) {
    StringBuilder s = new StringBuilder();
    for (String line : lines) {
      s.append(line).append(eol);
    }
    return s.toString();
  }

  @Test
  void phaseFilesPutRecordStartsOnEveryOffsetModuloAPage() {
    for (String name :
        List.of(
            "phase-lf.fastq",
            "phase-crlf.fastq",
            "phase-wrapped-lf.fastq",
            "phase-wrapped-crlf.fastq")) {
      Path file = (name.contains("wrapped") ? wrapped : fourLine).resolve(name);
      List<Read> reads =
          (name.contains("wrapped") ? WRAPPED_TRUTH : FOUR_LINE_TRUTH)
              .get(SparkReads.fileUri(file));
      assertThat(reads).hasSize(BLOCKS * (name.contains("wrapped") ? 4 : 5));
      Set<Long> phases = new HashSet<>();
      for (Read r : reads) {
        phases.add(r.offset() % PAGE);
      }
      assertThat(phases).as("record-start phases of %s", name).hasSize(PAGE);
    }
  }

  static Stream<Arguments> fourLineSplits() {
    return Stream.of(
        Arguments.of("one page", Map.of("maxPartitionBytes", "4096")),
        Arguments.of(
            "one page, small files packed",
            Map.of("maxPartitionBytes", "4096", "openCostInBytes", "0")),
        Arguments.of("5000 (rounds down to one page)", Map.of("maxPartitionBytes", "5000")),
        Arguments.of("two pages", Map.of("maxPartitionBytes", "8192", "openCostInBytes", "1024")),
        Arguments.of("three pages", Map.of("maxPartitionBytes", "12288")),
        Arguments.of("64 KiB", Map.of("maxPartitionBytes", "65536", "openCostInBytes", "4096")),
        Arguments.of(
            "64 KiB, 8 KiB windows",
            Map.of("maxPartitionBytes", "65536", "windowBytes", "8192", "prefetchBytes", "4096")),
        Arguments.of("default", Map.of()));
  }

  @ParameterizedTest(name = "four-line, {0}")
  @MethodSource("fourLineSplits")
  void fourLineFilesReadExactlyAsTheReference(String label, Map<String, String> options) {
    sweep(fourLine, options, false, FOUR_LINE_TRUTH, fourLineBytes);
  }

  @Test
  void onePagePartitionsThroughMinPartitionNum() {
    // Spark's rule: with no open cost, bytes per core = total / minPartitionNum, here under a page.
    SparkReads.spark().conf().set("spark.sql.files.minPartitionNum", "100000");
    try {
      Dataset<Row> df =
          SparkReads.load(Map.of("openCostInBytes", "0", "multiLine", "true"), wrapped);
      assertThat(df.rdd().getNumPartitions())
          .isGreaterThanOrEqualTo((int) (wrappedBytes / PAGE / 2));
      Map<String, List<Read>> actual = SparkReads.readsByFile(df);
      for (Map.Entry<String, List<Read>> e : WRAPPED_TRUTH.entrySet()) {
        SparkReads.assertSameReads(actual.get(e.getKey()), e.getValue(), e.getKey());
      }
    } finally {
      SparkReads.spark().conf().unset("spark.sql.files.minPartitionNum");
    }
  }

  static Stream<Arguments> wrappedSplits() {
    return Stream.of(
        Arguments.of("one page", Map.of("maxPartitionBytes", "4096")),
        Arguments.of("three pages", Map.of("maxPartitionBytes", "12288", "openCostInBytes", "0")),
        Arguments.of(
            "64 KiB, 8 KiB windows",
            Map.of("maxPartitionBytes", "65536", "windowBytes", "8192", "prefetchBytes", "0")),
        Arguments.of("default", Map.of()));
  }

  @ParameterizedTest(name = "wrapped, {0}")
  @MethodSource("wrappedSplits")
  void wrappedFilesReadExactlyAsTheReference(String label, Map<String, String> options) {
    sweep(wrapped, options, true, WRAPPED_TRUTH, wrappedBytes);
  }

  private static void sweep(
      Path directory,
      Map<String, String> options,
      boolean multiLine,
      Map<String, List<Read>> truth,
      long totalBytes) {
    Map<String, String> all = new HashMap<>(options);
    all.put("multiLine", Boolean.toString(multiLine));
    Dataset<Row> df = SparkReads.load(all, directory);
    if ("4096".equals(options.get("maxPartitionBytes"))
        && !options.containsKey("openCostInBytes")) {
      // One range per partition: at least one partition per page of input.
      assertThat(df.rdd().getNumPartitions()).isGreaterThanOrEqualTo((int) (totalBytes / PAGE));
    }
    Map<String, List<Read>> actual = SparkReads.readsByFile(df);
    Map<String, List<Read>> expected = new LinkedHashMap<>();
    truth.forEach(
        (uri, reads) -> {
          if (!reads.isEmpty()) {
            expected.put(uri, reads);
          }
        });
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, List<Read>> e : expected.entrySet()) {
      SparkReads.assertSameReads(actual.get(e.getKey()), e.getValue(), e.getKey() + " " + options);
    }
  }
}
