/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.FastqMutator;
import io.github.fastqmmap.testing.PairOracle;
import io.github.fastqmmap.testing.PairOracle.Outcome;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.PairedFastq.Pair;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutants of mate files and of interleaved files read as pairs in every mode ({@link
 * PairReader}, whole files): the pairs, malformed pairs and errors are exactly what {@link
 * PairOracle}'s independent pairing of the reference parser's items predicts. Never another
 * exception type.
 */
class PairMutationFuzzTest {
  /** Mutated pairs of files per run; {@code -Dfastqmmap.fuzz.pairCases=N} runs more. */
  private static final int CASES = Integer.getInteger("fastqmmap.fuzz.pairCases", 600);

  @TempDir Path dir;

  @Test
  void mutatedMatesPairAsTheReferencePredictsOrFailCleanly() throws IOException {
    PairedFastq base = PairedFastq.generate(24, 17, 5, 40, 10, 60);
    // Read whole without a malformed pair, with malformed pairs, ended by different counts (all
    // in PERMISSIVE); in FAILFAST, ended by a malformed mate, by names that disagree.
    int[] outcomes = new int[5];
    for (long seed = 0; seed < CASES; seed++) {
      PairedFastq.Mutated mutated = base.mutated(seed, 2);
      byte[] r1 = mutated.r1();
      byte[] r2 = mutated.r2();
      String what = mutated.description();
      Path p1 = Files.write(dir.resolve("s" + seed + "_R1.fastq"), r1);
      Path p2 = Files.write(dir.resolve("s" + seed + "_R2.fastq"), r2);
      List<Item> items1 = PairOracle.items(r1);
      List<Item> items2 = PairOracle.items(r2);
      for (ParseMode mode : ParseMode.values()) {
        ParseOptions options = ParseOptions.builder().mode(mode).build();
        Outcome expected = PairOracle.predict(items1, items2, mode, p1.toString(), p2.toString());
        Outcome actual = read(p1, p2, options);
        assertThat(actual).as("%s, %s", what, mode).isEqualTo(expected);
        int kind = tally(expected, mode);
        if (kind >= 0) {
          outcomes[kind]++;
        }
      }
      Files.delete(p1);
      Files.delete(p2);
    }
    System.out.printf(
        "PairMutationFuzzTest: %d cases; in PERMISSIVE %d read whole without a malformed pair, %d"
            + " with malformed pairs, %d ended by different counts; in FAILFAST %d ended by a"
            + " malformed mate, %d by names that disagree%n",
        CASES, outcomes[0], outcomes[1], outcomes[2], outcomes[3], outcomes[4]);
    // The fuzzing reached every outcome.
    assertThat(outcomes).doesNotContain(0);
  }

  /**
   * One interleaved file: record {@code 2i} and {@code 2i + 1} are a pair, and a file with an odd
   * number of items fails, naming the last one.
   */
  @Test
  void mutatedInterleavedFilesPairAsTheReferencePredictsOrFailCleanly() throws IOException {
    byte[] base = PairedFastq.generate(24, 18, 5, 40, 10, 60).interleavedBytes();
    int odd = 0;
    int failed = 0;
    for (long seed = 0; seed < CASES; seed++) {
      FastqMutator.Mutant m = FastqMutator.mutate(base, seed, 2);
      Path file = Files.write(dir.resolve("i" + seed + ".fastq"), m.bytes());
      List<Item> items = PairOracle.items(m.bytes());
      for (ParseMode mode : ParseMode.values()) {
        Outcome expected = PairOracle.predictInterleaved(items, mode, file.toString());
        Outcome actual =
            read(
                () -> PairReader.interleaved(file, ParseOptions.builder().mode(mode).build(), true),
                file);
        assertThat(actual).as("seed %d, %s, %s", seed, m.description(), mode).isEqualTo(expected);
        if (mode == ParseMode.PERMISSIVE && expected.error() != null) {
          odd++;
        }
        if (mode == ParseMode.FAILFAST && expected.error() != null) {
          failed++;
        }
      }
      Files.delete(file);
    }
    System.out.printf(
        "PairMutationFuzzTest, interleaved: %d cases; %d with an odd number of records; %d failed"
            + " in FAILFAST%n",
        CASES, odd, failed);
    assertThat(odd).isPositive();
    assertThat(failed).isLessThan(CASES);
  }

  /** Which of the outcomes counted in the test this is, or -1. */
  private static int tally(Outcome o, ParseMode mode) {
    if (mode == ParseMode.PERMISSIVE) {
      if (o.error() != null) {
        return 2;
      }
      return o.rows().stream().anyMatch(r -> r.startsWith("malformed")) ? 1 : 0;
    }
    if (mode == ParseMode.FAILFAST && o.error() != null) {
      return o.error().startsWith("parse error") ? 3 : o.error().startsWith("Mates'") ? 4 : -1;
    }
    return -1;
  }

  /** How a case opens its reader. */
  private interface Opening {
    PairReader open() throws IOException;
  }

  /** What {@link PairReader} gives, in the terms of {@link #predict}. */
  private static Outcome read(Path r1, Path r2, ParseOptions options) throws IOException {
    return read(() -> PairReader.open(r1, r2, options, true), r1, r2);
  }

  /** The same for any reader; a names error must name {@code files}. */
  private static Outcome read(Opening opening, Path... files) throws IOException {
    List<String> rows = new ArrayList<>();
    try (PairReader p = opening.open()) {
      while (p.next()) {
        if (p.isMalformed()) {
          rows.add("malformed " + p.ordinal());
          continue;
        }
        rows.add(PairOracle.row(p.ordinal(), Pair.of(p.first(), p.second())));
      }
    } catch (FastqParseException e) {
      String message = e.getMessage();
      if (message.startsWith("Paired files have different record counts")) {
        return new Outcome(rows, message.substring(0, message.indexOf(". Record i")));
      }
      if (message.startsWith("Mates' names disagree in pair ")) {
        for (Path f : files) {
          assertThat(message).contains(f.toString());
        }
        assertThat(message).contains("Check that the files are mates");
        return new Outcome(rows, message.substring(0, message.indexOf(" (0-based)") + 10));
      }
      if (message.startsWith("Interleaved file ")) {
        return new Outcome(rows, message.substring(0, message.indexOf(" has no mate.") + 13));
      }
      assertThat(message).as("a parse error names its file").contains(e.file());
      return new Outcome(rows, PairOracle.parseError(e.file(), e.offset()));
    }
    return new Outcome(rows, null);
  }
}
