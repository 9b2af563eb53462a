/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.PairedFastq.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairs aligned by names ({@link PairAnchors}): each R1 range start finds where its first record's
 * mate starts in R2; reading R1's ranges with those stretches of R2 gives the reference pairs; a
 * name that is missing or found twice near its estimate, or whose next records are named otherwise,
 * gives no alignment (the caller counts), and a repeated run of names that misleads it fails the
 * stretch's read instead of pairing wrong mates.
 */
class PairAnchorsTest {
  @TempDir Path dir;

  private static final ParseOptions PARSE = ParseOptions.defaults();

  private static RangeOpener opener() {
    return new RangeOpener(
        LocalStorage.INSTANCE, PARSE, MappingOptions.defaults(), new MappingCounters());
  }

  private static InputFile input(Path p) throws IOException {
    return InputFile.inspect(LocalStorage.INSTANCE, p.toString());
  }

  /** Byte offsets of the records of {@code text}. */
  private static List<Long> offsets(String text) {
    List<Long> out = new ArrayList<>();
    long at = 0;
    for (String r : PairedFastq.records(text)) {
      out.add(at);
      at += r.getBytes(StandardCharsets.ISO_8859_1).length;
    }
    return out;
  }

  /** Reads R1's ranges at {@code starts1} with R2's stretches at {@code starts2}, as tasks do. */
  private static List<Pair> readStretches(Path r1, Path r2, long[] starts1, long[] starts2)
      throws IOException {
    RangeOpener opener = opener();
    InputFile f1 = input(r1);
    InputFile f2 = input(r2);
    List<Pair> out = new ArrayList<>();
    for (int k = 0; k < starts1.length; k++) {
      long end1 = k + 1 < starts1.length ? starts1[k + 1] : Long.MAX_VALUE;
      long end2 = k + 1 < starts2.length ? starts2[k + 1] : Long.MAX_VALUE;
      ParseCounters counters = new ParseCounters();
      OrdinalIndex.Entry e1 = new OrdinalIndex.Entry(0, starts1[k], -1);
      OrdinalIndex.Entry e2 = new OrdinalIndex.Entry(0, starts2[k], -1);
      OrdinalReader a =
          new OrdinalReader(opener, f1, e1, e1, 0, Long.MAX_VALUE, PARSE, counters, true, -1, end1);
      OrdinalReader b =
          new OrdinalReader(opener, f2, e2, e2, 0, Long.MAX_VALUE, PARSE, counters, true, -1, end2);
      try (PairReader pairs = new PairReader(a, b, 0, PARSE, counters, true)) {
        pairs.alignedByNames(opener, starts1[k], starts2[k]);
        while (pairs.next()) {
          out.add(Pair.of(pairs.first(), pairs.second()));
        }
      }
    }
    return out;
  }

  @Test
  void everyRangeStartFindsItsMateAndTheStretchesGiveTheReferencePairs() throws IOException {
    // Mates of different lengths (R1 50-250 bp, R2 20-620 bp): equal shares of the files hold
    // different records.
    PairedFastq data = PairedFastq.generate(3000, 5, 50, 200, 20, 600);
    Path r1 = Files.write(dir.resolve("a_R1.fastq"), data.r1Bytes());
    Path r2 = Files.write(dir.resolve("a_R2.fastq"), data.r2Bytes());
    List<Long> at1 = offsets(data.r1());
    List<Long> at2 = offsets(data.r2());
    for (long step : new long[] {4096, 5000, 65536, 1 << 20}) {
      List<Long> starts = new ArrayList<>();
      for (long s = 0; s < Files.size(r1); s += step) {
        starts.add(s);
      }
      long[] starts1 = starts.stream().mapToLong(Long::longValue).toArray();
      PairAnchors.Result found = PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE);
      assertThat(found).as("step %d", step).isNotNull();
      for (int k = 1; k < starts1.length; k++) {
        int first = 0;
        while (first < at1.size() && at1.get(first) < starts1[k]) {
          first++;
        }
        long expected = first < at2.size() ? at2.get(first) : Files.size(r2);
        assertThat(found.starts2()[k])
            .as("step %d, start %d", step, starts1[k])
            .isEqualTo(expected);
      }
      assertThat(readStretches(r1, r2, starts1, found.starts2()))
          .as("step %d", step)
          .isEqualTo(data.pairs());
    }
  }

  @Test
  void aNameMismatchInALaterStretchNamesThePairsOrdinalInItsFiles() throws IOException {
    PairedFastq data = PairedFastq.generate(3000, 5, 50, 200, 20, 600);
    Path r1 = Files.write(dir.resolve("o_R1.fastq"), data.r1Bytes());
    Path r2 = Files.write(dir.resolve("o_R2.fastq"), data.r2Bytes());
    long[] starts1 = {0, 65536, 131072, 196608};
    PairAnchors.Result found = PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE);
    // Pair 2000 lies in the last stretch: its R2 name changed by one character, same length.
    List<String> records = new ArrayList<>(PairedFastq.records(data.r2()));
    String rec = records.get(2000);
    records.set(2000, "@" + (rec.charAt(1) == 'x' ? 'y' : 'x') + rec.substring(2));
    Path renamed =
        Files.writeString(
            dir.resolve("o2_R2.fastq"), String.join("", records), StandardCharsets.ISO_8859_1);
    assertThat(offsets(data.r1()).get(2000)).isGreaterThan(starts1[3]);
    assertThatThrownBy(() -> readStretches(r1, renamed, starts1, found.starts2()))
        .hasMessageContaining("Mates' names disagree in pair 2000 (0-based) of files " + r1);
  }

  /** A FASTQ record of {@code bases} A's named {@code name}. */
  private static String record(String name, int bases) {
    return "@" + name + "\n" + "A".repeat(bases) + "\n+\n" + "I".repeat(bases) + "\n";
  }

  @Test
  void aNameFoundTwiceNearItsEstimateOrNowhereGivesNoAlignment() throws IOException {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    StringBuilder c = new StringBuilder();
    // R1 names records 1000 and 1010 alike: R2 has the name twice near the estimate, or nowhere.
    for (int i = 0; i < 2000; i++) {
      String name = i == 1000 || i == 1010 ? "twice" : String.format(Locale.ROOT, "r%05d", i);
      a.append(record(name, 100));
      b.append(record(name, 120));
      c.append(record(String.format(Locale.ROOT, "r%05d", i), 120)); // no "twice" at all
    }
    Path r1 = Files.writeString(dir.resolve("t_R1.fastq"), a, StandardCharsets.US_ASCII);
    Path r2 = Files.writeString(dir.resolve("t_R2.fastq"), b, StandardCharsets.US_ASCII);
    Path r2Other = Files.writeString(dir.resolve("o_R2.fastq"), c, StandardCharsets.US_ASCII);
    long[] starts1 = {0, offsets(a.toString()).get(1000)};
    assertThat(PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE)).isNull();
    assertThat(PairAnchors.find(opener(), input(r1), input(r2Other), starts1, PARSE)).isNull();
    long[] elsewhere = {0, offsets(a.toString()).get(500)};
    assertThat(PairAnchors.find(opener(), input(r1), input(r2), elsewhere, PARSE).starts2())
        .containsExactly(0, offsets(b.toString()).get(500));
  }

  /** Names of records 500 to 516 and 1000 to 1016 repeated alike, the others unique. */
  private static String repeatingName(int i) {
    if (i >= 500 && i < 500 + 17) {
      return "same" + (i - 500);
    }
    if (i >= 1000 && i < 1000 + 17) {
      return "same" + (i - 1000);
    }
    return String.format(Locale.ROOT, "r%05d", i);
  }

  @Test
  void aNameWhoseNeighboursDisagreeGivesNoAlignment() throws IOException {
    // Records 500 and 1000 alike, but not the records after them; R2's first half long reads, so
    // R1's record 1000 is estimated near R2's record 500, far from its mate.
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String name = i == 500 || i == 1000 ? "same" : String.format(Locale.ROOT, "r%05d", i);
      a.append(record(name, 100));
      b.append(record(name, i < 1000 ? 3000 : 10));
    }
    Path r1 = Files.writeString(dir.resolve("n_R1.fastq"), a, StandardCharsets.US_ASCII);
    Path r2 = Files.writeString(dir.resolve("n_R2.fastq"), b, StandardCharsets.US_ASCII);
    long[] starts1 = {0, offsets(a.toString()).get(1000)};
    assertThat(PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE)).isNull();
  }

  @Test
  void aRepeatedRunOfNamesThatMisleadsTheAlignmentFailsTheReadNamingTheWayOut() throws IOException {
    // The same, with the 16 records after records 500 and 1000 named alike too: the search then
    // takes R2's record 500 (the only one of that name within 1 MiB of the estimate), and the
    // task that reads the first stretches finds them unequal.
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      a.append(record(repeatingName(i), 100));
      b.append(record(repeatingName(i), i < 1000 ? 3000 : 10));
    }
    Path r1 = Files.writeString(dir.resolve("m_R1.fastq"), a, StandardCharsets.US_ASCII);
    Path r2 = Files.writeString(dir.resolve("m_R2.fastq"), b, StandardCharsets.US_ASCII);
    long[] starts1 = {0, offsets(a.toString()).get(1000)};
    PairAnchors.Result found = PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE);
    assertThat(found.starts2()).containsExactly(0, offsets(b.toString()).get(500));
    assertThatThrownBy(() -> readStretches(r1, r2, starts1, found.starts2()))
        .hasMessage(
            "Paired files "
                + r1
                + " and "
                + r2
                + " both hold 2000 records, but the task that read R1 from byte offset 0 and R2"
                + " from byte offset 0 found different numbers of records in them. Their ranges"
                + " were aligned at planning by the mates' names (pairAlignment=auto), and a name"
                + " near a range start repeats, or the files changed since the query was planned."
                + " Read them with pairAlignment=count, which counts the records instead.");
  }

  @Test
  void filesOfDifferentCountsFailNamingBothCountsAsWhenCounted() throws IOException {
    PairedFastq data = PairedFastq.generate(400, 9);
    Path r1 = Files.write(dir.resolve("d_R1.fastq"), data.r1Bytes());
    // R2 without its last record, or without one in the middle (the names disagree from there on,
    // but the counts are what a counted read reports first, so they are reported here too).
    for (int missing : new int[] {399, 200}) {
      List<String> records = new ArrayList<>(PairedFastq.records(data.r2()));
      records.remove(missing);
      Path r2 =
          Files.writeString(
              dir.resolve("d" + missing + "_R2.fastq"),
              String.join("", records),
              StandardCharsets.ISO_8859_1);
      long[] starts1 = {0, 4096, 8192, 16384};
      PairAnchors.Result found = PairAnchors.find(opener(), input(r1), input(r2), starts1, PARSE);
      assertThat(found).as("without record %d", missing).isNotNull();
      assertThatThrownBy(() -> readStretches(r1, r2, starts1, found.starts2()))
          .as("without record %d", missing)
          .hasMessageStartingWith(
              "Paired files have different record counts: "
                  + r1
                  + " has 400 records and "
                  + r2
                  + " has 399.");
    }
  }
}
