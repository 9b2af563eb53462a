/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.GzipMemberOutputStream;
import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code df.write().format("fastq-mmap").save(dir)}: part files through the commit protocol, every
 * compression, every save mode, exact round trips, and rows that cannot be written named in the
 * error with nothing committed.
 */
class WriteTest {
  private static final Pattern PART =
      Pattern.compile("part-\\d{5}-[0-9a-f-]{36}-c\\d{3}\\.fastq(\\.gz|\\.bgz)?");

  @TempDir static Path dir;
  private static Path input;
  private static List<Read> truth;

  @BeforeAll
  static void generate() throws IOException {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(91)
            .records(2000)
            .allTricky()
            .readLengths(0, 80)
            .crlf(true)
            .plusTitleFraction(0.5)
            .generate();
    input = g.writeTo(dir.resolve("in.fastq"));
    truth = g.reads();
  }

  private static List<String> parts(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !n.startsWith("_") && !n.endsWith(".gzi"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** The records without offsets (a written file has its own). */
  private static List<String> records(List<Read> reads) {
    List<String> out = new ArrayList<>();
    for (Read r : reads) {
      out.add(r.name() + "|" + r.comment() + "|" + r.sequence() + "|" + r.quality());
    }
    return out;
  }

  private static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    copy.sort(null);
    return copy;
  }

  @Test
  void aGzipPartOfManyMembersIsOneGzipFileToEveryReader() throws IOException {
    // Larger than a member, so that with libdeflate the part is several gzip members.
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(93).records(12_000).readLengths(100, 150).generate();
    Path big = g.writeTo(dir.resolve("big.fastq"));
    assertThat(Files.size(big)).isGreaterThan(2L * GzipMemberOutputStream.MEMBER_BYTES);
    Path out = dir.resolve("members");
    SparkReads.load(Map.of("maxPartitionBytes", "1g"), big)
        .write()
        .format("fastq-mmap")
        .option("compression", "gzip")
        .save(out.toString());
    List<String> parts = parts(out);
    assertThat(parts).hasSize(1);
    Path part = out.resolve(parts.get(0));
    byte[] gz = Files.readAllBytes(part);
    if (NativeCodecs.libdeflateAvailable()) {
      // Each member starts with gzip's magic and a header without the FEXTRA flag (so not BGZF).
      int members = 0;
      for (int i = 0; i + 3 < gz.length; i++) {
        if (gz[i] == 0x1f && gz[i + 1] == (byte) 0x8b && gz[i + 2] == 8 && gz[i + 3] == 0) {
          members++;
        }
      }
      assertThat(members).isGreaterThanOrEqualTo(3);
    }
    assertThat(gunzip(gz)).isEqualTo(Files.readAllBytes(big));
    assertThat(records(SparkReads.reads(SparkReads.load(Map.of(), out))))
        .isEqualTo(records(g.reads()));
    // Spark's own text reader, through Hadoop's gzip codec, sees every line too.
    assertThat(SparkReads.spark().read().text(part.toString()).count())
        .isEqualTo(4L * g.reads().size());
  }

  @Test
  void roundTripIsExactForEveryCompression() throws IOException {
    Dataset<Row> reads =
        SparkReads.load(Map.of("maxPartitionBytes", "16384"), input)
            .where("octet_length(sequence) >= 10");
    List<Read> kept = truth.stream().filter(r -> r.sequence().length() >= 10).toList();
    int partitions = reads.rdd().getNumPartitions();
    assertThat(partitions).isGreaterThan(3);
    for (String compression : List.of("none", "gzip", "bgzf")) {
      Path out = dir.resolve("round-" + compression);
      reads.write().format("fastq-mmap").option("compression", compression).save(out.toString());
      assertThat(out.resolve("_SUCCESS")).exists();
      List<String> parts = parts(out);
      assertThat(parts).hasSize(partitions).allMatch(n -> PART.matcher(n).matches());
      assertThat(parts)
          .allMatch(
              n ->
                  n.endsWith(
                      compression.equals("none")
                          ? ".fastq"
                          : compression.equals("gzip") ? ".fastq.gz" : ".fastq.bgz"));
      List<Read> back = SparkReads.reads(SparkReads.load(Map.of("maxPartitionBytes", "4096"), out));
      // Spark's packing orders ranges by size across files, so compare as sorted lists.
      assertThat(sorted(records(back))).as(compression).isEqualTo(sorted(records(kept)));

      // Every part is valid for the JDK's gzip reader; BGZF parts end with the EOF block.
      StringBuilder text = new StringBuilder();
      for (String part : parts) {
        byte[] bytes = Files.readAllBytes(out.resolve(part));
        if (!compression.equals("none")) {
          bytes = gunzip(bytes);
        }
        if (compression.equals("bgzf")) {
          List<BgzfTestFiles.Block> layout =
              BgzfTestFiles.layout(Files.readAllBytes(out.resolve(part)));
          assertThat(layout.get(layout.size() - 1).dataSize()).isZero();
        }
        text.append(new String(bytes, StandardCharsets.ISO_8859_1));
      }
      Read first = kept.get(0);
      assertThat(text.toString())
          .startsWith(
              "@"
                  + first.name()
                  + (first.comment() == null ? "" : " " + first.comment())
                  + "\n"
                  + first.sequence()
                  + "\n+\n"
                  + first.quality()
                  + "\n");
    }
  }

  /** The bytes of a gzip or BGZF file, as the JDK's gzip reader gives them. */
  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** The input written by one task as one BGZF part into {@code out}; the part's name. */
  private static String oneBgzfPart(Path out, Map<String, String> options) throws IOException {
    SparkReads.load(Map.of(), input)
        .coalesce(1)
        .write()
        .format("fastq-mmap")
        .option("compression", "bgzf")
        .options(options)
        .save(out.toString());
    List<String> parts = parts(out);
    assertThat(parts).hasSize(1);
    return parts.get(0);
  }

  @Test
  void oneTaskWritesOneBgzfFileAsOneThreadWouldWithTheOtherCoreHelping() throws IOException {
    Path out = dir.resolve("one-file");
    byte[] written = Files.readAllBytes(out.resolve(oneBgzfPart(out, Map.of())));
    byte[] text = gunzip(written);
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(truth.size());
    // The session is local[2]: blocks went to a helper too, and came back in order.
    java.io.ByteArrayOutputStream alone = new java.io.ByteArrayOutputStream();
    try (BgzfOutputStream one = new BgzfOutputStream(alone)) {
      one.write(text);
    }
    assertThat(written).isEqualTo(alone.toByteArray());
  }

  @Test
  void localPartsTakeHadoopsUmaskAndHaveNoChecksumFiles() throws IOException {
    Path out = dir.resolve("umask");
    String part = oneBgzfPart(out, Map.of("fs.permissions.umask-mode", "077"));
    assertThat(Files.getPosixFilePermissions(out.resolve(part)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(out.resolve(part + ".gzi")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    // Hadoop's local file system would also have written .<part>.crc and .<part>.gzi.crc.
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(part, part + ".gzi", "_SUCCESS", "._SUCCESS.crc");
    }
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(truth.size());
  }

  @Test
  void saveModesBehaveAsSparksFileSources() throws IOException {
    Dataset<Row> reads = SparkReads.load(Map.of(), input).limit(100);
    Path out = dir.resolve("modes");
    reads.write().format("fastq-mmap").save(out.toString()); // ErrorIfExists, the default
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(100);
    List<String> first = parts(out);

    assertThatThrownBy(() -> reads.write().format("fastq-mmap").save(out.toString()))
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("PATH_ALREADY_EXISTS")
                    .contains(out.getFileName().toString()));

    reads.write().format("fastq-mmap").mode(SaveMode.Ignore).save(out.toString());
    assertThat(parts(out)).isEqualTo(first);

    reads.write().format("fastq-mmap").mode(SaveMode.Append).save(out.toString());
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(200);
    assertThat(parts(out)).containsAll(first).hasSize(2 * first.size());

    reads.limit(7).write().format("fastq-mmap").mode(SaveMode.Overwrite).save(out.toString());
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(7);
    assertThat(parts(out)).doesNotContainAnyElementsOf(first);

    Path fresh = dir.resolve("ignored-new");
    reads.write().format("fastq-mmap").mode("ignore").save(fresh.toString());
    assertThat(SparkReads.load(Map.of(), fresh).count()).isEqualTo(100);
    Path appendedNew = dir.resolve("appended-new");
    reads.write().format("fastq-mmap").mode("append").save(appendedNew.toString());
    assertThat(SparkReads.load(Map.of(), appendedNew).count()).isEqualTo(100);

    // Overwriting the directory a query reads from would delete its input.
    Dataset<Row> fromOut = SparkReads.load(Map.of(), out);
    assertThatThrownBy(
            () -> fromOut.write().format("fastq-mmap").mode("overwrite").save(out.toString()))
        .satisfies(t -> assertThat(SparkReads.messages(t)).contains("also being read from"));
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(7);
  }

  private static final StructType SCHEMA =
      new StructType()
          .add("name", DataTypes.StringType)
          .add("sequence", DataTypes.StringType)
          .add("quality", DataTypes.StringType)
          .add("score", DataTypes.IntegerType);

  private static Dataset<Row> frame(Row... rows) {
    return SparkReads.spark().createDataFrame(List.of(rows), SCHEMA).repartition(1);
  }

  @Test
  void anyDataFrameWithTheColumnsIsWritten() {
    Path out = dir.resolve("any");
    frame(RowFactory.create("a", "ACGT", "IIII", 1), RowFactory.create("b", "", "", 2))
        .write()
        .format("fastq-mmap")
        .save(out.toString());
    assertThat(SparkReads.reads(SparkReads.load(Map.of(), out)))
        .extracting(r -> r.name() + "|" + r.comment() + "|" + r.sequence() + "|" + r.quality())
        .containsExactly("a|null|ACGT|IIII", "b|null||");
  }

  @Test
  void rowsThatCannotBeWrittenAreNamedAndNothingIsCommitted() throws IOException {
    String[][] cases = {
      {"r1", null, "IIII", "row 2 of write task 0 (read 'r1') as FASTQ: the sequence is null"},
      {"r1", "ACGT", "III", "the quality has 3 characters but the sequence has 4"},
      {
        "r1",
        "AC\nGT",
        "IIIII",
        "sequence character 0x0A at byte offset 2 is not a letter or one of - . *"
      },
      {
        "r 1",
        "ACGT",
        "IIII",
        "the name holds 0x20 at byte offset 1, and a name ends at the first space or tab"
      },
      {
        "r1",
        "ACGT",
        "II\u0080I",
        "quality character 0xC2 at byte offset 2 is outside the phred33 range '!'..'~'"
      },
      {"r1", "ACGT", "II I", "quality character 0x20 at byte offset 2 is outside the phred33"},
      {null, "ACGT", "IIII", "row 2 of write task 0 as FASTQ: the name is null"}
    };
    int k = 0;
    for (String[] c : cases) {
      Path out = dir.resolve("bad-" + k++);
      Dataset<Row> df =
          frame(RowFactory.create("ok", "A", "I", 0), RowFactory.create(c[0], c[1], c[2], 0));
      assertThatThrownBy(() -> df.write().format("fastq-mmap").save(out.toString()))
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains("Cannot write")
                      .contains(c[3])
                      .contains("nothing of this write is committed"));
      // The job was aborted: no part file and no _SUCCESS, also not in temporary directories.
      if (Files.exists(out)) {
        try (Stream<Path> all = Files.walk(out)) {
          assertThat(all.filter(Files::isRegularFile).map(Path::toString).toList())
              .noneMatch(n -> n.contains("part-") || n.endsWith("_SUCCESS"));
        }
      }
    }
  }

  @Test
  void badWriteRequestsFailBeforeAnyJob() {
    Dataset<Row> reads = SparkReads.load(Map.of(), input);
    assertThatThrownBy(
            () ->
                reads
                    .write()
                    .format("fastq-mmap")
                    .option("compression", "xz")
                    .save(dir.resolve("xz").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value 'xz' for fastq-mmap option 'compression': expected one of none (or"
                + " uncompressed), gzip (or gz), bgzf (or bgz), bzip2 (or bz2),"
                + " zstd (or zst).");
    assertThatThrownBy(
            () ->
                reads
                    .select("name", "sequence")
                    .write()
                    .format("fastq-mmap")
                    .save(dir.resolve("noqual").toString()))
        .hasMessageContaining("the DataFrame has no column 'quality'. Its columns are name,");
    assertThatThrownBy(
            () ->
                reads
                    .selectExpr("name", "sequence", "length(quality) AS quality")
                    .write()
                    .format("fastq-mmap")
                    .save(dir.resolve("intqual").toString()))
        .hasMessageContaining(
            "the column 'quality' as text and needs it to be a string, but it is int");
    assertThatThrownBy(
            () ->
                reads
                    .write()
                    .format("fastq-mmap")
                    .partitionBy("quality")
                    .save(dir.resolve("partitioned").toString()))
        .hasMessageContaining("the DataFrame has no column 'quality'");
    assertThat(dir.resolve("partitioned")).doesNotExist();
    assertThat(dir.resolve("xz")).doesNotExist();
  }
}
