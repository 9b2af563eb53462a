/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.BgzfTestFiles.Block;
import io.github.fastqmmap.testing.BytesInput;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * BGZF split on block boundaries: for files whose blocks are cut at random places (records and line
 * ends straddle blocks, empty blocks sit between them as in concatenated files) and every range
 * size, the ranges together return exactly the sequential parse of the uncompressed bytes, each
 * record once, with its BGZF virtual offset; with a {@code .gzi} index and without.
 */
class BgzfRangesTest {
  private static final ParseOptions STRICT = ParseOptions.defaults();

  /** A tiny buffer: windows grow and move all the time. */
  private static final StreamSources.Settings SMALL =
      new StreamSources.Settings(Decoder.STEP_BYTES, StreamByteSource.retainLimitFor(1 << 20));

  private record Sample(String name, byte[] data, ParseOptions options) {}

  private static List<Sample> samples() {
    List<Sample> s = new ArrayList<>();
    s.add(
        new Sample(
            "tricky", FastqFileGenerator.builder(201).records(150).allTricky().bytes(), STRICT));
    s.add(
        new Sample(
            "tricky crlf, no final newline",
            FastqFileGenerator.builder(202)
                .records(150)
                .allTricky()
                .crlf(true)
                .finalNewline(false)
                .bytes(),
            STRICT));
    s.add(
        new Sample(
            "blank tail",
            FastqFileGenerator.builder(203).records(120).allTricky().blankTailLines(2).bytes(),
            STRICT));
    s.add(
        new Sample(
            "wrapped at 5",
            FastqFileGenerator.builder(204)
                .records(80)
                .readLengths(0, 30)
                .trickyHeaders(true)
                .wrapWidth(5)
                .bytes(),
            ParseOptions.builder().multiLine(true).build()));
    return s;
  }

  @Test
  void everyRangeSizeGivesTheSequentialParse() throws IOException {
    long[] sizes = {5, 64, 1000, Long.MAX_VALUE};
    long[] indexedSizes = {17, 4096};
    for (Sample sample : samples()) {
      ReferenceFastqParser.Result ref =
          ReferenceFastqParser.of(sample.options()).parse(sample.data());
      assertThat(ref.malformed()).isEmpty();
      assertThat(ref.isUnambiguous()).isTrue();
      for (int maxBlock : new int[] {40, 300}) {
        byte[] bgzf = BgzfTestFiles.randomBlocks(sample.data(), maxBlock, 0.15, maxBlock);
        List<Block> layout = BgzfTestFiles.layout(bgzf);
        assertThat(layout.size()).isGreaterThan(sample.data().length / maxBlock);
        byte[] gzi = BgzfTestFiles.gzi(layout);
        for (boolean indexed : new boolean[] {false, true}) {
          for (long size : indexed ? indexedSizes : sizes) {
            String what =
                sample.name()
                    + ", blocks up to "
                    + maxBlock
                    + (indexed ? ", .gzi" : "")
                    + ", ranges of "
                    + size;
            checkRanges(what, ref, bgzf, layout, indexed ? gzi : null, size, sample.options());
          }
        }
      }
    }
  }

  @Test
  void longRecordsAcrossManyBlocksAndRanges() throws IOException {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(210).records(40).allTricky().longReads(0.1, 150_000).generate();
    byte[] data = g.bytes();
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(STRICT).parse(data);
    assertThat(ref.reads()).isEqualTo(g.reads());
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 65280, 0.05, 7);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    for (long size : new long[] {4096, 65536, 100_000, Long.MAX_VALUE}) {
      checkRanges("long reads, ranges of " + size, ref, bgzf, layout, null, size, STRICT);
    }
  }

  @Test
  void malformedRecordsInEveryModeAcrossRanges() throws IOException {
    String good = "@r1\nACGT\n+\nIIII\n";
    String bad = "@bad\nACGT\n+\nIII\n";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      s.append(i % 7 == 3 ? bad : good.replace("r1", "r" + i));
    }
    byte[] data = s.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 50, 0.1, 3);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    for (ParseMode mode : new ParseMode[] {ParseMode.PERMISSIVE, ParseMode.DROPMALFORMED}) {
      ParseOptions options = ParseOptions.builder().mode(mode).build();
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
      assertThat(ref.malformed()).hasSize(9);
      for (long size : new long[] {5, 40, 333, Long.MAX_VALUE}) {
        checkRanges(mode + ", ranges of " + size, ref, bgzf, layout, null, size, options);
      }
    }
    // FAILFAST: the error names the file and the record's block and offset in it.
    long badAt = s.indexOf("@bad");
    long virtual = BgzfTestFiles.virtualOffset(layout, badAt);
    assertThatThrownBy(() -> readAll(bgzf, 0, bgzf.length, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Malformed FASTQ record in mem.bgz at uncompressed byte offset ")
        .hasMessageContaining(
            " of the BGZF block at compressed byte offset "
                + (virtual >>> 16)
                + " (virtual offset "
                + virtual
                + "): ")
        .satisfies(e -> assertThat(((FastqParseException) e).offset()).isEqualTo(virtual));
  }

  /**
   * A stored (uncompressed) block whose data holds two fake empty BGZF blocks in a comment: a
   * header scan from before them finds a "block" that is not one. Without an index both readers at
   * that cut fail loudly instead of losing or repeating records; with a {@code .gzi} index the
   * split is exact.
   */
  @Test
  void fakeBlockHeaderInsideDataFailsLoudlyWithoutIndex() throws IOException {
    String fake = new String(BgzfTestFiles.EOF_BLOCK, StandardCharsets.ISO_8859_1);
    String text = "@r1\nACGT\n+\nIIII\n@r2 x" + fake + fake + "y\nAC\n+\nII\n@r3\nGGGG\n+\nIIII\n";
    byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (BgzfOutputStream out = new BgzfOutputStream(sink, Deflater.NO_COMPRESSION, 65280)) {
      out.write(data, 0, 10);
      out.flush();
      out.write(data, 10, data.length - 10);
    }
    byte[] bgzf = sink.toByteArray();
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    int fakeAt = indexOf(bgzf, BgzfTestFiles.EOF_BLOCK, (int) layout.get(1).offset() + 18);
    assertThat(fakeAt).isLessThan((int) (layout.get(1).offset() + layout.get(1).size()));
    long cut = fakeAt - 2;
    assertThatThrownBy(() -> readAll(bgzf, 0, cut, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("BGZF block boundary mismatch in mem.bgz")
        .hasMessageContaining("a block was recognised at compressed byte offset " + fakeAt);
    assertThatThrownBy(() -> readAll(bgzf, cut, bgzf.length, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Corrupt BGZF block in mem.bgz at compressed byte offset ")
        .hasMessageContaining("it is not a BGZF block header");
    ReferenceFastqParser.Result ref =
        ReferenceFastqParser.of(
                ParseOptions.builder()
                    .validation(io.github.fastqmmap.parse.Validation.BASIC)
                    .build())
            .parse(data);
    assertThat(ref.reads()).hasSize(3);
    byte[] gzi = BgzfTestFiles.gzi(layout);
    List<String> all = new ArrayList<>();
    all.addAll(strings(readAll(bgzf, 0, cut, gzi, basic(), new ParseCounters())));
    all.addAll(strings(readAll(bgzf, cut, bgzf.length, gzi, basic(), new ParseCounters())));
    assertThat(all).isEqualTo(expected(ref.items(), layout));
  }

  private static ParseOptions basic() {
    return ParseOptions.builder().validation(io.github.fastqmmap.parse.Validation.BASIC).build();
  }

  @Test
  void rangesPastTheLastBlockOrInsideTheEofBlockOwnNothing() throws IOException {
    byte[] data = "@r1\nACGT\n+\nIIII\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bgzf = BgzfTestFiles.bgzip(data);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    assertThat(layout).hasSize(2); // data and end-of-file block
    long eof = layout.get(1).offset();
    assertThat(readAll(bgzf, 1, eof, null, STRICT, new ParseCounters())).isEmpty();
    assertThat(readAll(bgzf, eof, eof + 5, null, STRICT, new ParseCounters())).isEmpty();
    assertThat(readAll(bgzf, eof + 5, bgzf.length, null, STRICT, new ParseCounters())).isEmpty();
    assertThat(readAll(bgzf, 0, 1, null, STRICT, new ParseCounters())).hasSize(1);
  }

  @Test
  void writtenBlocksAreGzipMembersEndingWithTheEofBlock() throws IOException {
    byte[] data = FastqFileGenerator.builder(220).records(3000).readLengths(50, 150).bytes();
    byte[] bgzf = BgzfTestFiles.bgzip(data);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    assertThat(layout.size()).isGreaterThan(3);
    for (Block b : layout.subList(0, layout.size() - 1)) {
      assertThat(b.size()).isLessThanOrEqualTo(Bgzf.MAX_BLOCK_SIZE);
      assertThat(b.dataSize()).isBetween(1, Bgzf.DEFAULT_DATA_SIZE);
    }
    Block last = layout.get(layout.size() - 1);
    assertThat(last.dataSize()).isZero();
    assertThat(java.util.Arrays.copyOfRange(bgzf, (int) last.offset(), bgzf.length))
        .isEqualTo(BgzfTestFiles.EOF_BLOCK);
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bgzf))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(Compression.detect(bgzf, 18)).isEqualTo(Compression.BGZF);
  }

  /**
   * The range end is reported in the same step that produces the last byte before it, even when
   * empty blocks lie between that byte and the block where the range ends: a reader that stands at
   * the end must know it is there before it asks for more.
   */
  @Test
  void rangeEndAfterEmptyBlocksIsKnownWithTheBytesBeforeIt() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (BgzfOutputStream out = new BgzfOutputStream(sink)) {
      out.write("@a\nAC\n+\nII\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      sink.write(BgzfTestFiles.EOF_BLOCK);
      sink.write(BgzfTestFiles.EOF_BLOCK);
      out.write("@b\nGG\n+\nII\n".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] bgzf = sink.toByteArray();
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    assertThat(layout).extracting(Block::dataSize).containsExactly(11, 0, 0, 11, 0);
    long endBlock = layout.get(3).offset();
    List<Long> ends = new ArrayList<>();
    try (BgzfDecoder decoder = new BgzfDecoder(new BytesInput(bgzf), "mem.bgz", 0, endBlock, -1)) {
      decoder.onRangeEnd(ends::add);
      java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(Decoder.STEP_BYTES);
      assertThat(decoder.decode(dst)).isEqualTo(11);
      assertThat(ends).containsExactly(11L);
      assertThat(decoder.decode(dst)).isEqualTo(11);
      assertThat(decoder.decode(dst)).isEqualTo(-1);
      assertThat(decoder.reportedOffset(11)).isEqualTo(endBlock << 16);
    }
  }

  @Test
  void truncatedAndDamagedBgzfNameTheBlock() throws IOException {
    byte[] data = FastqFileGenerator.builder(230).records(400).bytes();
    byte[] bgzf = BgzfTestFiles.randomBlocks(data, 3000, 0, 4);
    List<Block> layout = BgzfTestFiles.layout(bgzf);
    Block third = layout.get(2);
    byte[] cut = java.util.Arrays.copyOf(bgzf, (int) third.offset() + third.size() / 2);
    assertThatThrownBy(() -> readAll(cut, 0, cut.length, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining(
            "Truncated BGZF file mem.bgz: the block at compressed byte offset " + third.offset())
        .hasMessageContaining("but the file ends after " + (third.size() / 2));
    byte[] damaged = bgzf.clone();
    damaged[(int) third.offset() + 30] ^= 0x20;
    assertThatThrownBy(() -> readAll(damaged, 0, damaged.length, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining(
            "Corrupt BGZF block in mem.bgz at compressed byte offset " + third.offset())
        .satisfies(e -> assertThat(((FastqParseException) e).offset()).isEqualTo(third.offset()));
    // A gzip file that is not BGZF, opened as BGZF: named, not misread.
    byte[] gz = StreamInputsTest.gzip(data);
    assertThatThrownBy(() -> readAll(gz, 0, gz.length, null, STRICT, new ParseCounters()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining(
            "Corrupt BGZF block in mem.bgz at compressed byte offset 0: the file does not start"
                + " with a BGZF block");
  }

  // --- harness ---

  private static List<Item> readAll(
      byte[] bgzf, long start, long end, byte[] gzi, ParseOptions options, ParseCounters counters)
      throws IOException {
    BgzfIndex index = gzi == null ? null : new BgzfIndex(new BytesInput(gzi), "mem.bgz.gzi");
    StreamSources.Opened opened =
        StreamSources.open(
            new BytesInput(bgzf, 5000), "mem.bgz", Compression.BGZF, start, end, index, SMALL);
    List<Item> items = new ArrayList<>();
    try (RecordReader reader =
        new RecordReader(opened.source(), opened.start(), opened.end(), options, counters)) {
      while (reader.next()) {
        if (reader.isMalformed()) {
          long offset = opened.source().reportedOffset(reader.malformedOffset());
          items.add(new ReferenceFastqParser.Malformed(offset, reader.malformedLength()));
        } else {
          var r = reader.record();
          items.add(
              new Read(
                  opened.source().reportedOffset(r.offset()),
                  r.name(),
                  r.comment(),
                  r.sequence(),
                  r.quality()));
        }
      }
    }
    return items;
  }

  /** Items as comparable text: virtual offsets, and a malformed stretch's length. */
  private static List<String> strings(List<Item> items) {
    List<String> out = new ArrayList<>();
    for (Item i : items) {
      out.add(i.toString());
    }
    return out;
  }

  /** The reference's items with virtual offsets (a malformed stretch's end as its length). */
  private static List<String> expected(List<Item> items, List<Block> layout) {
    List<String> out = new ArrayList<>();
    for (Item i : items) {
      long v = BgzfTestFiles.virtualOffset(layout, i.offset());
      if (i instanceof Read r) {
        out.add(new Read(v, r.name(), r.comment(), r.sequence(), r.quality()).toString());
      } else {
        ReferenceFastqParser.Malformed m = (ReferenceFastqParser.Malformed) i;
        out.add(new ReferenceFastqParser.Malformed(v, m.end() - m.offset()).toString());
      }
    }
    return out;
  }

  /** Uncompressed offset where the first block at or after compressed offset {@code c} starts. */
  private static long dataStartOfBlockAtOrAfter(List<Block> layout, long c, long total) {
    for (Block b : layout) {
      if (b.offset() >= c) {
        return b.dataStart();
      }
    }
    return total;
  }

  private static void checkRanges(
      String what,
      ReferenceFastqParser.Result ref,
      byte[] bgzf,
      List<Block> layout,
      byte[] gzi,
      long size,
      ParseOptions options)
      throws IOException {
    long total = ref.bytes().length;
    List<String> all = new ArrayList<>();
    long records = 0;
    long bytesParsed = 0;
    for (long cs = 0; cs < bgzf.length; cs += Math.min(size, bgzf.length)) {
      long ce = Math.min(bgzf.length, cs + Math.min(size, bgzf.length));
      ParseCounters counters = new ParseCounters();
      List<Item> items;
      try {
        items = readAll(bgzf, cs, ce, gzi, options, counters);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError(what + ": range [" + cs + ", " + ce + ") failed: " + e, e);
      }
      long us = dataStartOfBlockAtOrAfter(layout, cs, total);
      long ue = dataStartOfBlockAtOrAfter(layout, ce, total);
      List<Item> owned = ref.itemsOfRange(us, ue);
      if (options.mode() == ParseMode.DROPMALFORMED) {
        owned = owned.stream().filter(i -> i instanceof Read).toList();
      }
      assertThat(strings(items))
          .as("%s: range [%d, %d), uncompressed [%d, %d)", what, cs, ce, us, ue)
          .isEqualTo(expected(owned, layout));
      assertThat(counters.records).isEqualTo(items.stream().filter(i -> i instanceof Read).count());
      all.addAll(strings(items));
      records += counters.records;
      bytesParsed += counters.bytesParsed;
    }
    List<Item> expectedAll = ref.items();
    if (options.mode() == ParseMode.DROPMALFORMED) {
      expectedAll = expectedAll.stream().filter(i -> i instanceof Read).toList();
    }
    assertThat(all).as(what + ": all ranges").isEqualTo(expected(expectedAll, layout));
    assertThat(records).as(what + ": records").isEqualTo(ref.reads().size());
    assertThat(bytesParsed).as(what + ": bytesParsed (uncompressed)").isEqualTo(total);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
