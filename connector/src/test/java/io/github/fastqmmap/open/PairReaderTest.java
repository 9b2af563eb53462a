/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.WindowRead;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.PairedFastq.Pair;
import io.github.fastqmmap.testing.RangeCuts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark-free pair API: {@link PairReader} over whole files, and over ranges positioned by the
 * counting pass ({@link RangeCounter}, {@link OrdinalIndex}, {@link OrdinalReader}) at many range
 * sizes, against the reference parser's pairing; and its errors.
 */
class PairReaderTest {
  @TempDir static Path dir;

  private static PairedFastq data;
  private static List<Pair> truth;
  private static Path r1;
  private static Path r2;
  private static Path r2Bgzf;
  private static Path interleaved;

  @BeforeAll
  static void writeFiles() throws IOException {
    data = PairedFastq.generate(1500, 11);
    truth = data.pairs();
    r1 = Files.write(dir.resolve("r1.fastq"), data.r1Bytes());
    r2 = Files.write(dir.resolve("r2.fastq"), data.r2Bytes());
    r2Bgzf =
        Files.write(
            dir.resolve("r2.fastq.bgz"), BgzfTestFiles.randomBlocks(data.r2Bytes(), 4000, 0.1, 12));
    interleaved = Files.write(dir.resolve("il.fastq"), data.interleavedBytes());
  }

  private static List<Pair> readAll(PairReader reader) throws IOException {
    List<Pair> out = new ArrayList<>();
    try (reader) {
      while (reader.next()) {
        // Ordinals count dropped pairs too.
        assertThat(reader.ordinal()).isGreaterThanOrEqualTo(out.size());
        out.add(pair(reader));
      }
    }
    return out;
  }

  private static Pair pair(PairReader p) {
    return Pair.of(p.first(), p.second());
  }

  @Test
  void wholeFilesAndInterleaved() throws IOException {
    assertThat(readAll(PairReader.open(r1, r2))).isEqualTo(truth);
    assertThat(readAll(PairReader.open(r1, r2Bgzf, ParseOptions.defaults(), true)))
        .isEqualTo(truth);
    assertThat(readAll(PairReader.interleaved(interleaved, ParseOptions.defaults(), true)))
        .isEqualTo(truth);
  }

  /** Counts the ranges of {@code size} of a file and builds its index. */
  private static OrdinalIndex index(Path file, long size, RangeOpener opener) throws IOException {
    InputFile input = InputFile.inspect(LocalStorage.INSTANCE, file.toString());
    long[] cuts = RangeCuts.ofSize(Files.size(file), size);
    List<OrdinalIndex.CountedRange> counted = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.length; i++) {
      counted.add(
          new OrdinalIndex.CountedRange(
              cuts[i],
              RangeCounter.count(
                  opener,
                  input,
                  cuts[i],
                  cuts[i + 1],
                  ParseOptions.defaults(),
                  new ParseCounters(),
                  7)));
    }
    return OrdinalIndex.of(file.toString(), counted);
  }

  @Test
  void aFastCountFindsTheRecordsAnExactCountFinds() throws IOException {
    RangeOpener opener =
        new RangeOpener(
            LocalStorage.INSTANCE,
            ParseOptions.defaults(),
            MappingOptions.defaults(),
            new MappingCounters());
    byte[] tricky = FastqFileGenerator.builder(13).allTricky().records(3000).generate().bytes();
    Path trickyFile = Files.write(dir.resolve("tricky.fastq"), tricky);
    for (Path file : List.of(r1, r2, r2Bgzf, trickyFile)) {
      InputFile input = InputFile.inspect(LocalStorage.INSTANCE, file.toString());
      long[] cuts = RangeCuts.ofSize(Files.size(file), 5000);
      for (int i = 0; i + 1 < cuts.length; i++) {
        RangeCounter.Result[] both = new RangeCounter.Result[2];
        for (int fast = 0; fast < 2; fast++) {
          both[fast] =
              RangeCounter.count(
                  opener,
                  input,
                  cuts[i],
                  cuts[i + 1],
                  ParseOptions.defaults(),
                  new ParseCounters(),
                  7,
                  true,
                  false,
                  fast == 1);
        }
        assertThat(both[1].records()).as("%s [%d]", file, cuts[i]).isEqualTo(both[0].records());
        assertThat(both[1].entryPositions()).isEqualTo(both[0].entryPositions());
        assertThat(both[1].entryOffsets()).isEqualTo(both[0].entryOffsets());
        assertThat(both[1].lastOffset()).isEqualTo(both[0].lastOffset());
      }
    }
  }

  @ParameterizedTest(name = "ranges of {0} bytes")
  @ValueSource(longs = {4096, 5000, 12288, 65536, 1 << 30})
  void rangesOfR1WithR2PositionedByItsIndex(long size) throws IOException {
    MappingCounters mapped = new MappingCounters();
    RangeOpener opener =
        new RangeOpener(
            LocalStorage.INSTANCE,
            ParseOptions.defaults(),
            MappingOptions.builder().windowRead(WindowRead.MAP).build(),
            mapped);
    for (Path mate : List.of(r2, r2Bgzf)) {
      OrdinalIndex i1 = index(r1, size, opener);
      OrdinalIndex i2 = index(mate, size, opener);
      assertThat(i1.records()).isEqualTo(truth.size());
      assertThat(i2.records()).isEqualTo(truth.size());
      InputFile f1 = InputFile.inspect(LocalStorage.INSTANCE, r1.toString());
      InputFile f2 = InputFile.inspect(LocalStorage.INSTANCE, mate.toString());
      List<Pair> all = new ArrayList<>();
      long[] lastOffsets = {-1, -1};
      long[] cuts = RangeCuts.ofSize(Files.size(r1), size);
      for (int i = 0; i + 1 < cuts.length; i++) {
        long from = i1.firstOrdinalOfRange(cuts[i]);
        long to = from + i1.recordsOfRange(cuts[i]);
        ParseCounters c = new ParseCounters();
        OrdinalIndex.Entry e1 = new OrdinalIndex.Entry(from, cuts[i], -1);
        // Windows stop where the index says the range's records end (ignored for BGZF).
        long end1 = i1.positionAfter(to);
        long end2 = i2.positionAfter(to);
        OrdinalIndex.Entry e2 = i2.entryFor(from);
        long mappedBefore = mapped.bytesMapped;
        PairReader p =
            new PairReader(
                new OrdinalReader(
                    opener,
                    f1,
                    e1,
                    e1,
                    from,
                    to,
                    ParseOptions.defaults(),
                    c,
                    false,
                    end1,
                    Long.MAX_VALUE),
                new OrdinalReader(
                    opener,
                    f2,
                    e2,
                    i2.rangeEntryFor(from),
                    from,
                    to,
                    ParseOptions.defaults(),
                    c,
                    false,
                    end2,
                    Long.MAX_VALUE),
                from,
                ParseOptions.defaults(),
                c,
                true);
        try (p) {
          while (p.next()) {
            assertThat(p.ordinal()).isEqualTo(all.size());
            assertThat(p.first().offset()).isLessThan(end1);
            if (mate == r2) {
              assertThat(p.second().offset()).isLessThan(end2);
            }
            all.add(pair(p));
            lastOffsets[0] = p.first().offset();
            lastOffsets[1] = p.second().offset();
          }
        }
        if (end1 != Long.MAX_VALUE && end2 != Long.MAX_VALUE) {
          // Each mapped reader maps from its entry to its window end and the overhang (pages
          // rounded); a BGZF mate is not mapped.
          long slack = ByteSource.OVERHANG_BYTES + 2L * MappedFile.pageSize();
          long most = end1 - cuts[i] + slack + (mate == r2 ? end2 - e2.position() + slack : 0);
          assertThat(mapped.bytesMapped - mappedBefore)
              .as("bytes mapped for range %d of %s at %d", i, mate, size)
              .isLessThanOrEqualTo(most);
        }
      }
      assertThat(all).as("%s at %d", mate, size).isEqualTo(truth);
      // The counts know where each file's last record is (a BGZF file's virtual offset).
      assertThat(new long[] {i1.lastOffset(), i2.lastOffset()}).isEqualTo(lastOffsets);
    }
  }

  @Test
  void mismatchedNamesNameBothFilesOffsetsAndTheOrdinal() throws IOException {
    List<String> records = PairedFastq.records(data.r2());
    String rec = records.get(40);
    records.set(40, "@zzz" + rec.substring(rec.indexOf(':')));
    Path bad =
        Files.writeString(
            dir.resolve("bad-r2.fastq"), String.join("", records), StandardCharsets.ISO_8859_1);
    long o1 = PairedFastq.parse(data.r1Bytes()).get(40).offset();
    long o2 = PairedFastq.parse(Files.readAllBytes(bad)).get(40).offset();
    assertThatThrownBy(() -> readAll(PairReader.open(r1, bad)))
        .isInstanceOf(FastqParseException.class)
        .hasMessageContaining(
            "Mates' names disagree in pair 40 (0-based) of files " + r1 + " and " + bad)
        .hasMessageContaining("the record at byte offset " + o1 + " of " + r1 + " is named '")
        .hasMessageContaining("the record at byte offset " + o2 + " of " + bad + " is named 'zzz:");
    ParseOptions drop = ParseOptions.builder().mode(ParseMode.DROPMALFORMED).build();
    assertThat(readAll(PairReader.open(r1, bad, drop, true))).hasSize(truth.size() - 1);
    assertThat(readAll(PairReader.open(r1, bad, ParseOptions.defaults(), false)))
        .hasSize(truth.size());
  }

  @Test
  void aMalformedMateMakesAMalformedPair() throws IOException {
    List<String> records = PairedFastq.records(data.r2());
    String rec = records.get(40);
    records.set(40, rec.substring(0, rec.length() - 2) + "\n"); // quality one short
    Path bad =
        Files.writeString(
            dir.resolve("r2-malformed.fastq"),
            String.join("", records),
            StandardCharsets.ISO_8859_1);
    List<Pair> expected = new ArrayList<>(truth);
    expected.remove(40);
    PairReader dropping =
        PairReader.open(
            r1, bad, ParseOptions.builder().mode(ParseMode.DROPMALFORMED).build(), true);
    assertThat(readAll(dropping)).isEqualTo(expected);
    assertThat(dropping.counters().malformedRecords).isEqualTo(1);
    assertThat(dropping.counters().droppedRecords).isEqualTo(1);
    try (PairReader p =
        PairReader.open(r1, bad, ParseOptions.builder().mode(ParseMode.PERMISSIVE).build(), true)) {
      int malformed = 0;
      while (p.next()) {
        if (p.isMalformed()) {
          malformed++;
          assertThat(p.ordinal()).isEqualTo(40);
          assertThat(p.second().isMalformed()).isTrue();
          assertThat(p.second().toFastq()).startsWith("@").contains(truth.get(40).sequence2());
          assertThat(p.first().sequence()).isEqualTo(truth.get(40).sequence1());
        }
      }
      assertThat(malformed).isEqualTo(1);
      assertThat(p.ordinal()).isEqualTo(truth.size() - 1);
    }
  }

  @Test
  void differentCountsAndOddInterleavedFilesFail() throws IOException {
    List<String> records = PairedFastq.records(data.r2());
    Path shorter =
        Files.writeString(
            dir.resolve("short-r2.fastq"),
            String.join("", records.subList(0, 1000)),
            StandardCharsets.ISO_8859_1);
    long lastOfShorter = String.join("", records.subList(0, 999)).length();
    long lastOfR1 = Files.size(r1) - PairedFastq.records(data.r1()).get(1499).length();
    assertThatThrownBy(() -> readAll(PairReader.open(r1, shorter)))
        .hasMessage(
            "Paired files have different record counts: "
                + r1
                + " has 1500 records and "
                + shorter
                + " has 1000. The records of "
                + r1
                + " from record 1000 (0-based) on have no mate; the last record of "
                + r1
                + " is at byte offset "
                + lastOfR1
                + " and the last record of "
                + shorter
                + " is at byte offset "
                + lastOfShorter
                + ". Record i of one is paired with record i of the other, so both must hold the"
                + " same reads in the same order; check that they are mates (and complete).");
    // The other way round, and against an empty mate.
    Path empty = Files.writeString(dir.resolve("empty-r1.fastq"), "", StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> readAll(PairReader.open(empty, shorter)))
        .hasMessageContaining(
            " has 0 records and "
                + shorter
                + " has 1000. The records of "
                + shorter
                + " from record 0 (0-based) on have no mate; "
                + empty
                + " has none and the last record of "
                + shorter
                + " is at byte offset "
                + lastOfShorter
                + ". ");
    List<String> il =
        PairedFastq.records(new String(data.interleavedBytes(), StandardCharsets.ISO_8859_1));
    Path odd =
        Files.writeString(
            dir.resolve("odd.fastq"),
            String.join("", il.subList(0, 7)),
            StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> readAll(PairReader.interleaved(odd, ParseOptions.defaults(), true)))
        .hasMessageStartingWith(
            "Interleaved file "
                + odd
                + " has an odd number of records: record 6 (0-based, at byte offset ");
  }
}
