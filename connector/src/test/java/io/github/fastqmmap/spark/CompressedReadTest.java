/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.stream.StreamByteSource;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.BgzfTestFiles.Block;
import io.github.fastqmmap.testing.ExpectedScanMetrics;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed FASTQ through Spark: gzip and bzip2 as one partition per file, BGZF split on block
 * boundaries (with and without a {@code .gzi} index), each giving the generator's records with
 * exact metrics; damaged and cut-short files fail with the file and the compressed offset.
 */
class CompressedReadTest {
  /** One-page ranges: a BGZF file of some 100 kB becomes dozens of tasks. */
  private static final Map<String, String> SMALL_SPLITS =
      Map.of("maxPartitionBytes", Integer.toString(MappedFile.pageSize()));

  @TempDir static Path dir;
  private static byte[] data;
  private static List<Read> truth;

  @BeforeAll
  static void generate() {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(71)
            .records(1500)
            .allTricky()
            .readLengths(0, 120)
            .longReads(0.01, 9000)
            .generate();
    data = g.bytes();
    truth = g.reads();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] bzip2(byte[] bytes) throws IOException {
    BZip2Codec codec = new BZip2Codec();
    codec.setConf(new Configuration(false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream bz = codec.createOutputStream(out)) {
      bz.write(bytes);
    }
    return out.toByteArray();
  }

  private static List<Read> withVirtualOffsets(List<Read> reads, List<Block> layout) {
    List<Read> out = new ArrayList<>();
    for (Read r : reads) {
      out.add(
          new Read(
              BgzfTestFiles.virtualOffset(layout, r.offset()),
              r.name(),
              r.comment(),
              r.sequence(),
              r.quality()));
    }
    return out;
  }

  @Test
  void gzipIsOnePartitionWithUncompressedOffsetsAndExactMetrics() throws IOException {
    Path file = Files.write(dir.resolve("reads.fq.gz"), gzip(data));
    Dataset<Row> df = SparkReads.load(SMALL_SPLITS, file);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(1);
    Dataset<Row> rows = df.selectExpr(SparkReads.READ_COLUMNS);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> rows.collectAsList());
    SparkReads.assertSameReads(SparkReads.reads(df), truth, "gzip");
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BASES)).isEqualTo(bases(truth));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(data.length);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_SKIPPED)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_OVERHANG)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_MAPPED)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.WINDOWS_MAPPED)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MAX_RECORD_BYTES))
        .isEqualTo(ExpectedScanMetrics.longestRecord(truth, data.length));
    // What a compressed read takes from storage is the compressed file, once.
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_READ)).isEqualTo(Files.size(file));
    assertThat(ScanMetrics.sql(rows, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(SparkReads.load(Map.of(), file).count()).isEqualTo(truth.size());
  }

  @Test
  void bgzfIsSplitOnBlocksWithVirtualOffsetsAndExactMetrics() throws IOException {
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 3000, 0.05, 5);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    Path file = Files.write(dir.resolve("reads.fastq.bgz"), bgzf);
    List<Read> expected = withVirtualOffsets(truth, layout);
    Dataset<Row> df = SparkReads.load(SMALL_SPLITS, file);
    int page = MappedFile.pageSize();
    int ranges = (bgzf.length + page - 1) / page;
    assertThat(df.rdd().getNumPartitions()).isEqualTo(ranges).isGreaterThan(10);
    Dataset<Row> rows = df.selectExpr(SparkReads.READ_COLUMNS);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> rows.collectAsList());
    SparkReads.assertSameReads(SparkReads.reads(df), expected, "bgzf");
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(truth.size());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BASES)).isEqualTo(bases(truth));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(data.length);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_MAPPED)).isZero();
    // Every block is read by some range (ranges read ahead in chunks, so some more than once).
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_READ))
        .isGreaterThanOrEqualTo(bgzf.length);
    // Skipped and overhang bytes, worked out in uncompressed offsets from the block layout.
    long skipped = 0;
    long overhang = 0;
    for (long cs = 0; cs < bgzf.length; cs += page) {
      long us = dataStartAtOrAfter(layout, cs);
      long ue = dataStartAtOrAfter(layout, Math.min(bgzf.length, cs + page));
      if (us < ue) {
        skipped += Math.min(nextRecord(us), ue) - us;
        overhang += nextRecord(ue) - ue;
      }
    }
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_SKIPPED)).isEqualTo(skipped);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_OVERHANG)).isEqualTo(overhang);
    assertThat(SparkReads.load(SMALL_SPLITS, file).count()).isEqualTo(truth.size());

    // With a .gzi index next to it: the same rows; the index is not read as FASTQ.
    Path indexed = Files.createDirectories(dir.resolve("indexed"));
    Path copy = Files.write(indexed.resolve("reads.fastq.gz"), bgzf);
    Files.write(indexed.resolve("reads.fastq.gz.gzi"), BgzfTestFiles.gzi(layout));
    Dataset<Row> viaIndex = SparkReads.load(SMALL_SPLITS, indexed);
    assertThat(viaIndex.inputFiles()).hasSize(0); // DSv2: Spark does not list our files
    SparkReads.assertSameReads(SparkReads.reads(viaIndex), expected, "bgzf with .gzi");
    assertThat(SparkReads.load(Map.of(), copy).count()).isEqualTo(truth.size());
  }

  @Test
  void bgzfMalformedRecordsInEveryMode() throws IOException {
    String good = "@r\nACGT\n+\nIIII\n";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      s.append(i % 97 == 5 ? "@bad\nACGT\n+\nIII\n" : good.replace("@r", "@r" + i));
    }
    byte[] text = s.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bgzf = BgzfTestFiles.randomBlocks(text, 2000, 0, 9);
    Path file = Files.write(dir.resolve("malformed.bgz"), bgzf);
    long bad = 2000 / 97 + 1;
    Map<String, String> drop = Map.of("maxPartitionBytes", "4096", "mode", "DROPMALFORMED");
    Dataset<Row> kept = SparkReads.load(drop, file).select("name");
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> kept.collectAsList());
    assertThat(kept.count()).isEqualTo(2000 - bad);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.DROPPED_RECORDS)).isEqualTo(bad);
    List<Row> corrupt =
        SparkReads.load(Map.of("maxPartitionBytes", "4096", "mode", "PERMISSIVE"), file)
            .where("_corrupt_record IS NOT NULL")
            .select("_corrupt_record")
            .collectAsList();
    assertThat(corrupt)
        .hasSize((int) bad)
        .allMatch(r -> r.getString(0).equals("@bad\nACGT\n+\nIII"));
    assertThatThrownBy(() -> SparkReads.load(Map.of("maxPartitionBytes", "4096"), file).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(file))
                    .contains("of the BGZF block at compressed byte offset "));
  }

  @Test
  void bzip2IsReadWholeThroughHadoopsCodec() throws IOException {
    // Two bzip2 streams back to back, as pbzip2 and lbzip2 write them.
    int cut = data.length / 3;
    byte[] first = bzip2(Arrays.copyOfRange(data, 0, cut));
    byte[] second = bzip2(Arrays.copyOfRange(data, cut, data.length));
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(first);
    both.write(second);
    Path file = Files.write(dir.resolve("reads.fastq.bz2"), both.toByteArray());
    Dataset<Row> df = SparkReads.load(SMALL_SPLITS, file);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(1);
    SparkReads.assertSameReads(SparkReads.reads(df), truth, "bzip2");
    Dataset<Row> rows = df.select("sequence");
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> rows.collectAsList());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(data.length);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BASES)).isEqualTo(bases(truth));
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_READ)).isEqualTo(Files.size(file));
  }

  @Test
  void damagedAndTruncatedFilesNameTheCompressedOffset() throws IOException {
    byte[] gz = gzip(data);
    Path truncated = Files.write(dir.resolve("cut.fastq.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> SparkReads.load(Map.of(), truncated).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Truncated gzip file "
                            + SparkReads.fileUri(truncated)
                            + ": it ends at compressed byte offset "
                            + gz.length / 2));
    // ignoreCorruptFiles keeps what was read before the end.
    long kept = SparkReads.load(Map.of("ignoreCorruptFiles", "true"), truncated).count();
    assertThat(kept).isBetween(1L, (long) truth.size() - 1);

    // A damaged gzip member: garbage reaches the parser first, the report names the damage.
    byte[] damaged = gz.clone();
    damaged[gz.length / 3] ^= 0x5A;
    Path bad = Files.write(dir.resolve("damaged.fastq.gz"), damaged);
    assertThatThrownBy(() -> SparkReads.load(Map.of(), bad).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Corrupt gzip file " + SparkReads.fileUri(bad)));

    // A damaged BGZF block: found before any of its bytes are used.
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 3000, 0, 6);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    Block victim = layout.get(layout.size() / 2);
    bgzf[(int) victim.offset() + victim.size() / 2] ^= 0x5A;
    Path badBlock = Files.write(dir.resolve("damaged.bgz"), bgzf);
    assertThatThrownBy(() -> SparkReads.load(SMALL_SPLITS, badBlock).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Corrupt BGZF block in "
                            + SparkReads.fileUri(badBlock)
                            + " at compressed byte offset "
                            + victim.offset()));
  }

  /**
   * After a parse error in gzip, the reader decodes on to find damage that explains it, but only
   * {@link StreamByteSource#DAMAGE_CHECK_BYTES} (8 MiB) further: damage found there is named, with
   * the parse error kept as suppressed; damage further on leaves the parse error as the report.
   */
  @Test
  void damageIsLookedForWithinABoundAfterAParseError() throws IOException {
    String malformed = "@bad\nACGT\n+\nIII\n";
    String filler = "@r\nACGTACGTAC\n+\nIIIIIIIIII\n";
    byte[] damagedMember = gzip("@z\nA\n+\nI\n".getBytes(StandardCharsets.US_ASCII));
    damagedMember[damagedMember.length - 8] ^= 1; // its CRC-32
    // The stream has its first 4 MiB buffered when the parse error comes, then decodes on.
    long[] fillers = {1 << 20, StreamByteSource.DAMAGE_CHECK_BYTES + (8 << 20)};
    for (long fillerBytes : fillers) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      String text = malformed + filler.repeat((int) (fillerBytes / filler.length()));
      file.write(gzip(text.getBytes(StandardCharsets.US_ASCII)));
      file.write(damagedMember);
      Path path =
          Files.write(dir.resolve("bad-then-" + fillerBytes + ".fastq.gz"), file.toByteArray());
      boolean near = fillerBytes < StreamByteSource.DAMAGE_CHECK_BYTES;
      assertThatThrownBy(() -> SparkReads.load(Map.of(), path).count())
          .as("damage %d bytes after the parse error", fillerBytes)
          .satisfies(
              t -> {
                String messages = SparkReads.messages(t);
                assertThat(messages)
                    .contains(
                        near
                            ? "Corrupt gzip file " + SparkReads.fileUri(path)
                            : "Malformed FASTQ record in " + SparkReads.fileUri(path));
                if (near) {
                  assertThat(messages).contains("CRC-32 mismatch");
                } else {
                  assertThat(messages).doesNotContain("Corrupt gzip");
                }
              });
    }
  }

  private static long bases(List<Read> reads) {
    return reads.stream().mapToLong(r -> r.sequence().length()).sum();
  }

  private static long dataStartAtOrAfter(List<Block> layout, long c) {
    for (Block b : layout) {
      if (b.offset() >= c) {
        return b.dataStart();
      }
    }
    return data.length;
  }

  private static long nextRecord(long u) {
    for (Read r : truth) {
      if (r.offset() >= u) {
        return r.offset();
      }
    }
    return data.length;
  }
}
