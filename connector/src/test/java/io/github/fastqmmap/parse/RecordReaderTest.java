/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.MemoryByteSource;
import io.github.fastqmmap.testing.RangeCuts;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading files as byte ranges under the ownership rule: for every way of cutting a file, the
 * ranges together return exactly the reference parser's sequential result, with consistent
 * counters; and malformed input is reported, kept or dropped as each mode says.
 */
class RecordReaderTest {
  private static final ParseOptions STRICT = ParseOptions.defaults();
  private static final ParseOptions WRAPPED = ParseOptions.builder().multiLine(true).build();

  @TempDir Path dir;

  /** Opens a byte source for one range's reader; every reader gets its own, as in Spark. */
  @FunctionalInterface
  interface Opener {
    RecordReader open(long start, long end, ParseOptions options, ParseCounters counters)
        throws IOException;
  }

  /** A source over memory with the given window size. */
  private static Opener memory(String name, byte[] data, int window) {
    // Tiny windows also get isolated copies, so a reader that used a replaced window would see
    // poison instead of the file's bytes.
    boolean isolated = window < 64;
    return (s, e, o, c) ->
        new RecordReader(new MemoryByteSource(name, data, window, isolated), s, e, o, c);
  }

  /** A real file, mapped through FastqFiles. */
  private static Opener mapped(Path file, MappingOptions mapping, MappingCounters mappingCounters) {
    return (s, e, o, c) -> FastqFiles.open(file, s, e, o, mapping, c, mappingCounters);
  }

  /** What the reader of one range did. */
  private record RangeRun(
      long start, long end, List<Item> items, ParseCounters counters, FastqParseException error) {}

  private static RangeRun readRange(Opener opener, long start, long end, ParseOptions options)
      throws IOException {
    ParseCounters counters = new ParseCounters();
    List<Item> items = new ArrayList<>();
    FastqParseException error = null;
    try (RecordReader reader = opener.open(start, end, options, counters)) {
      while (reader.next()) {
        if (reader.isMalformed()) {
          items.add(
              new Malformed(
                  reader.malformedOffset(), reader.malformedOffset() + reader.malformedLength()));
        } else {
          items.add(RecordReaderOutput.toRead(reader.record()));
        }
      }
      assertThat(reader.next()).isFalse(); // stays finished
    } catch (FastqParseException e) {
      error = e;
    }
    return new RangeRun(start, end, items, counters, error);
  }

  /**
   * Reads every range and checks items, counters and the sum of bytes against the reference, for an
   * unambiguous file read in PERMISSIVE or DROPMALFORMED mode or a valid file in any mode.
   */
  private static void checkRanges(
      String what,
      ReferenceFastqParser.Result ref,
      Opener opener,
      long[] cuts,
      ParseOptions options)
      throws IOException {
    List<Item> all = new ArrayList<>();
    long bytesParsed = 0;
    long length = ref.bytes().length;
    for (int k = 0; k + 1 < cuts.length; k++) {
      long s = cuts[k];
      long e = cuts[k + 1];
      RangeRun run = readRange(opener, s, e, options);
      String range = what + " range [" + s + ", " + e + ")";
      List<Item> expected = ref.itemsOfRange(s, e);
      if (options.mode() == ParseMode.DROPMALFORMED) {
        expected = expected.stream().filter(i -> i instanceof Read).toList();
      }
      if (run.error() != null) {
        throw new AssertionError(range + " failed: " + run.error().getMessage(), run.error());
      }
      assertThat(run.items()).as(range).isEqualTo(expected);
      all.addAll(run.items());

      ParseCounters c = run.counters();
      long chainStart = ref.chainStart(s);
      long chainEnd = ref.chainStart(e);
      List<Item> owned = ref.itemsOfRange(s, e);
      long records = owned.stream().filter(i -> i instanceof Read).count();
      long bad = owned.size() - records;
      long bases =
          owned.stream()
              .filter(i -> i instanceof Read)
              .mapToLong(i -> ((Read) i).sequence().length())
              .sum();
      assertThat(c.records).as(range + " records").isEqualTo(records);
      assertThat(c.bases).as(range + " bases").isEqualTo(bases);
      assertThat(c.bytesParsed).as(range + " bytesParsed").isEqualTo(chainEnd - chainStart);
      assertThat(c.bytesSkipped).as(range + " bytesSkipped").isEqualTo(Math.min(chainStart, e) - s);
      assertThat(c.bytesOverhang)
          .as(range + " bytesOverhang")
          .isEqualTo(Math.max(0, Math.min(chainEnd, length) - e));
      assertThat(c.malformedRecords).as(range + " malformedRecords").isEqualTo(bad);
      assertThat(c.droppedRecords)
          .as(range + " droppedRecords")
          .isEqualTo(options.mode() == ParseMode.DROPMALFORMED ? bad : 0);
      assertThat(c.maxRecordBytes).as(range + " maxRecordBytes").isEqualTo(longestRead(ref, s, e));
      bytesParsed += c.bytesParsed;
    }
    List<Item> expectedAll = ref.items();
    if (options.mode() == ParseMode.DROPMALFORMED) {
      expectedAll = expectedAll.stream().filter(i -> i instanceof Read).toList();
    }
    assertThat(all).as(what + " all ranges").isEqualTo(expectedAll);
    assertThat(bytesParsed).as(what + " bytesParsed over all ranges").isEqualTo(length);
  }

  private static long longestRead(ReferenceFastqParser.Result ref, long s, long e) {
    long from = ref.chainStart(s);
    long to = ref.chainStart(e);
    long longest = 0;
    List<Item> items = ref.items();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item instanceof Read && item.offset() >= from && item.offset() < to) {
        longest = Math.max(longest, ref.itemEnd(i) - item.offset());
      }
    }
    return longest;
  }

  /** Generated files with every tricky feature, each with the options to read it. */
  private record Sample(String name, FastqFileGenerator.Generated file, ParseOptions options) {}

  private static List<Sample> samples() {
    List<Sample> s = new ArrayList<>();
    s.add(
        new Sample(
            "four-line tricky",
            FastqFileGenerator.builder(101).records(40).allTricky().generate(),
            STRICT));
    s.add(
        new Sample(
            "four-line crlf, no final newline",
            FastqFileGenerator.builder(102)
                .records(40)
                .allTricky()
                .crlf(true)
                .finalNewline(false)
                .generate(),
            STRICT));
    s.add(
        new Sample(
            "four-line blank tail, phred64",
            FastqFileGenerator.builder(103)
                .records(40)
                .allTricky()
                .blankTailLines(3)
                .encoding(QualityEncoding.PHRED64)
                .generate(),
            ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build()));
    s.add(
        new Sample(
            "wrapped at 7",
            FastqFileGenerator.builder(104).records(30).allTricky().wrapWidth(7).generate(),
            WRAPPED));
    s.add(
        new Sample(
            "wrapped at 2, crlf, solexa, no final newline",
            FastqFileGenerator.builder(105)
                .records(25)
                .allTricky()
                .wrapWidth(2)
                .crlf(true)
                .finalNewline(false)
                .encoding(QualityEncoding.SOLEXA)
                .generate(),
            ParseOptions.builder()
                .multiLine(true)
                .qualityEncoding(QualityEncoding.SOLEXA)
                .build()));
    s.add(
        new Sample(
            "basic validation",
            FastqFileGenerator.builder(106).records(40).allTricky().generate(),
            ParseOptions.builder().validation(Validation.BASIC).build()));
    return s;
  }

  @Test
  void everySplitSizeReturnsTheSequentialParse() throws IOException {
    for (Sample sample : samples()) {
      byte[] data = sample.file().bytes();
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(sample.options()).parse(data);
      assertThat(ref.reads()).as(sample.name()).isEqualTo(sample.file().reads());
      assertThat(ref.isUnambiguous()).as(sample.name()).isTrue();
      for (int window : new int[] {7, 64, 4096}) {
        Opener opener = memory(sample.name(), data, window);
        for (long size = 1; size <= 48; size++) {
          checkRanges(
              sample.name() + ", window " + window + ", split " + size,
              ref,
              opener,
              RangeCuts.ofSize(data.length, size),
              sample.options());
        }
        for (long size : new long[] {61, 97, 256, 1000, 4096, data.length}) {
          checkRanges(
              sample.name() + ", window " + window + ", split " + size,
              ref,
              opener,
              RangeCuts.ofSize(data.length, size),
              sample.options());
        }
        // The last range may also be open-ended, as FastqFiles.open(path) reads a whole file.
        for (long size : new long[] {5, 33}) {
          long[] cuts = RangeCuts.ofSize(data.length, size);
          cuts[cuts.length - 1] = Long.MAX_VALUE;
          checkRanges(
              sample.name() + ", window " + window + ", open-ended split " + size,
              ref,
              opener,
              cuts,
              sample.options());
        }
      }
    }
  }

  @Test
  void randomCutsOfFilesWithLongReads() throws IOException {
    Random random = new Random(5);
    for (int wrap : new int[] {0, 60}) {
      FastqFileGenerator.Generated file =
          FastqFileGenerator.builder(200 + wrap)
              .records(60)
              .allTricky()
              .readLengths(0, 400)
              .longReads(0.08, 9000) // several pages each
              .wrapWidth(wrap)
              .crlf(wrap > 0)
              .generate();
      ParseOptions options = wrap > 0 ? WRAPPED : STRICT;
      byte[] data = file.bytes();
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
      assertThat(ref.reads()).isEqualTo(file.reads());
      for (int window : new int[] {64, 4096}) {
        for (int round = 0; round < 12; round++) {
          long[] cuts = RangeCuts.random(data.length, 1 + random.nextInt(60), random);
          checkRanges(
              "wrap " + wrap + ", window " + window + ", round " + round,
              ref,
              memory("long", data, window),
              cuts,
              options);
        }
        for (long size : new long[] {4093, 4096, 8192, 10007}) {
          checkRanges(
              "wrap " + wrap + ", window " + window + ", split " + size,
              ref,
              memory("long", data, window),
              RangeCuts.ofSize(data.length, size),
              options);
        }
      }
    }
  }

  @Test
  void mappedFilesAtEverySplitSize() throws IOException {
    for (Sample sample : samples().subList(0, 5)) {
      Path file = sample.file().writeTo(dir.resolve("s" + sample.name().hashCode() + ".fastq"));
      byte[] data = Files.readAllBytes(file);
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(sample.options()).parse(data);
      MappingOptions small = MappingOptions.builder().windowBytes(4096).prefetchBytes(0).build();
      MappingCounters mc = new MappingCounters();
      Opener opener = mapped(file, small, mc);
      for (long size = 1; size <= 40; size++) {
        checkRanges(
            sample.name() + ", mapped, split " + size,
            ref,
            opener,
            RangeCuts.ofSize(data.length, size),
            sample.options());
      }
      assertThat(mc.windowsMapped).isPositive();
    }
  }

  @Test
  void mappedLongReadsAcrossPagesAndWindows() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(300)
            .records(80)
            .allTricky()
            .readLengths(0, 300)
            .longReads(0.1, 20_000)
            .generate();
    Path file = gen.writeTo(dir.resolve("long.fastq"));
    byte[] data = gen.bytes();
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(STRICT).parse(data);
    int page = MappedFile.pageSize();
    Random random = new Random(11);
    for (MappingOptions mapping :
        new MappingOptions[] {
          MappingOptions.builder().windowBytes(page).prefetchBytes(0).build(),
          MappingOptions.builder().windowBytes(3 * page).prefetchBytes(page).build(),
          MappingOptions.builder()
              .windowBytes(8 * page)
              .prefetchBytes(16 * page)
              .dropBehind(true)
              .build(),
          MappingOptions.defaults()
        }) {
      MappingCounters mc = new MappingCounters();
      Opener opener = mapped(file, mapping, mc);
      for (long size : new long[] {page, 2L * page, 5L * page + 3, data.length}) {
        checkRanges(
            "mapped " + mapping + ", split " + size,
            ref,
            opener,
            RangeCuts.ofSize(data.length, size),
            STRICT);
      }
      checkRanges(
          "mapped " + mapping + ", random",
          ref,
          opener,
          RangeCuts.random(data.length, 30, random),
          STRICT);
      assertThat(mc.windowsMapped).isPositive();
      assertThat(mc.bytesMapped).isGreaterThanOrEqualTo(data.length);
    }
  }

  /** Generated files with random damage: malformed stretches in every mode. */
  private static List<byte[]> damagedFiles(boolean wrapped) {
    List<byte[]> out = new ArrayList<>();
    Random random = new Random(wrapped ? 77 : 76);
    for (int k = 0; k < 6; k++) {
      byte[] data =
          FastqFileGenerator.builder(400 + k)
              .records(30)
              .allTricky()
              .wrapWidth(wrapped ? 5 : 0)
              .generate()
              .bytes();
      for (int d = 0; d <= k; d++) {
        data[random.nextInt(data.length)] = (byte) "@+\nA!\r x".charAt(random.nextInt(8));
      }
      out.add(data);
    }
    return out;
  }

  @Test
  void permissiveAndDropMalformedMatchTheReferenceAtEverySplitSize() throws IOException {
    int stretches = 0;
    for (boolean wrapped : new boolean[] {false, true}) {
      for (byte[] data : damagedFiles(wrapped)) {
        for (ParseMode mode : new ParseMode[] {ParseMode.PERMISSIVE, ParseMode.DROPMALFORMED}) {
          ParseOptions options = ParseOptions.builder().multiLine(wrapped).mode(mode).build();
          ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
          if (!ref.isUnambiguous()) {
            continue; // damage can make a file ambiguous; covered by the ambiguity tests
          }
          stretches += ref.malformed().size();
          for (int window : new int[] {7, 4096}) {
            Opener opener = memory("damaged", data, window);
            for (long size = 1; size <= 40; size++) {
              checkRanges(
                  mode + " wrapped=" + wrapped + " window " + window + " split " + size,
                  ref,
                  opener,
                  RangeCuts.ofSize(data.length, size),
                  options);
            }
            checkRanges("whole", ref, opener, new long[] {0, Long.MAX_VALUE}, options);
          }
        }
      }
    }
    assertThat(stretches).isGreaterThan(10);
  }

  @Test
  void failFastStopsAtTheFirstMalformedStretchOfEachRange() throws IOException {
    for (boolean wrapped : new boolean[] {false, true}) {
      for (byte[] data : damagedFiles(wrapped)) {
        ParseOptions options = ParseOptions.builder().multiLine(wrapped).build();
        ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
        if (!ref.isUnambiguous()) {
          continue;
        }
        Opener opener = memory("damaged.fastq", data, 64);
        for (long size : new long[] {1, 3, 17, 100, data.length}) {
          long[] cuts = RangeCuts.ofSize(data.length, size);
          for (int k = 0; k + 1 < cuts.length; k++) {
            RangeRun run = readRange(opener, cuts[k], cuts[k + 1], options);
            List<Item> owned = ref.itemsOfRange(cuts[k], cuts[k + 1]);
            Malformed firstBad =
                (Malformed)
                    owned.stream().filter(i -> i instanceof Malformed).findFirst().orElse(null);
            if (firstBad == null) {
              assertThat(run.error()).isNull();
              assertThat(run.items()).isEqualTo(owned);
            } else {
              assertThat(run.error())
                  .as("range [%d, %d)", cuts[k], cuts[k + 1])
                  .isNotNull()
                  .hasMessageContaining("Malformed FASTQ record in damaged.fastq")
                  .hasMessageContaining("at byte offset " + firstBad.offset() + ": ");
              assertThat(run.error().offset()).isEqualTo(firstBad.offset());
              assertThat(run.error().file()).isEqualTo("damaged.fastq");
              assertThat(run.items()).isEqualTo(owned.subList(0, owned.indexOf(firstBad)));
              assertThat(run.counters().malformedRecords).isEqualTo(1);
            }
          }
        }
      }
    }
  }

  private static RecordReader whole(String name, String text, ParseOptions options) {
    return new RecordReader(
        new MemoryByteSource(name, text.getBytes(ISO_8859_1), 16, true),
        0,
        Long.MAX_VALUE,
        options,
        new ParseCounters());
  }

  private static List<Item> drain(String text, ParseOptions options) throws IOException {
    try (RecordReader reader = whole("x.fastq", text, options)) {
      return RecordReaderOutput.drain(reader);
    }
  }

  @Test
  void failFastMessageNamesFileOffsetReasonAndRemedy() throws IOException {
    String good = "@a\nAC\n+\nII\n";
    String text = good + "@b\nACG\n+\nII\n" + good;
    try (RecordReader reader = whole("reads/x.fastq", text, STRICT)) {
      assertThat(reader.next()).isTrue();
      assertThat(reader.record().name()).isEqualTo("a");
      assertThatThrownBy(reader::next)
          .isInstanceOf(FastqParseException.class)
          .hasMessageContaining("Malformed FASTQ record in reads/x.fastq at byte offset 11: ")
          .hasMessageContaining("the quality has 2 characters but the sequence has 3")
          .hasMessageContaining("(at byte offset 20)")
          .hasMessageContaining("the line there reads \"II\"")
          .hasMessageContaining("set mode to DROPMALFORMED");
    }
    assertThatThrownBy(() -> drain(good + "@b\nAC\n", STRICT))
        .hasMessageContaining("at byte offset 11: the file ends inside the record's '+' line");
    assertThatThrownBy(() -> drain(good + "@b\nA\tC\n+\nIII\n", STRICT))
        .hasMessageContaining("at byte offset 11: sequence character 0x09 is not a letter")
        .hasMessageContaining("(at byte offset 15)")
        .hasMessageContaining("the line there reads \"A\\x09C\"");
    assertThatThrownBy(() -> drain(good + "@b\nACG\n+c\nIII\n", STRICT))
        .hasMessageContaining("at byte offset 11: the title on the '+' line differs");
    assertThatThrownBy(() -> drain(good + "junk\n" + good, STRICT))
        .hasMessageContaining("at byte offset 11: expected '@' at the start of a record")
        .hasMessageContaining("the line there reads \"junk\"");
  }

  @Test
  void maxRecordBytesThroughTheReader() throws IOException {
    String record = "@r1\nACGTACGT\n+\nIIIIIIII\n"; // 24 bytes
    String text = record + record;
    assertThat(drain(text, ParseOptions.builder().maxRecordBytes(24).build())).hasSize(2);
    assertThatThrownBy(() -> drain(text, ParseOptions.builder().maxRecordBytes(23).build()))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Malformed FASTQ record in x.fastq at byte offset 0: ")
        .hasMessageContaining("the record is longer than maxRecordBytes (23 bytes)")
        .hasMessageContaining("raise maxRecordBytes");
    // A record far longer than the windows is found by growing them.
    String longRecord =
        "@long\n" + "A".repeat(100_000) + "\n+\n" + "I".repeat(100_000) + "\n" + record;
    List<Item> items = drain(longRecord, STRICT);
    assertThat(items).hasSize(2);
    assertThat(((Read) items.get(0)).sequence()).hasSize(100_000);
  }

  @Test
  void wrappedRecordReadAsFourLineSaysSetMultiLine() throws IOException {
    String text = "@a\nACGT\n+\nIIII\n@b\nAC\nGT\n+\nII\nII\n";
    assertThatThrownBy(() -> drain(text, STRICT))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining("Malformed FASTQ record in x.fastq at byte offset 15")
        .hasMessageContaining("expected a '+' line after the sequence line")
        .hasMessageContaining("set multiLine=true");
    String wrappedQuality = "@a\nACGT\n+\nII\nII\n";
    assertThatThrownBy(() -> drain(wrappedQuality, STRICT))
        .hasMessageContaining("at byte offset 0")
        .hasMessageContaining("set multiLine=true");
    assertThat(drain(text, WRAPPED)).hasSize(2);
    // A plain length error says nothing about multiLine.
    assertThatThrownBy(() -> drain("@a\nACGT\n+\nIII\n", STRICT))
        .hasMessageNotContaining("multiLine");
  }

  @Test
  void compressedInputIsNamed() throws IOException {
    // FastqFiles tells gzip by its magic number and decompresses it; a reader handed compressed
    // bytes as if they were text (any byte source) says what they look like.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("@a\nAC\n+\nII\n".getBytes(ISO_8859_1));
    }
    Path gzFile = Files.write(dir.resolve("reads.fastq.gz"), gz.toByteArray());
    try (RecordReader reader = FastqFiles.open(gzFile)) {
      assertThat(RecordReaderOutput.drain(reader)).hasSize(1);
    }
    try (RecordReader reader =
        new RecordReader(
            new MemoryByteSource("f", gz.toByteArray(), 3),
            0,
            Long.MAX_VALUE,
            STRICT,
            new ParseCounters())) {
      assertThatThrownBy(() -> RecordReaderOutput.drain(reader))
          .isInstanceOf(FastqParseException.class)
          .hasMessageContaining("Malformed FASTQ record in f at byte offset 0")
          .hasMessageContaining("The file looks gzip-compressed")
          .hasMessageContaining("decompress it first");
    }
    byte[][] magics = {
      {'B', 'Z', 'h', '9', '1'},
      {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0},
      {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}
    };
    String[] names = {"bzip2", "zstd", "xz"};
    for (int i = 0; i < magics.length; i++) {
      String name = names[i];
      try (RecordReader reader =
          new RecordReader(
              new MemoryByteSource("f", magics[i], 3),
              0,
              Long.MAX_VALUE,
              STRICT,
              new ParseCounters())) {
        assertThatThrownBy(() -> RecordReaderOutput.drain(reader))
            .hasMessageContaining("The file looks " + name + "-compressed");
      }
    }
  }

  @Test
  void binaryGarbageFailsClearlyAndNeverHangs() throws IOException {
    Random random = new Random(3);
    byte[] garbage = new byte[64 * 1024];
    random.nextBytes(garbage);
    garbage[0] = 0x01;
    try (RecordReader reader =
        new RecordReader(
            new MemoryByteSource("bin", garbage, 4096),
            0,
            Long.MAX_VALUE,
            STRICT,
            new ParseCounters())) {
      assertThatThrownBy(() -> RecordReaderOutput.drain(reader))
          .isInstanceOf(FastqParseException.class)
          .hasMessageContaining("Malformed FASTQ record in bin at byte offset 0: expected '@'")
          .hasMessageContaining("\\x01");
    }
    for (ParseOptions options :
        new ParseOptions[] {
          STRICT.withMode(ParseMode.DROPMALFORMED),
          ParseOptions.builder()
              .multiLine(true)
              .validation(Validation.BASIC)
              .mode(ParseMode.PERMISSIVE)
              .build()
        }) {
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(garbage);
      assertThat(ref.isUnambiguous()).isTrue();
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              checkRanges(
                  "garbage " + options,
                  ref,
                  memory("bin", garbage, 4096),
                  RangeCuts.ofSize(garbage.length, 4096),
                  options));
    }
  }

  @Test
  void permissiveExposesTheMalformedText() throws IOException {
    String good = "@a\nAC\n+\nII\n";
    String text = good + "@b\nACG\n+\nII\r\n" + good + "junk";
    ParseOptions permissive = STRICT.withMode(ParseMode.PERMISSIVE);
    try (RecordReader reader = whole("x", text, permissive)) {
      assertThat(reader.next()).isTrue();
      assertThat(reader.isMalformed()).isFalse();
      assertThat(reader.next()).isTrue();
      assertThat(reader.isMalformed()).isTrue();
      assertThat(reader.malformedOffset()).isEqualTo(11);
      assertThat(reader.malformedLength()).isEqualTo(13);
      assertThat(new String(reader.malformedBytes(1000), ISO_8859_1)).isEqualTo("@b\nACG\n+\nII");
      assertThat(new String(reader.malformedBytes(5), ISO_8859_1)).isEqualTo("@b\nAC");
      assertThatThrownBy(reader::record)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("malformed");
      assertThat(reader.next()).isTrue();
      assertThat(reader.record().offset()).isEqualTo(24);
      assertThat(reader.next()).isTrue();
      assertThat(reader.isMalformed()).isTrue();
      assertThat(new String(reader.malformedBytes(100), ISO_8859_1)).isEqualTo("junk");
      assertThat(reader.next()).isFalse();
    }
  }

  @Test
  void blankLinesAreToleratedOnlyAtTheEnd() throws IOException {
    String good = "@a\nAC\n+\nII\n";
    assertThat(drain(good + "\n\r\n\n", STRICT)).hasSize(1);
    assertThat(drain(good + good + "\r\n", STRICT)).hasSize(2);
    assertThatThrownBy(() -> drain(good + "\n" + good, STRICT))
        .hasMessageContaining("at byte offset 11: expected '@'");
  }

  @Test
  void emptyRangesAndEmptyFilesReadNothing() throws IOException {
    byte[] data = "@a\nAC\n+\nII\n".getBytes(ISO_8859_1);
    for (long at : new long[] {0, 1, 5, data.length}) {
      MemoryByteSource source = new MemoryByteSource("x", data, 4);
      ParseCounters c = new ParseCounters();
      try (RecordReader reader = new RecordReader(source, at, at, STRICT, c)) {
        assertThat(reader.next()).isFalse();
      }
      assertThat(source.windowsCreated()).isZero();
      assertThat(source.isClosed()).isTrue();
      assertThat(c.records + c.bytesParsed + c.bytesSkipped + c.bytesOverhang).isZero();
    }
    MemoryByteSource empty = new MemoryByteSource("e", new byte[0], 4);
    ParseCounters c = new ParseCounters();
    try (RecordReader reader = new RecordReader(empty, 0, Long.MAX_VALUE, STRICT, c)) {
      assertThat(reader.next()).isFalse();
    }
    assertThat(c.bytesParsed).isZero();
    assertThatThrownBy(() -> new RecordReader(empty, 5, 4, STRICT, new ParseCounters()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad range [5, 4)");
  }

  @Test
  void readerAdvancesTheSourceAndTimesItself() throws IOException {
    byte[] data = FastqFileGenerator.builder(9).records(50).bytes();
    MemoryByteSource source = new MemoryByteSource("x", data, 64);
    ParseCounters c = new ParseCounters();
    long lastOffset;
    try (RecordReader reader = new RecordReader(source, 0, data.length, STRICT, c)) {
      List<Item> items = RecordReaderOutput.drain(reader);
      lastOffset = items.get(items.size() - 1).offset();
    }
    assertThat(source.advanceCalls()).isGreaterThanOrEqualTo(50);
    assertThat(source.lastAdvance()).isEqualTo(lastOffset);
    assertThat(source.windowsCreated()).isGreaterThanOrEqualTo(50);
    assertThat(c.parseNanos).isPositive();
    assertThat(c.records).isEqualTo(50);
  }

  @Test
  void countersAdd() {
    ParseCounters a = new ParseCounters();
    a.records = 1;
    a.bases = 2;
    a.bytesParsed = 3;
    a.bytesSkipped = 4;
    a.bytesOverhang = 5;
    a.malformedRecords = 6;
    a.droppedRecords = 7;
    a.parseNanos = 8;
    a.maxRecordBytes = 9;
    ParseCounters b = new ParseCounters();
    b.maxRecordBytes = 20;
    b.add(a);
    b.add(a);
    assertThat(
            new long[] {
              b.records,
              b.bases,
              b.bytesParsed,
              b.bytesSkipped,
              b.bytesOverhang,
              b.malformedRecords,
              b.droppedRecords,
              b.parseNanos,
              b.maxRecordBytes
            })
        .containsExactly(2, 4, 6, 8, 10, 12, 14, 16, 20);
  }

  @Test
  void ambiguousFourLineSplitInBasicModeIsReported() throws IOException {
    // In basic mode a sequence may start with '+', so the quality line "@bcd" of A starts a
    // well-formed record ("@bcd", "@x", "+CG", "+x") that hides B's real start.
    String text = "@a\nACGT\n+\n@bcd\n@x\n+CG\n+x\n!!!\n";
    byte[] data = text.getBytes(ISO_8859_1);
    ParseOptions basic = ParseOptions.builder().validation(Validation.BASIC).build();
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(basic).parse(data);
    assertThat(ref.unvisitedRecordStarts()).containsExactly(10L);
    assertThat(ref.reads()).extracting(Read::name).containsExactly("a", "x");
    for (long e = 1; e <= 10; e++) {
      RangeRun run = readRange(memory("amb.fastq", data, 7), 0, e, basic);
      assertThat(run.error())
          .as("range [0, %d)", e)
          .isNotNull()
          .hasMessageContaining("Record boundary mismatch in amb.fastq at byte offset 10")
          .hasMessageContaining("the range ending at " + e + " finished its last record at 15")
          .hasMessageContaining("The split is ambiguous");
      assertThat(run.error().offset()).isEqualTo(10);
    }
    for (long e = 11; e < data.length; e++) {
      assertThat(readRange(memory("amb.fastq", data, 7), 0, e, basic).error()).isNull();
    }
    // Strict validation rejects "+CG" as a sequence: no ambiguity there.
    assertThat(ReferenceFastqParser.of(STRICT).parse(data).isUnambiguous()).isTrue();
  }

  @Test
  void ambiguousWrappedSplitIsReported() throws IOException {
    String a = "@a\nACGTACGTACGTA\n+\n@XY\nIIIIIII\n+XY\n";
    String b = "@b\nAC\n+\nII\n";
    String c = "@c\nGG\n+\nII\n";
    byte[] data = (a + b + c).getBytes(ISO_8859_1);
    int bogus = a.indexOf("@XY");
    for (long e = 1; e <= bogus; e++) {
      RangeRun run = readRange(memory("wrapped.fastq", data, 7), 0, e, WRAPPED);
      assertThat(run.error())
          .as("range [0, %d)", e)
          .isNotNull()
          .hasMessageContaining("Record boundary mismatch in wrapped.fastq at byte offset " + bogus)
          .hasMessageContaining("finished its last record at " + a.length());
    }
    // One range, or cuts after the bogus start, read A, B, C.
    assertThat(drain(new String(data, ISO_8859_1), WRAPPED)).hasSize(3);
    for (long e = bogus + 1; e < data.length; e++) {
      RangeRun first = readRange(memory("wrapped.fastq", data, 7), 0, e, WRAPPED);
      RangeRun second = readRange(memory("wrapped.fastq", data, 7), e, data.length, WRAPPED);
      assertThat(first.error()).isNull();
      assertThat(second.error()).isNull();
      List<Item> all = new ArrayList<>(first.items());
      all.addAll(second.items());
      assertThat(all)
          .extracting(Item::offset)
          .containsExactly(0L, (long) a.length(), (long) (a + b).length());
    }
  }

  @Test
  void generatedAmbiguousFilesEitherMatchOrFailLoudly() throws IOException {
    int mismatches = 0;
    int matches = 0;
    for (int seed = 0; seed < 4; seed++) {
      FastqFileGenerator.Generated file =
          FastqFileGenerator.builder(seed).records(100).allTricky().wrapWidth(1).generate();
      byte[] data = file.bytes();
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(WRAPPED).parse(data);
      for (long size : new long[] {1, 2, 5, 13, 64, 200}) {
        long[] cuts = RangeCuts.ofSize(data.length, size);
        List<Item> all = new ArrayList<>();
        boolean failed = false;
        for (int k = 0; k + 1 < cuts.length && !failed; k++) {
          RangeRun run = readRange(memory("amb", data, 64), cuts[k], cuts[k + 1], WRAPPED);
          if (run.error() != null) {
            assertThat(run.error()).hasMessageContaining("Record boundary mismatch in amb");
            assertThat(ref.unvisitedRecordStarts()).contains(run.error().offset());
            failed = true;
          }
          all.addAll(run.items());
        }
        if (failed) {
          mismatches++;
        } else {
          assertThat(all).isEqualTo(ref.items());
          matches++;
        }
      }
    }
    assertThat(mismatches).isPositive();
    assertThat(matches).isPositive();
  }
}
