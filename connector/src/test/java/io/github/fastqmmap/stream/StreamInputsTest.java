/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.BytesInput;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs that are not mapped: gzip streams (whole, concatenated, damaged), the stream buffer's
 * growth and its bounded look-back, positional reads for file systems that cannot be mapped, and
 * format detection by magic number.
 */
class StreamInputsTest {
  private static final ParseOptions STRICT = ParseOptions.defaults();
  private static final StreamSources.Settings SMALL =
      new StreamSources.Settings(Decoder.STEP_BYTES, StreamByteSource.retainLimitFor(1 << 20));

  @TempDir Path dir;

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static List<Item> readGzip(byte[] gz, ParseOptions options, ParseCounters counters)
      throws IOException {
    StreamSources.Opened opened =
        StreamSources.open(
            new BytesInput(gz, 3000), "mem.gz", Compression.GZIP, 0, gz.length, null, SMALL);
    assertThat(opened.start()).isZero();
    try (RecordReader reader =
        new RecordReader(opened.source(), opened.start(), opened.end(), options, counters)) {
      return RecordReaderOutput.drain(reader);
    }
  }

  @Test
  void gzipGivesTheSequentialParseWithUncompressedOffsets() throws IOException {
    List<FastqFileGenerator.Generated> files =
        List.of(
            FastqFileGenerator.builder(301).records(2000).allTricky().generate(),
            FastqFileGenerator.builder(302).records(500).allTricky().crlf(true).generate(),
            // Records far longer than the initial buffer: it grows, and shrinks back to records.
            FastqFileGenerator.builder(303).records(30).longReads(0.2, 200_000).generate());
    for (FastqFileGenerator.Generated g : files) {
      ParseCounters counters = new ParseCounters();
      List<Item> items = readGzip(gzip(g.bytes()), STRICT, counters);
      assertThat(items).isEqualTo(new ArrayList<Item>(g.reads()));
      assertThat(counters.records).isEqualTo(g.reads().size());
      assertThat(counters.bytesParsed).isEqualTo(g.bytes().length);
      assertThat(counters.bytesSkipped).isZero();
      assertThat(counters.bytesOverhang).isZero();
    }
  }

  @Test
  void concatenatedMembersZeroPaddingAndHeaderFields() throws IOException {
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(304).records(90).generate();
    byte[] data = g.bytes();
    // Three members, cut inside records, the second with FNAME, FCOMMENT and FHCRC fields.
    byte[] a = gzip(Arrays.copyOfRange(data, 0, 1000));
    byte[] b = withNameCommentAndHeaderCrc(gzip(Arrays.copyOfRange(data, 1000, 2500)));
    byte[] c = gzip(Arrays.copyOfRange(data, 2500, data.length));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(a);
    all.write(b);
    all.write(c);
    all.write(new byte[1000]); // zero padding after the last member, as tar leaves it
    assertThat(readGzip(all.toByteArray(), STRICT, new ParseCounters()))
        .isEqualTo(new ArrayList<Item>(g.reads()));
    // A BGZF file read as plain gzip is a series of members too.
    assertThat(readGzip(BgzfTestFiles.randomBlocks(data, 100, 0.2, 1), STRICT, new ParseCounters()))
        .isEqualTo(new ArrayList<Item>(g.reads()));
  }

  private static byte[] withNameCommentAndHeaderCrc(byte[] gz) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gz, 0, 3);
    out.write(gz[3] | 8 | 16 | 2);
    out.write(gz, 4, 6);
    out.writeBytes("reads.fastq\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    out.write(0); // header CRC16, not checked
    out.write(0);
    out.write(gz, 10, gz.length - 10);
    return out.toByteArray();
  }

  @Test
  void truncatedGzipSaysWhereItEndsAndNeverHangs() throws IOException {
    byte[] data = FastqFileGenerator.builder(305).records(400).generate().bytes();
    byte[] gz = gzip(data);
    for (int cut : new int[] {5, 12, gz.length / 2, gz.length - 4}) {
      byte[] truncated = Arrays.copyOf(gz, cut);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> readGzip(truncated, STRICT, new ParseCounters()))
                  .isInstanceOf(FastqParseException.class)
                  .hasMessageContaining(
                      "Truncated gzip file mem.gz: it ends at compressed byte offset " + cut)
                  .hasMessageContaining("set ignoreCorruptFiles=true"));
    }
  }

  @Test
  void damagedGzipNamesTheOffset() throws IOException {
    byte[] data = FastqFileGenerator.builder(306).records(400).generate().bytes();
    byte[] gz = gzip(data);
    byte[] damaged = gz.clone();
    damaged[gz.length / 2] ^= 0x55;
    // The damaged stream may yield garbage that the parser rejects before the member's CRC is
    // checked; damage() then decodes on and names the real problem.
    StreamSources.Opened opened =
        StreamSources.open(
            new BytesInput(damaged), "mem.gz", Compression.GZIP, 0, gz.length, null, SMALL);
    StreamByteSource source = (StreamByteSource) opened.source();
    try (RecordReader reader =
        new RecordReader(source, 0, opened.end(), STRICT, new ParseCounters())) {
      Throwable error =
          org.assertj.core.api.Assertions.catchThrowable(() -> RecordReaderOutput.drain(reader));
      assertThat(error).isInstanceOf(FastqParseException.class);
      Throwable diagnosis =
          error.getMessage().startsWith("Corrupt gzip") ? error : source.damage(1L << 30);
      assertThat(diagnosis)
          .isNotNull()
          .hasMessageContaining("Corrupt gzip file mem.gz at compressed byte offset ")
          .hasMessageMatching("(?s).*(damaged|CRC-32 mismatch).*");
    }
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 8] ^= 1;
    assertThatThrownBy(() -> readGzip(badCrc, STRICT, new ParseCounters()))
        .hasMessageContaining(
            "Corrupt gzip file mem.gz at compressed byte offset " + (gz.length - 8))
        .hasMessageContaining("CRC-32 mismatch in the gzip member that starts at");
    ByteArrayOutputStream trailing = new ByteArrayOutputStream();
    trailing.write(gz);
    trailing.writeBytes("garbage".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> readGzip(trailing.toByteArray(), STRICT, new ParseCounters()))
        .hasMessageContaining("at compressed byte offset " + gz.length)
        .hasMessageContaining("goes on with data that is not gzip");
  }

  @Test
  void gzipRangesAfterTheFirstOwnNothing() throws IOException {
    byte[] gz = gzip(FastqFileGenerator.builder(307).records(10).bytes());
    StreamSources.Opened opened =
        StreamSources.open(new BytesInput(gz), "mem.gz", Compression.GZIP, 4096, 8192, null, SMALL);
    assertThat(opened.start()).isEqualTo(opened.end());
    try (RecordReader reader =
        new RecordReader(
            opened.source(), opened.start(), opened.end(), STRICT, new ParseCounters())) {
      assertThat(reader.next()).isFalse();
    }
  }

  @Test
  void malformedRecordsInGzipInEveryMode() throws IOException {
    String text = "@a\nACGT\n+\nIIII\n@b\nACGT\n+\nIII\n@c\nGG\n+\nII\n";
    byte[] gz = gzip(text.getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> readGzip(gz, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Malformed FASTQ record in mem.gz at uncompressed byte offset 15:");
    ParseOptions drop = ParseOptions.builder().mode(ParseMode.DROPMALFORMED).build();
    ParseCounters counters = new ParseCounters();
    assertThat(readGzip(gz, drop, counters)).hasSize(2);
    assertThat(counters.droppedRecords).isEqualTo(1);
    ParseOptions permissive = ParseOptions.builder().mode(ParseMode.PERMISSIVE).build();
    assertThat(readGzip(gz, permissive, new ParseCounters()))
        .isEqualTo(
            ReferenceFastqParser.of(permissive)
                .parse(text.getBytes(StandardCharsets.US_ASCII))
                .items());
  }

  /**
   * A look-back further than the stream keeps fails with a message, and memory stays bounded: a
   * PERMISSIVE read of a malformed stretch far longer than the retain limit cannot show its text.
   */
  @Test
  void lookBackBeyondTheRetainLimitFailsClearly() throws IOException {
    StringBuilder s = new StringBuilder("@a\nACGT\n+\nIIII\n");
    String junk = "x".repeat(99) + "\n";
    s.append(junk.repeat(3000)); // 300 kB without a record start
    s.append("@b\nAC\n+\nII\n");
    byte[] gz = gzip(s.toString().getBytes(StandardCharsets.US_ASCII));
    StreamSources.Settings tight = new StreamSources.Settings(Decoder.STEP_BYTES, 100_000);
    ParseOptions permissive = ParseOptions.builder().mode(ParseMode.PERMISSIVE).build();
    StreamSources.Opened opened =
        StreamSources.open(
            new BytesInput(gz), "mem.gz", Compression.GZIP, 0, gz.length, null, tight);
    try (RecordReader reader =
        new RecordReader(opened.source(), 0, opened.end(), permissive, new ParseCounters())) {
      assertThat(reader.next()).isTrue();
      assertThat(reader.next()).isTrue();
      assertThat(reader.isMalformed()).isTrue();
      assertThatThrownBy(() -> reader.malformedBytes(1 << 20))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot look back to uncompressed byte offset 15 in mem.gz")
          .hasMessageContaining("keeps only 100000 bytes behind the reader");
    }
    ParseOptions drop = ParseOptions.builder().mode(ParseMode.DROPMALFORMED).build();
    StreamSources.Opened again =
        StreamSources.open(
            new BytesInput(gz), "mem.gz", Compression.GZIP, 0, gz.length, null, tight);
    try (RecordReader reader =
        new RecordReader(again.source(), 0, again.end(), drop, new ParseCounters())) {
      assertThat(RecordReaderOutput.drain(reader)).hasSize(2);
    }
  }

  /** Positional reads (the path for HDFS and object stores) at every split and read size. */
  @Test
  void positionalReadsGiveTheSequentialParseAtEverySplit() throws IOException {
    byte[] data = FastqFileGenerator.builder(308).records(60).allTricky().crlf(true).bytes();
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(STRICT).parse(data);
    for (int readBytes : new int[] {1, 9, 100, 1 << 20}) {
      for (long size = 1; size <= 40; size += 3) {
        List<Item> all = new ArrayList<>();
        long bytesParsed = 0;
        for (long s = 0; s < data.length; s += size) {
          long e = Math.min(data.length, s + size);
          ParseCounters counters = new ParseCounters();
          try (RecordReader reader =
              new RecordReader(
                  new PositionalByteSource(new BytesInput(data, 7), "mem.fastq", readBytes),
                  s,
                  e,
                  STRICT,
                  counters)) {
            List<Item> items = RecordReaderOutput.drain(reader);
            assertThat(items)
                .as("read size %d, range [%d, %d)", readBytes, s, e)
                .isEqualTo(ref.itemsOfRange(s, e));
            all.addAll(items);
          }
          bytesParsed += counters.bytesParsed;
        }
        assertThat(all).isEqualTo(ref.items());
        assertThat(bytesParsed).isEqualTo(data.length);
      }
    }
  }

  /**
   * Past its range's overhang a reader still scans on for the next record start; every positional
   * read there fetches at least 64 KiB, so megabytes cost a few dozen reads, not one per byte (on
   * HDFS each read opens a block reader).
   */
  @Test
  void positionalReadsPastTheRangeStayLarge() throws IOException {
    String longRead = "A".repeat(2_000_000);
    String text = "@a\nAC\n+\nII\n@b\n" + longRead + "\n+\n" + "I".repeat(longRead.length()) + "\n";
    byte[] data = text.getBytes(StandardCharsets.US_ASCII);
    BytesInput input = new BytesInput(data);
    // The range [100, 200) starts inside record b: its reader scans b's 2 MB lines for the next
    // record start, far past the range's 64 KiB overhang, and owns nothing.
    try (RecordReader reader =
        new RecordReader(
            new PositionalByteSource(input, "mem.fastq", 1 << 20),
            100,
            200,
            STRICT,
            new ParseCounters())) {
      assertThat(RecordReaderOutput.drain(reader)).isEmpty();
    }
    assertThat(input.reads()).isBetween(2L, 150L);
  }

  @Test
  void formatsAreToldByMagicNotName() throws IOException {
    byte[] data = FastqFileGenerator.builder(309).records(50).bytes();
    Path misnamed = Files.write(dir.resolve("reads.fastq"), gzip(data));
    Path bgzfGz = Files.write(dir.resolve("reads.fq.gz"), BgzfTestFiles.bgzip(data));
    Path plainGz = Files.write(dir.resolve("plain.gz"), data);
    for (Path p : List.of(misnamed, bgzfGz, plainGz)) {
      try (RecordReader reader = FastqFiles.open(p)) {
        assertThat(RecordReaderOutput.drain(reader)).hasSize(50);
      }
    }
    assertThat(Compression.detect(gzip(data), 20)).isEqualTo(Compression.GZIP);
    assertThat(Compression.detect(BgzfTestFiles.bgzip(data), 20)).isEqualTo(Compression.BGZF);
    assertThat(Compression.detect("BZh91AY".getBytes(StandardCharsets.US_ASCII), 7))
        .isEqualTo(Compression.BZIP2);
    assertThat(Compression.detect(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, 4))
        .isEqualTo(Compression.ZSTD);
    assertThat(Compression.detect(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}, 6))
        .isEqualTo(Compression.XZ);
    assertThat(Compression.detect(data, data.length)).isEqualTo(Compression.NONE);
    Path zstd =
        Files.write(
            dir.resolve("reads.fastq.zst"),
            new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0, 0});
    assertThatThrownBy(() -> RecordReaderOutput.drain(FastqFiles.open(zstd)))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Corrupt zstd file " + zstd + " (damaged or truncated)")
        .hasMessageContaining("Check it with zstd -t.");
    Path xz =
        Files.write(dir.resolve("reads.fastq.xz"), new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0});
    assertThatThrownBy(() -> FastqFiles.open(xz))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Cannot read " + xz + ": it is xz-compressed")
        .hasMessageContaining("recompress it with gzip or bgzip");
    Path bz2 =
        Files.write(
            dir.resolve("reads.fastq.bz2"), "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> FastqFiles.open(bz2))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("it is bzip2-compressed, which the Spark data source reads");
    try (RecordReader reader =
        FastqFiles.open(new ByteArrayInputStream(data), "stream", STRICT, new ParseCounters())) {
      assertThat(RecordReaderOutput.drain(reader)).hasSize(50);
    }
  }

  /** A BGZF file is split by FastqFiles too, and a .gzi next to it is used. */
  @Test
  void fastqFilesSplitsBgzfWithAndWithoutIndex() throws IOException {
    byte[] data = FastqFileGenerator.builder(310).records(3000).allTricky().bytes();
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 5000, 0.05, 2);
    Path file = Files.write(dir.resolve("reads.fastq.bgz"), bgzf);
    List<Item> expected = new ArrayList<>(ReferenceFastqParser.of(STRICT).parse(data).reads());
    for (boolean indexed : new boolean[] {false, true}) {
      if (indexed) {
        Files.write(
            dir.resolve("reads.fastq.bgz.gzi"), BgzfTestFiles.gzi(BgzfTestFiles.layout(bgzf)));
      }
      List<String> names = new ArrayList<>();
      for (long s = 0; s < bgzf.length; s += 4096) {
        try (RecordReader reader =
            FastqFiles.open(
                file,
                s,
                Math.min(bgzf.length, s + 4096),
                STRICT,
                io.github.fastqmmap.mmap.MappingOptions.defaults(),
                new ParseCounters(),
                new io.github.fastqmmap.mmap.MappingCounters())) {
          while (reader.next()) {
            names.add(reader.record().name());
          }
        }
      }
      assertThat(names)
          .isEqualTo(expected.stream().map(i -> ((ReferenceFastqParser.Read) i).name()).toList());
    }
  }
}
