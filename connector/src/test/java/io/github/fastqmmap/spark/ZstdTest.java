/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.ExternalTools;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import io.github.fastqmmap.testing.WrittenFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd through the zstd-jni that Spark ships: files read whole (one task each, frames in turn),
 * parts written with {@code compression=zstd}, exact round trips, and the {@code zstd} command
 * reading what is written and writing what is read.
 */
class ZstdTest {
  @TempDir static Path dir;
  private static Path input;
  private static byte[] text;
  private static List<Read> truth;

  @BeforeAll
  static void generate() throws IOException {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(23).records(3000).allTricky().readLengths(0, 200).generate();
    input = g.writeTo(dir.resolve("in.fastq"));
    text = g.bytes();
    truth = g.reads();
  }

  /** Our own zstd of {@code data}, through the connector's writer. */
  private static byte[] zstd(byte[] data) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (var out = WriteCompression.ZSTD.open(sink, "test", 1).out()) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  @Test
  void writtenPartsReadBackExactlyAndTheZstdCommandReadsThem() throws Exception {
    Dataset<Row> reads =
        SparkReads.load(Map.of("maxPartitionBytes", "65536"), input)
            .where("octet_length(sequence) >= 5");
    List<Read> kept = truth.stream().filter(r -> r.sequence().length() >= 5).toList();
    Path out = dir.resolve("written");
    reads.write().format("fastq-mmap").option("compression", "zstd").save(out.toString());
    List<Path> parts = WrittenFiles.files(out, ".fastq.zst");
    assertThat(parts).hasSize(reads.rdd().getNumPartitions()).hasSizeGreaterThan(2);
    assertThat(WrittenFiles.files(out, ".gzi")).isEmpty();
    for (Path part : parts) {
      assertThat(Arrays.copyOf(Files.readAllBytes(part), 4))
          .containsExactly(0x28, 0xB5, 0x2F, 0xFD);
    }
    // One task per zstd file, however small the ranges asked for.
    Dataset<Row> back = SparkReads.load(Map.of("maxPartitionBytes", "4096"), out);
    assertThat(back.rdd().getNumPartitions()).isLessThanOrEqualTo(parts.size());
    assertThat(WrittenFiles.records(SparkReads.reads(back))).isEqualTo(WrittenFiles.records(kept));

    ExternalTools.assumeTool("zstd", "zstd");
    List<Read> byCli = new ArrayList<>();
    for (Path part : parts) {
      ExternalTools.runOk(dir, "zstd", "-q", "-t", part.toString());
      byte[] plain = ExternalTools.runOk(dir, "zstd", "-q", "-d", "-c", part.toString());
      byCli.addAll(ReferenceFastqParser.of(ParseOptions.defaults()).parse(plain).reads());
    }
    assertThat(WrittenFiles.records(byCli)).isEqualTo(WrittenFiles.records(kept));
  }

  @Test
  void filesOfTheZstdCommandAreRead() throws Exception {
    ExternalTools.assumeTool("zstd", "zstd");
    Path one = dir.resolve("cli.fastq.zst");
    ExternalTools.runOk(dir, "zstd", "-q", "-19", input.toString(), "-o", one.toString());
    assertThat(SparkReads.reads(SparkReads.load(Map.of(), one))).isEqualTo(truth);

    // Frames back to back (cat a.zst b.zst; what pzstd and zstd -T with --rsyncable leave):
    // read as one stream, in order, as zstd -d reads them; offsets continue across frames.
    Path second = dir.resolve("second.fastq");
    Files.write(second, text);
    Path half = dir.resolve("second.fastq.zst");
    ExternalTools.runOk(dir, "zstd", "-q", "--no-check", second.toString(), "-o", half.toString());
    Path joined = dir.resolve("joined.fastq.zst");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(Files.readAllBytes(one));
    both.write(Files.readAllBytes(half));
    Files.write(joined, both.toByteArray());
    List<Read> twice =
        SparkReads.reads(SparkReads.load(Map.of("maxPartitionBytes", "4096"), joined));
    assertThat(twice).hasSize(2 * truth.size());
    assertThat(twice.subList(0, truth.size())).isEqualTo(truth);
    assertThat(twice.get(truth.size()).offset()).isEqualTo(text.length);
  }

  @Test
  void withoutSparkAZstdFileBelongsToTheRangeThatStartsAtZero() throws IOException {
    Path file = Files.write(dir.resolve("spark-free.fastq.zst"), zstd(text));
    List<ReferenceFastqParser.Item> all = new ArrayList<>();
    long cut = Files.size(file) / 3;
    long[][] ranges = {{0, cut}, {cut, 2 * cut}, {2 * cut, Long.MAX_VALUE}};
    for (long[] r : ranges) {
      try (RecordReader reader =
          FastqFiles.open(
              file,
              r[0],
              r[1],
              ParseOptions.defaults(),
              MappingOptions.defaults(),
              new ParseCounters(),
              new MappingCounters())) {
        List<ReferenceFastqParser.Item> items = RecordReaderOutput.drain(reader);
        assertThat(items).as("range %d..%d", r[0], r[1]).hasSize(r[0] == 0 ? truth.size() : 0);
        all.addAll(items);
      }
    }
    assertThat(all).isEqualTo(truth);
  }

  @Test
  void damagedAndTruncatedFilesFailNamingTheFile() throws Exception {
    byte[] good = zstd(text);
    assertThat(
            SparkReads.reads(SparkReads.load(Map.of(), Files.write(dir.resolve("ok.zst"), good))))
        .isEqualTo(truth);
    Path cut = Files.write(dir.resolve("cut.fastq.zst"), Arrays.copyOf(good, good.length / 2));
    assertThatThrownBy(() -> SparkReads.load(Map.of(), cut).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Corrupt zstd file "
                            + SparkReads.fileUri(cut)
                            + " (damaged or truncated) at or before compressed byte offset")
                    .contains("Check it with zstd -t."));
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x55;
    Path bad = Files.write(dir.resolve("bad.fastq.zst"), flipped);
    assertThatThrownBy(() -> SparkReads.load(Map.of(), bad).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Corrupt zstd file " + SparkReads.fileUri(bad))
                    .contains("Check it with zstd -t."));
    // ignoreCorruptFiles keeps what was decoded before the damage and goes on.
    long kept = SparkReads.load(Map.of("ignoreCorruptFiles", "true"), cut, input).count();
    assertThat(kept).isGreaterThanOrEqualTo(truth.size()).isLessThan(2L * truth.size());
  }
}
