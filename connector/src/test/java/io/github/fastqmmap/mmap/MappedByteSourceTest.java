/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.NativeMemory;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The windowed mapping source: what it maps, when, how much at once, and what it counts. Live
 * mappings are observed from outside through {@code /proc/self/maps}, so no test hook is needed.
 */
class MappedByteSourceTest {
  @TempDir Path dir;

  private int page;

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(
        MappedFile.nativeMappingAvailable(),
        "libc mapping through JNA is unavailable here: " + NativeLibc.UNAVAILABLE_REASON);
    page = MappedFile.pageSize();
  }

  /** How many mappings of {@code file} the process holds now, from {@code /proc/self/maps}. */
  private static int liveMappings(Path file) throws IOException {
    Path maps = Path.of("/proc/self/maps");
    Assumptions.assumeTrue(Files.isReadable(maps), "no /proc/self/maps to count mappings with");
    String real = file.toRealPath().toString();
    int n = 0;
    for (String line : Files.readAllLines(maps, StandardCharsets.UTF_8)) {
      if (line.endsWith(" " + real)) {
        n++;
      }
    }
    return n;
  }

  private MappedByteSource open(Path file, MappingOptions options, MappingCounters counters)
      throws IOException {
    return MappedByteSource.open(file, file.toString(), options, counters);
  }

  @Test
  void emptyFileAndEmptyRangesNeverMap() throws IOException {
    Path empty = Files.write(dir.resolve("empty.fastq"), new byte[0]);
    MappingCounters counters = new MappingCounters();
    try (MappedByteSource source = open(empty, MappingOptions.defaults(), counters)) {
      assertThat(source.length()).isZero();
      ByteWindow w = source.window(0, 1);
      assertThat(w.start()).isZero();
      assertThat(w.end()).isZero();
      assertThat(w.eof()).isTrue();
    }
    ParseCounters pc = new ParseCounters();
    try (RecordReader reader =
        FastqFiles.open(
            empty,
            0,
            Long.MAX_VALUE,
            ParseOptions.defaults(),
            MappingOptions.defaults(),
            pc,
            counters)) {
      assertThat(reader.next()).isFalse();
    }
    Path one =
        Files.writeString(dir.resolve("one.fastq"), "@a\nAC\n+\nII\n", StandardCharsets.US_ASCII);
    for (long at : new long[] {0, 3, 11}) {
      try (RecordReader reader =
          FastqFiles.open(
              one, at, at, ParseOptions.defaults(), MappingOptions.defaults(), pc, counters)) {
        assertThat(reader.next()).isFalse();
      }
    }
    assertThat(counters.windowsMapped).isZero();
    assertThat(counters.bytesMapped).isZero();
    assertThat(counters.madviseCalls).isZero();
    assertThat(pc.records).isZero();
  }

  @Test
  void windowsHoldWhatIsAskedAndMatchTheFile() throws IOException {
    byte[] content = new byte[20 * page + 77];
    new Random(4).nextBytes(content);
    Path file = Files.write(dir.resolve("data.bin"), content);
    MappingOptions options =
        MappingOptions.builder().windowBytes(3L * page).prefetchBytes(0).build();
    MappingCounters counters = new MappingCounters();
    Random random = new Random(5);
    try (MappedByteSource source = open(file, options, counters)) {
      assertThat(source.name()).isEqualTo(file.toString());
      assertThat(source.file().length()).isEqualTo(content.length);
      for (int i = 0; i < 300; i++) {
        long pos = random.nextInt(content.length + 1);
        long min = random.nextInt(4) == 0 ? random.nextInt(8 * page) : 1 + random.nextInt(64);
        ByteWindow w = source.window(pos, min);
        long want = Math.min(content.length, pos + min);
        assertThat(w.start()).isLessThanOrEqualTo(pos);
        assertThat(w.end()).isGreaterThanOrEqualTo(want);
        assertThat(w.eof()).isEqualTo(w.end() == content.length);
        int n = (int) (w.end() - pos);
        byte[] seen = new byte[n];
        NativeMemory.copyToArray(w.addressOf(pos), seen, 0, n);
        for (int k = 0; k < n; k += 97) {
          assertThat(seen[k]).isEqualTo(content[(int) pos + k]);
        }
        assertThat(liveMappings(file)).isLessThanOrEqualTo(2);
      }
      assertThatThrownBy(() -> source.window(content.length + 1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "offset " + (content.length + 1) + " outside [0, " + content.length + "]");
      assertThatThrownBy(() -> source.window(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(liveMappings(file)).isZero();
    assertThat(counters.windowsMapped).isPositive();
    // Without prefetch the only advice is the read advice, once per window.
    assertThat(counters.madviseCalls).isEqualTo(counters.windowsMapped);

    // With prefetch and drop-behind, and advance() called at random: the same guarantees.
    MappingOptions prefetching =
        MappingOptions.builder()
            .windowBytes(2L * page)
            .prefetchBytes(3L * page)
            .dropBehind(true)
            .build();
    try (MappedByteSource source = open(file, prefetching, new MappingCounters())) {
      long cursor = 0;
      for (int i = 0; i < 400; i++) {
        cursor =
            random.nextInt(10) == 0
                ? random.nextInt(content.length)
                : Math.min(content.length, cursor + random.nextInt(page));
        source.advance(cursor);
        long min = 1 + random.nextInt(2 * page);
        ByteWindow w = source.window(cursor, min);
        assertThat(w.end()).isGreaterThanOrEqualTo(Math.min(content.length, cursor + min));
        if (cursor < content.length) {
          assertThat(NativeMemory.getByte(w.addressOf(cursor))).isEqualTo(content[(int) cursor]);
          long last = w.end() - 1;
          assertThat(NativeMemory.getByte(w.addressOf(last))).isEqualTo(content[(int) last]);
        }
        source.advance(cursor);
        assertThat(liveMappings(file)).isLessThanOrEqualTo(2);
      }
    }
    assertThat(liveMappings(file)).isZero();
  }

  @Test
  void sequentialReadKeepsAtMostTwoWindowsAndPrefetches() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(8).records(6000).readLengths(50, 250).generate();
    Path file = gen.writeTo(dir.resolve("reads.fastq"));
    long length = Files.size(file);
    MappingOptions options =
        MappingOptions.builder().windowBytes(16L * page).prefetchBytes(8L * page).build();
    MappingCounters counters = new MappingCounters();
    ParseCounters pc = new ParseCounters();
    int maxLive = 0;
    int records = 0;
    try (RecordReader reader =
        FastqFiles.open(file, 0, length, ParseOptions.defaults(), options, pc, counters)) {
      while (reader.next()) {
        if (records++ % 25 == 0) {
          maxLive = Math.max(maxLive, liveMappings(file));
        }
      }
    }
    assertThat(records).isEqualTo(6000);
    assertThat(maxLive).isBetween(1, 2);
    assertThat(liveMappings(file)).isZero();
    // Windows cover the file about once each; WILLNEED adds advice calls beyond the read advice.
    assertThat(counters.windowsMapped).isGreaterThanOrEqualTo(length / (16L * page));
    assertThat(counters.bytesMapped).isGreaterThanOrEqualTo(length);
    assertThat(counters.bytesMapped).isLessThan(3 * length);
    assertThat(counters.madviseCalls).isGreaterThan(counters.windowsMapped);
    assertThat(counters.madviseFailures).isZero();
    assertThat(counters.mapNanos).isPositive();
    assertThat(counters.minorFaults).isPositive();
    assertThat(counters.majorFaults).isGreaterThanOrEqualTo(0);
    assertThat(pc.bytesParsed).isEqualTo(length);
  }

  @Test
  void prefetchedWindowsOverlapOnlyByTheOverhang() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(9).records(40_000).readLengths(100, 150).generate();
    Path file = gen.writeTo(dir.resolve("overlap.fastq"));
    long length = Files.size(file);
    long window = 4 * ByteSource.OVERHANG_BYTES;
    // A prefetch distance of half a window: the next window is mapped long before the cursor
    // reaches the current end, yet starts only the overhang before it.
    MappingOptions options =
        MappingOptions.builder().windowBytes(window).prefetchBytes(window / 2).build();
    MappingCounters counters = new MappingCounters();
    ParseCounters pc = new ParseCounters();
    try (RecordReader reader =
        FastqFiles.open(file, 0, length, ParseOptions.defaults(), options, pc, counters)) {
      assertThat(RecordReaderOutput.drain(reader)).isEqualTo(gen.reads());
    }
    long windows = counters.windowsMapped;
    // Each window after the first adds window - overhang new bytes.
    long expectedWindows = 1 + ceilDiv(length - window, window - ByteSource.OVERHANG_BYTES);
    assertThat(windows).isEqualTo(expectedWindows);
    assertThat(counters.bytesMapped)
        .isLessThanOrEqualTo(length + (windows - 1) * ByteSource.OVERHANG_BYTES);
    assertThat(pc.bytesParsed).isEqualTo(length);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  @Test
  void everyOptionReadsTheSameRecords() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(12)
            .records(400)
            .allTricky()
            .readLengths(0, 200)
            .longReads(0.02, 3 * page)
            .generate();
    Path file = gen.writeTo(dir.resolve("opts.fastq"));
    List<Item> expected = new ArrayList<>(gen.reads());
    List<MappingOptions> all = new ArrayList<>();
    for (ReadAdvice advice : ReadAdvice.values()) {
      all.add(MappingOptions.builder().readAdvice(advice).windowBytes(4L * page).build());
    }
    all.add(MappingOptions.builder().windowBytes(page).prefetchBytes(0).lock(true).build());
    all.add(MappingOptions.builder().windowBytes(2L * page).hugePages(true).build());
    all.add(MappingOptions.builder().windowBytes(2L * page).populate(true).build());
    all.add(
        MappingOptions.builder()
            .windowBytes(page)
            .prefetchBytes(2L * page)
            .dropBehind(true)
            .build());
    all.add(
        MappingOptions.builder()
            .windowBytes(page)
            .prefetchBytes(page)
            .lock(true)
            .hugePages(true)
            .populate(true)
            .dropBehind(true)
            .readAdvice(ReadAdvice.RANDOM)
            .build());
    for (MappingOptions options : all) {
      MappingCounters counters = new MappingCounters();
      ParseCounters pc = new ParseCounters();
      List<Item> items;
      try (RecordReader reader =
          FastqFiles.open(
              file, 0, Long.MAX_VALUE, ParseOptions.defaults(), options, pc, counters)) {
        items = RecordReaderOutput.drain(reader);
      }
      assertThat(items).as(options.toString()).isEqualTo(expected);
      assertThat(counters.lockFailures)
          .as(options.toString())
          .isBetween(0L, counters.windowsMapped);
      assertThat(counters.hugePageFailures)
          .as(options.toString())
          .isBetween(0L, counters.windowsMapped);
      assertThat(counters.madviseFailures).isGreaterThanOrEqualTo(counters.hugePageFailures);
      if (!options.lock()) {
        assertThat(counters.lockFailures).isZero();
      }
      if (!options.hugePages()) {
        assertThat(counters.hugePageFailures).isZero();
      }
    }
  }

  @Test
  void rangesOfAMappedFileMatchTheReference() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(13).records(300).allTricky().crlf(true).generate();
    Path file = gen.writeTo(dir.resolve("ranges.fastq"));
    byte[] data = Files.readAllBytes(file);
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(ParseOptions.defaults()).parse(data);
    MappingOptions options = MappingOptions.builder().windowBytes(page).prefetchBytes(page).build();
    for (long size : new long[] {page, page / 2 + 3, 3L * page}) {
      List<Item> all = new ArrayList<>();
      MappingCounters counters = new MappingCounters();
      for (long s = 0; s < data.length; s += size) {
        ParseCounters pc = new ParseCounters();
        try (RecordReader reader =
            FastqFiles.open(
                file,
                s,
                Math.min(data.length, s + size),
                ParseOptions.defaults(),
                options,
                pc,
                counters)) {
          all.addAll(RecordReaderOutput.drain(reader));
        }
      }
      assertThat(all).as("split %d", size).isEqualTo(ref.items());
      assertThat(liveMappings(file)).isZero();
    }
  }

  @Test
  void aRangeMapsItselfAndItsOverhangNotTheRestOfTheFile() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(17).records(20_000).readLength(150).generate();
    Path file = gen.writeTo(dir.resolve("big.fastq"));
    long length = Files.size(file);
    assertThat(length).isGreaterThan(4L << 20);
    MappingCounters counters = new MappingCounters();
    long start = 1L << 20;
    long end = start + 4 * page;
    try (RecordReader reader =
        FastqFiles.open(
            file,
            start,
            end,
            ParseOptions.defaults(),
            MappingOptions.defaults(),
            new ParseCounters(),
            counters)) {
      while (reader.next()) {
        assertThat(reader.record().offset()).isBetween(start, end - 1);
      }
    }
    // The default window is 64 MiB; a four-page range maps its pages, the page before its start
    // (the record-start rule looks one byte back) and the overhang allowance, nothing more.
    assertThat(counters.windowsMapped).isEqualTo(1);
    assertThat(counters.bytesMapped)
        .isEqualTo(end + ByteSource.OVERHANG_BYTES - MappedFile.pageFloor(start - 1));
  }

  @Test
  void truncationDuringTheReadIsAnErrorNotACrash() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("@r").append(i).append("\nACGTACGTAC\n+\nIIIIIIIIII\n");
    }
    Path file = Files.writeString(dir.resolve("shrinks.fastq"), text, StandardCharsets.US_ASCII);
    MappingOptions options = MappingOptions.builder().prefetchBytes(0).build();
    try (RecordReader reader =
        FastqFiles.open(
            file,
            0,
            Long.MAX_VALUE,
            ParseOptions.defaults(),
            options,
            new ParseCounters(),
            new MappingCounters())) {
      assertThat(reader.next()).isTrue();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(100);
      }
      // The mapped pages past the new end are gone: the JVM turns the SIGBUS into an
      // InternalError, which the reader reports as "file changed during read".
      assertThatThrownBy(
              () -> {
                while (reader.next()) {
                  reader.record().sequence();
                }
              })
          .isInstanceOf(FileChangedDuringReadException.class)
          .hasMessageStartingWith("File changed during read: " + file)
          .hasNoCause()
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .singleElement()
                      .isInstanceOf(InternalError.class)
                      .extracting(Throwable::getMessage)
                      .asString()
                      .contains("unsafe memory access"));
    }
  }

  @Test
  void copiedWindowsReadTheSameRecordsAndAreCounted() throws IOException {
    Path file =
        FastqFileGenerator.builder(7).records(30_000).generate().writeTo(dir.resolve("c.fq"));
    long length = Files.size(file);
    List<List<Item>> results = new ArrayList<>();
    List<MappingCounters> counters = new ArrayList<>();
    for (WindowRead mode : WindowRead.values()) {
      MappingCounters c = new MappingCounters();
      MappingOptions options =
          MappingOptions.builder().windowBytes(64L * page).windowRead(mode).build();
      List<Item> items = new ArrayList<>();
      long range = 100L * page;
      for (long start = 0; start < length; start += range) {
        try (RecordReader reader =
            FastqFiles.open(
                file,
                start,
                Math.min(length, start + range),
                ParseOptions.defaults(),
                options,
                new ParseCounters(),
                c)) {
          items.addAll(RecordReaderOutput.drain(reader));
        }
      }
      results.add(items);
      counters.add(c);
    }
    assertThat(results.get(0)).isNotEmpty();
    assertThat(results.get(1)).isEqualTo(results.get(0));
    assertThat(results.get(2)).isEqualTo(results.get(0));
    MappingCounters mapped = counters.get(WindowRead.MAP.ordinal());
    MappingCounters copied = counters.get(WindowRead.COPY.ordinal());
    assertThat(mapped.windowsCopied).isZero();
    assertThat(mapped.bytesCopied).isZero();
    assertThat(copied.windowsMapped).isZero();
    assertThat(copied.windowsCopied).isEqualTo(mapped.windowsMapped);
    assertThat(copied.bytesCopied).isBetween(length, mapped.bytesMapped);
  }

  @Test
  void heldCopiesKeepTheirBytesUntilTheHoldIsReleased() throws IOException {
    byte[] data = new byte[64 * page];
    new Random(5).nextBytes(data);
    Path file = Files.write(dir.resolve("held.bin"), data);
    MappingOptions options =
        MappingOptions.builder()
            .windowBytes(page)
            .prefetchBytes(page)
            .windowRead(WindowRead.COPY)
            .build();
    List<ByteWindow> seen = new ArrayList<>();
    BufferHold hold = new BufferHold();
    try (MappedByteSource source =
        MappedByteSource.open(file, file.toString(), options, new MappingCounters(), hold)) {
      for (long pos = 0; pos < data.length; pos += page) {
        source.advance(pos);
        ByteWindow w = source.window(pos, 1);
        assertThat(w.retained()).as("a copied window under a hold is retained").isTrue();
        seen.add(w);
      }
      assertThat(hold.size()).as("buffers of windows left behind").isGreaterThan(50);
    }
    // Every window read, the source closed: each still holds the file's bytes, none reused.
    for (ByteWindow w : seen) {
      int n = (int) (w.end() - w.start());
      byte[] bytes = new byte[n];
      NativeMemory.copyToArray(w.address(), bytes, 0, n);
      assertThat(bytes)
          .as("window at %d", w.start())
          .isEqualTo(Arrays.copyOfRange(data, (int) w.start(), (int) w.end()));
    }
    assertThat(hold.size())
        .as("every window copied, the ones open at close too")
        .isGreaterThanOrEqualTo(seen.size());
    hold.release();
    assertThat(hold.size()).isZero();
    try (MappedByteSource source =
        MappedByteSource.open(file, file.toString(), options, new MappingCounters())) {
      assertThat(source.window(0, 1).retained()).as("without a hold").isFalse();
    }
  }

  @Test
  void autoCopiesWithoutAProbeForAConsumerWhoseValuesFillTheWindows() throws IOException {
    byte[] data = new byte[16 << 20];
    new Random(6).nextBytes(data);
    Path file = Files.write(dir.resolve("filled.bin"), data);
    MappingOptions auto =
        MappingOptions.builder().windowBytes(4L << 20).prefetchBytes(1L << 20).build();
    for (boolean fill : new boolean[] {true, false}) {
      ScriptedChoice mapAlways = new ScriptedChoice(p -> false);
      MappedByteSource.useChoice(file, mapAlways);
      MappingCounters counters = new MappingCounters();
      BufferHold hold = new BufferHold(fill);
      List<Boolean> retained = new ArrayList<>();
      try (MappedByteSource source =
          MappedByteSource.open(file, file.toString(), auto, counters, hold)) {
        for (long pos = 0; pos < data.length; pos += 1L << 20) {
          source.advance(pos);
          ByteWindow w = source.window(pos, 1);
          assertThat(NativeMemory.getByte(w.address() + (pos - w.start())))
              .isEqualTo(data[(int) pos]);
          retained.add(w.retained());
        }
      }
      hold.release();
      if (fill) {
        assertThat(mapAlways.probes).as("no probe").isZero();
        assertThat(counters.windowsMapped).isZero();
        assertThat(counters.windowsCopied).isPositive();
        assertThat(retained).as("every window a held copy").containsOnly(true);
      } else {
        assertThat(mapAlways.probes).as("probed, and the probe said map").isPositive();
        assertThat(counters.windowsCopied).isZero();
        assertThat(counters.windowsMapped).isPositive();
        assertThat(retained).containsOnly(false);
      }
    }
  }

  /** A probe outcome per probe, from a script, whatever the timings were. */
  private static final class ScriptedChoice extends WindowChoice {
    private final IntPredicate copyAtProbe;
    int probes;
    boolean timingsSeen = true;

    ScriptedChoice(IntPredicate copyAtProbe) {
      this.copyAtProbe = copyAtProbe;
    }

    @Override
    boolean probed(long touchNanos, long loopNanos, long copyNanos) {
      timingsSeen &= touchNanos >= 0 && loopNanos >= 0 && copyNanos >= -1;
      return record(copyAtProbe.test(probes++));
    }
  }

  @Test
  void autoReadsTheSameRecordsWhicheverWayItsProbesChoose() throws IOException {
    // Windows of 4 MiB hold a probe (3 MiB at least); 150 bp reads, about 20 MiB.
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(21).records(64_000).readLengths(150, 150).generate();
    Path file = gen.writeTo(dir.resolve("auto.fastq"));
    long length = Files.size(file);
    assertThat(length).isGreaterThan(16L << 20);
    MappingOptions auto =
        MappingOptions.builder().windowBytes(4L << 20).prefetchBytes(1L << 20).build();
    MappingOptions map =
        MappingOptions.builder()
            .windowBytes(4L << 20)
            .prefetchBytes(1L << 20)
            .windowRead(WindowRead.MAP)
            .build();
    long range = 7L << 20;
    MappingCounters mapped = readRanges(file, range, map, new ArrayList<>(gen.reads()));
    assertThat(mapped.windowsCopied).isZero();
    // Always copy, always map, map then copy in turn, and at random.
    List<IntPredicate> scripts =
        List.of(p -> true, p -> false, p -> p % 2 == 1, p -> new Random(p).nextBoolean());
    for (int k = 0; k < scripts.size(); k++) {
      ScriptedChoice choice = new ScriptedChoice(scripts.get(k));
      MappedByteSource.useChoice(file, choice);
      MappingCounters c = readRanges(file, range, auto, new ArrayList<>(gen.reads()));
      assertThat(choice.probes).as("script %d", k).isPositive();
      assertThat(choice.timingsSeen).isTrue();
      // Every window is counted once, as mapped or as copied; a copy takes at most half of a 4
      // MiB window (COPY_WINDOW_BYTES), so there are up to twice as many; copies count their bytes.
      assertThat(MappedByteSource.COPY_WINDOW_BYTES).isEqualTo(2L << 20);
      assertThat(c.windowsMapped + c.windowsCopied)
          .as("script %d", k)
          .isBetween(mapped.windowsMapped, 2 * mapped.windowsMapped);
      assertThat(c.bytesCopied > 0).isEqualTo(c.windowsCopied > 0);
      // Each window may read again up to the overhang before it (a record crossing the last end).
      assertThat(c.bytesCopied)
          .isLessThanOrEqualTo(mapped.bytesMapped + c.windowsCopied * ByteSource.OVERHANG_BYTES);
      if (k == 0) {
        // Always copy: only the first window of the file, and one after every eight windows'
        // bytes copied, is probed.
        assertThat(c.windowsMapped).isZero();
        assertThat(c.windowsCopied).isGreaterThan(mapped.windowsMapped);
        assertThat(choice.probes)
            .isBetween(
                1, (int) (c.bytesCopied / (WindowChoice.PROBE_EVERY * auto.windowBytes()) + 1));
      } else if (k == 1) {
        // Always map: every window holding a probe is probed and stays mapped.
        assertThat(c.windowsCopied).isZero();
        assertThat((long) choice.probes).isBetween(1L, c.windowsMapped);
      } else if (k == 2) {
        assertThat(c.windowsCopied).isPositive();
        assertThat(c.windowsMapped).isPositive();
      }
    }
    // The probe as it is, whatever this machine measures: the same records, every window counted.
    MappedByteSource.useChoice(file, new WindowChoice());
    MappingCounters real = readRanges(file, range, auto, new ArrayList<>(gen.reads()));
    assertThat(real.windowsMapped + real.windowsCopied)
        .isBetween(mapped.windowsMapped, 2 * mapped.windowsMapped);
  }

  @Test
  void copiedWindowsAreShorterThanMappedOnesUnlessARecordNeedsMore() throws IOException {
    // 150 bp reads, about 20 MiB, then one read of 3 MiB, longer than a copied window (2 MiB).
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(22).records(64_000).readLengths(150, 150).generate();
    List<Item> expected = new ArrayList<>(gen.reads());
    String longRead = "ACGT".repeat(3 << 18);
    String longRecord = "@long\n" + longRead + "\n+\n" + "I".repeat(longRead.length()) + "\n";
    Path file = gen.writeTo(dir.resolve("copy-window.fastq"));
    long longOffset = Files.size(file);
    Files.writeString(file, longRecord, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    long length = Files.size(file);
    MappingOptions copy = MappingOptions.builder().windowRead(WindowRead.COPY).build();
    assertThat(copy.windowBytes()).isEqualTo(16L << 20);
    List<Item> items = new ArrayList<>();
    MappingCounters c = new MappingCounters();
    try (RecordReader reader =
        FastqFiles.open(file, 0, length, ParseOptions.defaults(), copy, new ParseCounters(), c)) {
      items.addAll(RecordReaderOutput.drain(reader));
    }
    assertThat(items).hasSize(expected.size() + 1);
    assertThat(items.subList(0, expected.size())).isEqualTo(expected);
    assertThat(items.get(expected.size()).offset()).isEqualTo(longOffset);
    assertThat(c.windowsMapped).isZero();
    // Windows of 2 MiB, where a mapping takes 16: the long record's window is copied whole.
    assertThat(c.windowsCopied).isBetween(length / MappedByteSource.COPY_WINDOW_BYTES, 16L);
    assertThat(c.bytesCopied).isBetween(length, length + c.windowsCopied * (3L << 20));
  }

  @Test
  void aCopiedWindowsSizeCanBeSetForMeasuringAndABadOneIsNamed() throws IOException {
    Path file =
        FastqFileGenerator.builder(23).records(30_000).generate().writeTo(dir.resolve("p.fq"));
    long length = Files.size(file);
    MappingOptions copy = MappingOptions.builder().windowRead(WindowRead.COPY).build();
    try {
      System.setProperty(MappedByteSource.COPY_WINDOW_PROPERTY, "1048576");
      MappingCounters c = new MappingCounters();
      try (MappedByteSource source = MappedByteSource.open(file, file.toString(), copy, c)) {
        assertThat(source.window(0, 1).end()).isEqualTo(1L << 20);
      }
      System.setProperty(MappedByteSource.COPY_WINDOW_PROPERTY, "2m");
      assertThatThrownBy(() -> MappedByteSource.open(file, file.toString(), copy, c))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("-Dfastqmmap.copyWindowBytes is '2m': use a number of bytes above 0");
    } finally {
      System.clearProperty(MappedByteSource.COPY_WINDOW_PROPERTY);
    }
    assertThat(length).isGreaterThan(2L << 20);
    try (MappedByteSource source =
        MappedByteSource.open(file, file.toString(), copy, new MappingCounters())) {
      assertThat(source.window(0, 1).end()).isEqualTo(2L << 20);
    }
  }

  @Test
  void aProbeCopiesItsWholeMiBIntoABufferThatHoldsItWhenCopiedWindowsAreSetShorter()
      throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(24).records(64_000).readLengths(150, 150).generate();
    Path file = gen.writeTo(dir.resolve("short-copies.fastq"));
    long length = Files.size(file);
    ScriptedChoice choice = new ScriptedChoice(p -> true);
    MappedByteSource.useChoice(file, choice);
    List<NativeMemory> drained = CopyBuffersTest.drain();
    MappingCounters c;
    try {
      System.setProperty(MappedByteSource.COPY_WINDOW_PROPERTY, "65536");
      c = readRanges(file, 7L << 20, MappingOptions.defaults(), new ArrayList<>(gen.reads()));
    } finally {
      System.clearProperty(MappedByteSource.COPY_WINDOW_PROPERTY);
    }
    assertThat(choice.probes).isPositive();
    assertThat(c.windowsMapped).isZero();
    assertThat(c.windowsCopied).isGreaterThanOrEqualTo(length / 65536);
    // The probe copied a MiB: its buffer (back in the pool now) holds one, not 64 KiB.
    List<NativeMemory> used = CopyBuffersTest.drain();
    assertThat(used)
        .anySatisfy(
            b -> assertThat(b.length()).isGreaterThanOrEqualTo(MappedByteSource.PROBE_BYTES));
    used.forEach(CopyBuffers::give);
    drained.forEach(CopyBuffers::give);
  }

  /** Reads the file in ranges, checks the records and that no mapping is left; the counters. */
  private MappingCounters readRanges(
      Path file, long range, MappingOptions options, List<Item> expected) throws IOException {
    long length = Files.size(file);
    MappingCounters counters = new MappingCounters();
    List<Item> items = new ArrayList<>();
    for (long start = 0; start < length; start += range) {
      try (RecordReader reader =
          FastqFiles.open(
              file,
              start,
              Math.min(length, start + range),
              ParseOptions.defaults(),
              options,
              new ParseCounters(),
              counters)) {
        items.addAll(RecordReaderOutput.drain(reader));
      }
      assertThat(liveMappings(file)).isZero();
    }
    assertThat(items).as(options.toString()).isEqualTo(expected);
    return counters;
  }

  @Test
  void truncationBeforeACopyIsAFileChangedError() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("@r").append(i).append("\nACGTACGTAC\n+\nIIIIIIIIII\n");
    }
    Path file = Files.writeString(dir.resolve("shrinks.fastq"), text, StandardCharsets.US_ASCII);
    MappingOptions options =
        MappingOptions.builder().windowBytes(4L * page).windowRead(WindowRead.COPY).build();
    try (RecordReader reader =
        FastqFiles.open(
            file,
            0,
            Long.MAX_VALUE,
            ParseOptions.defaults(),
            options,
            new ParseCounters(),
            new MappingCounters())) {
      assertThat(reader.next()).isTrue();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(100);
      }
      // Windows already copied hold the bytes as read; the next copy finds the file's end early.
      assertThatThrownBy(
              () -> {
                while (reader.next()) {
                  reader.record().sequence();
                }
              })
          .isInstanceOf(FileChangedDuringReadException.class)
          .hasMessageStartingWith("File changed during read: " + file)
          .hasMessageContaining("found its end: it was truncated or replaced while being read")
          .hasNoCause();
    }
  }
}
