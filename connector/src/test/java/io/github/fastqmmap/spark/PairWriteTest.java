/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import io.github.fastqmmap.testing.WrittenFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paired rows (the columns of a {@code paired=true} read) are written as {@code _R1}/{@code _R2}
 * part files whose record i are the mates of row i, or interleaved, with every compression; read
 * back as single reads and zipped in offset order, or as pairs, they give the same pairs.
 */
class PairWriteTest {
  static final StructType PAIRED =
      new StructType()
          .add("name", DataTypes.StringType, false)
          .add("comment1", DataTypes.StringType)
          .add("sequence1", DataTypes.StringType, false)
          .add("quality1", DataTypes.StringType, false)
          .add("comment2", DataTypes.StringType)
          .add("sequence2", DataTypes.StringType, false)
          .add("quality2", DataTypes.StringType, false);

  private static final List<String> COMPRESSIONS = List.of("none", "gzip", "bgzf", "bzip2", "zstd");

  @TempDir static Path dir;
  private static List<Row> pairs;
  private static Dataset<Row> frame;

  private static String bases(Random random, int length, String alphabet) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  @BeforeAll
  static void generate() {
    Random random = new Random(5);
    pairs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // Mates of different lengths, so that equal byte ranges hold different record counts.
      int n1 = random.nextInt(160);
      int n2 = 20 + random.nextInt(300);
      pairs.add(
          RowFactory.create(
              "frag" + i,
              i % 4 == 0 ? null : "1:N:0:ACGT",
              bases(random, n1, "ACGTN"),
              bases(random, n1, "!#5?I~"),
              i % 4 == 1 ? null : "2:N:0:ACGT x" + i,
              bases(random, n2, "ACGT"),
              bases(random, n2, "#+FI")));
    }
    frame = SparkReads.spark().createDataFrame(pairs, PAIRED).repartition(3);
  }

  /** A pair as text: name, then each mate's comment, sequence and quality. */
  private static String pair(String name, Read r1, Read r2) {
    return String.join(
        "|",
        name,
        String.valueOf(r1.comment()),
        r1.sequence(),
        r1.quality(),
        String.valueOf(r2.comment()),
        r2.sequence(),
        r2.quality());
  }

  private static List<String> expected() {
    List<String> out = new ArrayList<>();
    for (Row r : pairs) {
      out.add(
          String.join(
              "|",
              r.getString(0),
              String.valueOf(r.getString(1)),
              r.getString(2),
              r.getString(3),
              String.valueOf(r.getString(4)),
              r.getString(5),
              r.getString(6)));
    }
    out.sort(null);
    return out;
  }

  /** A file's records read as single reads, in offset order. */
  static List<Read> inOrder(Path file) {
    List<Read> reads =
        new ArrayList<>(
            SparkReads.reads(SparkReads.load(Map.of("maxPartitionBytes", "8192"), file)));
    reads.sort(Comparator.comparingLong(Read::offset));
    return reads;
  }

  private static String extension(String compression) {
    return switch (compression) {
      case "gzip" -> ".fastq.gz";
      case "bgzf" -> ".fastq.bgz";
      case "bzip2" -> ".fastq.bz2";
      case "zstd" -> ".fastq.zst";
      default -> ".fastq";
    };
  }

  @Test
  void mateFilesHoldTheMatesInTheSameOrderWithEveryCompression() throws IOException {
    for (String compression : COMPRESSIONS) {
      Path out = dir.resolve("mates-" + compression);
      frame.write().format("fastq-mmap").option("compression", compression).save(out.toString());
      String ext = extension(compression);
      List<Path> r1 = WrittenFiles.files(out, "_R1" + ext);
      List<Path> r2 = WrittenFiles.files(out, "_R2" + ext);
      assertThat(r1).as(compression).hasSize(3);
      assertThat(r2)
          .containsExactlyElementsOf(
              r1.stream()
                  .map(p -> p.resolveSibling(p.getFileName().toString().replace("_R1.", "_R2.")))
                  .toList());
      assertThat(r1)
          .allMatch(
              p ->
                  p.getFileName()
                      .toString()
                      .matches("part-\\d{5}-[0-9a-f-]{36}-c\\d{3}_R1\\.fastq.*"));
      assertThat(WrittenFiles.files(out, ".gzi")).hasSize(compression.equals("bgzf") ? 6 : 0);
      List<String> back = new ArrayList<>();
      for (int f = 0; f < r1.size(); f++) {
        List<Read> first = inOrder(r1.get(f));
        List<Read> second = inOrder(r2.get(f));
        assertThat(second).as(compression).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
          assertThat(second.get(i).name()).isEqualTo(first.get(i).name());
          back.add(pair(first.get(i).name(), first.get(i), second.get(i)));
        }
      }
      back.sort(null);
      assertThat(back).as(compression).isEqualTo(expected());
    }
  }

  @Test
  void interleavedFilesAlternateTheMatesWithEveryCompression() throws IOException {
    for (String compression : COMPRESSIONS) {
      Path out = dir.resolve("interleaved-" + compression);
      frame
          .write()
          .format("fastq-mmap")
          .option("compression", compression)
          .option("interleaved", "true")
          .save(out.toString());
      List<Path> parts = WrittenFiles.files(out, extension(compression));
      assertThat(parts).as(compression).hasSize(3).noneMatch(p -> p.toString().contains("_R"));
      List<String> back = new ArrayList<>();
      for (Path part : parts) {
        List<Read> reads = inOrder(part);
        assertThat(reads.size() % 2).isZero();
        for (int i = 0; i < reads.size(); i += 2) {
          assertThat(reads.get(i + 1).name()).isEqualTo(reads.get(i).name());
          back.add(pair(reads.get(i).name(), reads.get(i), reads.get(i + 1)));
        }
      }
      back.sort(null);
      assertThat(back).as(compression).isEqualTo(expected());
    }
  }

  /** Pairs as the text {@link #pair} makes, from the rows of a paired read. */
  private static List<String> pairsOf(Dataset<Row> paired) {
    List<String> out = new ArrayList<>();
    for (Row r :
        paired
            .selectExpr(
                "name", "comment1", "sequence1", "quality1", "comment2", "sequence2", "quality2")
            .collectAsList()) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        fields.add(String.valueOf(r.getString(i)));
      }
      out.add(String.join("|", fields));
    }
    out.sort(null);
    return out;
  }

  private static String fastq(String name, String comment, String sequence, String quality) {
    return "@"
        + name
        + (comment == null ? "" : " " + comment)
        + "\n"
        + sequence
        + "\n+\n"
        + quality
        + "\n";
  }

  @Test
  void readFilterWriteReadGivesTheSamePairs() throws IOException {
    // R1 and R2 files as a sequencer delivers them, read as pairs by the connector.
    StringBuilder r1 = new StringBuilder();
    StringBuilder r2 = new StringBuilder();
    for (Row r : pairs) {
      r1.append(fastq(r.getString(0), r.getString(1), r.getString(2), r.getString(3)));
      r2.append(fastq(r.getString(0), r.getString(4), r.getString(5), r.getString(6)));
    }
    Path in = dir.resolve("sample");
    SparkReads.write(in.resolve("S1_R1_001.fastq"), r1.toString());
    SparkReads.write(in.resolve("S1_R2_001.fastq"), r2.toString());
    Dataset<Row> read =
        SparkReads.reader(Map.of("paired", "true", "maxPartitionBytes", "16384"))
            .load(in.toString())
            .where("octet_length(sequence1) >= 40 AND octet_length(sequence2) < 250");
    List<String> kept = pairsOf(read);
    assertThat(kept).hasSizeGreaterThan(1000).hasSizeLessThan(pairs.size());
    assertThat(read.rdd().getNumPartitions()).isGreaterThan(3);
    // Written as three tasks' part files (each task's pairs in order), which the reads below cut
    // into many ranges: a part file per read partition (about a hundred) made every write and
    // read-back pay per file, a minute per Spark line, and tested nothing more.
    Dataset<Row> written = read.coalesce(3);
    for (String compression : COMPRESSIONS) {
      Path mates = dir.resolve("trip-mates-" + compression);
      written
          .write()
          .format("fastq-mmap")
          .option("compression", compression)
          .save(mates.toString());
      assertThat(
              pairsOf(
                  SparkReads.reader(Map.of("paired", "true", "maxPartitionBytes", "8192"))
                      .load(mates.toString())))
          .as("mate files, %s", compression)
          .isEqualTo(kept);
      Path interleaved = dir.resolve("trip-interleaved-" + compression);
      written
          .write()
          .format("fastq-mmap")
          .option("compression", compression)
          .option("interleaved", "true")
          .save(interleaved.toString());
      assertThat(
              pairsOf(
                  SparkReads.reader(Map.of("interleaved", "true", "maxPartitionBytes", "8192"))
                      .load(interleaved.toString())))
          .as("interleaved, %s", compression)
          .isEqualTo(kept);
    }
    // Names written with /1 and /2 read back without them.
    Path suffixed = dir.resolve("trip-suffixed");
    written.write().format("fastq-mmap").option("mateSuffix", "true").save(suffixed.toString());
    assertThat(pairsOf(SparkReads.reader(Map.of("paired", "true")).load(suffixed.toString())))
        .isEqualTo(kept);
  }

  @Test
  void mateSuffixWritesSlashOneAndSlashTwo() throws IOException {
    Dataset<Row> few = frame.where("name IN ('frag0', 'frag1')").repartition(1);
    Path out = dir.resolve("suffixed");
    few.write()
        .format("fastq-mmap")
        .option("interleaved", "true")
        .option("mateSuffix", "true")
        .save(out.toString());
    String text =
        Files.readString(WrittenFiles.files(out, ".fastq").get(0), StandardCharsets.US_ASCII);
    assertThat(text.lines().filter(l -> l.startsWith("@frag")).sorted().toList())
        .containsExactly("@frag0/1", "@frag0/2 2:N:0:ACGT x0", "@frag1/1 1:N:0:ACGT", "@frag1/2");
    // Without the option the name is written as it is.
    Path plain = dir.resolve("unsuffixed");
    few.write().format("fastq-mmap").save(plain.toString());
    assertThat(
            Files.readString(
                    WrittenFiles.files(plain, "_R2.fastq").get(0), StandardCharsets.US_ASCII)
                .lines()
                .filter(l -> l.startsWith("@frag"))
                .sorted()
                .toList())
        .containsExactly("@frag0 2:N:0:ACGT x0", "@frag1");
  }

  @Test
  void filesForCustomPartitionLocationsAreRecognised() {
    // Spark's HadoopMapReduceCommitProtocol.newTaskTempFileAbsPath: one file moved into place,
    // so mate files are refused there (an _R2 file would be lost).
    assertThat(
            FastqFileFormat.isAbsolutePathStaging(
                "file:/t/.spark-staging-0b1c/4f0e4c1a-8d5e-4c1e-9a0b-2f3c4d5e6f70-part-00000-"
                    + "0b1c2d3e-0000-4000-8000-000000000000.c000_R1.fastq"))
        .isTrue();
    assertThat(
            FastqFileFormat.isAbsolutePathStaging(
                "file:/t/_temporary/0/_temporary/attempt_1/part-00000-0b1c2d3e-0000-4000-8000-"
                    + "000000000000-c000_R1.fastq"))
        .isFalse();
    assertThat(
            FastqFileFormat.isAbsolutePathStaging(
                "file:/t/.spark-staging-0b1c/p=1/part-00000-0b1c2d3e-0000-4000-8000-000000000000"
                    + "-c000_R1.fastq"))
        .isFalse();
  }

  @Test
  void badPairsAreNamedAndNothingIsCommitted() throws IOException {
    Dataset<Row> bad =
        SparkReads.spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("ok", null, "A", "I", null, "C", "I"),
                    RowFactory.create("p2", null, "ACGT", "IIII", null, "ACGT", "III")),
                PAIRED)
            .repartition(1);
    Path out = dir.resolve("bad");
    assertThatThrownBy(() -> bad.write().format("fastq-mmap").save(out.toString()))
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Cannot write row 2 of write task 0 (read 'p2') as FASTQ: mate 2: the"
                            + " quality has 3 characters but the sequence has 4. Fix or filter"
                            + " such rows before writing; nothing of this write is committed."));
    if (Files.exists(out)) {
      try (Stream<Path> all = Files.walk(out)) {
        assertThat(all.filter(Files::isRegularFile).map(Path::toString).toList())
            .noneMatch(n -> n.contains("part-") || n.endsWith("_SUCCESS"));
      }
    }
    // interleaved needs pairs: a single-read DataFrame is refused before any job.
    Dataset<Row> single = frame.selectExpr("name", "sequence1 AS sequence", "quality1 AS quality");
    assertThatThrownBy(
            () ->
                single
                    .write()
                    .format("fastq-mmap")
                    .option("interleaved", "true")
                    .save(dir.resolve("notpaired").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fastq-mmap writes pairs from the columns name, sequence1, quality1, sequence2,"
                + " quality2 and (optionally) comment1, comment2, as a paired read returns them,"
                + " and the DataFrame has no column 'sequence1'. Its columns are name, sequence,"
                + " quality.");
    assertThat(dir.resolve("notpaired")).doesNotExist();
    // A pair without its second quality is refused the same way.
    assertThatThrownBy(
            () ->
                frame
                    .drop("quality2")
                    .write()
                    .format("fastq-mmap")
                    .save(dir.resolve("noqual2").toString()))
        .hasMessageContaining("and the DataFrame has no column 'quality2'. Its columns are name,");
  }
}
