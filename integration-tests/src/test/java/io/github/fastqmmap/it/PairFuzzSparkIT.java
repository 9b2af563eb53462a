/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqMutator;
import io.github.fastqmmap.testing.PairOracle;
import io.github.fastqmmap.testing.PairOracle.Outcome;
import io.github.fastqmmap.testing.PairedFastq;
import io.github.fastqmmap.testing.PairedFastq.Pair;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutants of mate files and of interleaved files read as pairs through Spark in one-page
 * ranges, in every mode: the counting pass, each range's first ordinal in both files and the
 * pairing of ranges give exactly what {@link PairOracle}'s independent pairing of the reference
 * parser's items predicts for the whole files (pairs, malformed pairs, dropped pairs, "different
 * record counts"), or, in FAILFAST, fail where it predicts an error. Mutants whose record starts
 * are ambiguous (a split there may fail with a boundary mismatch by design) are left out.
 */
class PairFuzzSparkIT {
  /** Mutated pairs of files; {@code -Dfastqmmap.fuzz.sparkPairCases=N} runs more. */
  private static final int CASES = Integer.getInteger("fastqmmap.fuzz.sparkPairCases", 60);

  private static final Duration QUERY_LIMIT = Duration.ofSeconds(120);

  private static final ReferenceFastqParser REFERENCE =
      ReferenceFastqParser.of(ParseOptions.builder().mode(ParseMode.PERMISSIVE).build());

  private static final String[] COLUMNS = {
    "_ordinal",
    "name",
    "comment1",
    "sequence1",
    "quality1",
    "comment2",
    "sequence2",
    "quality2",
    "_corrupt_record"
  };

  @TempDir Path dir;

  @Test
  void mutatedMatesInOnePageRangesPairAsTheOraclePredicts() throws Exception {
    // About 12 KB of R1 and 16 KB of R2: three and four one-page ranges of different record counts.
    PairedFastq base = PairedFastq.generate(120, 23, 5, 40, 10, 60);
    Tally tally = new Tally();
    for (long seed = 0; seed < CASES; seed++) {
      PairedFastq.Mutated mutated = base.mutated(seed, 2);
      byte[] r1 = mutated.r1();
      byte[] r2 = mutated.r2();
      ReferenceFastqParser.Result ref1 = REFERENCE.parse(r1);
      ReferenceFastqParser.Result ref2 = REFERENCE.parse(r2);
      if (!ref1.isUnambiguous() || !ref2.isUnambiguous()) {
        tally.ambiguous++;
        continue;
      }
      Path caseDir = Files.createDirectories(dir.resolve("c" + seed));
      Path p1 = Files.write(caseDir.resolve("s_R1.fastq"), r1);
      Path p2 = Files.write(caseDir.resolve("s_R2.fastq"), r2);
      List<Item> items1 = ref1.items();
      List<Item> items2 = ref2.items();
      String uri1 = SparkReads.fileUri(p1);
      String uri2 = SparkReads.fileUri(p2);
      tally.add(
          check(
              mutated.description(),
              mode -> PairOracle.predict(items1, items2, mode, uri1, uri2),
              Map.of("paired", "true"),
              p1,
              p2));
    }
    tally.print("mutated pairs of files");
  }

  @Test
  void mutatedInterleavedFilesInOnePageRangesPairAsTheOraclePredicts() throws Exception {
    byte[] base = PairedFastq.generate(120, 24, 5, 40, 10, 60).interleavedBytes();
    Tally tally = new Tally();
    for (long seed = 0; seed < CASES; seed++) {
      FastqMutator.Mutant m = FastqMutator.mutate(base, seed, 2);
      ReferenceFastqParser.Result ref = REFERENCE.parse(m.bytes());
      if (!ref.isUnambiguous()) {
        tally.ambiguous++;
        continue;
      }
      Path file = Files.write(dir.resolve("i" + seed + ".fastq"), m.bytes());
      List<Item> items = ref.items();
      String uri = SparkReads.fileUri(file);
      tally.add(
          check(
              "seed " + seed + ", " + m.description(),
              mode -> PairOracle.predictInterleaved(items, mode, uri),
              Map.of("interleaved", "true"),
              file));
    }
    tally.print("mutated interleaved files");
  }

  /** What the queries of a test did. */
  private static final class Tally {
    int checked;
    int ambiguous;
    int failedAsPredicted;
    int withMalformedPairs;

    void add(Tally one) {
      checked++;
      failedAsPredicted += one.failedAsPredicted;
      withMalformedPairs += one.withMalformedPairs;
    }

    void print(String what) {
      System.out.printf(
          Locale.ROOT,
          "PairFuzzSparkIT: %d %s read in one-page ranges x 3 modes (%d left out as ambiguous);"
              + " %d queries failed as predicted, %d returned malformed pairs%n",
          checked,
          what,
          ambiguous,
          failedAsPredicted,
          withMalformedPairs);
      assertThat(checked).isGreaterThan(CASES / 2);
      assertThat(failedAsPredicted).isPositive();
      assertThat(withMalformedPairs).isPositive();
    }
  }

  /**
   * Reads {@code files} as pairs in one-page ranges in every mode and checks each query against the
   * oracle's outcome for that mode.
   */
  private static Tally check(
      String what, Function<ParseMode, Outcome> oracle, Map<String, String> layout, Path... files)
      throws Exception {
    Tally one = new Tally();
    for (ParseMode mode : ParseMode.values()) {
      Outcome expected = oracle.apply(mode);
      String label = what + ", " + mode;
      Map<String, String> options = new HashMap<>(layout);
      options.put("mode", mode.name());
      options.put("maxPartitionBytes", "4096");
      List<String> rows;
      try {
        rows = assertTimeoutPreemptively(QUERY_LIMIT, () -> pairs(options, files), label);
      } catch (Exception e) {
        String message = SparkReads.messages(e);
        assertThat(expected.error()).as("%s: failed with %s", label, message).isNotNull();
        if (expected.error().startsWith("Paired files have different record counts")
            || expected.error().startsWith("Interleaved file ")) {
          assertThat(message).as(label).contains(expected.error());
          if (expected.error().startsWith("Paired files")) {
            assertThat(message)
                .as(label)
                .contains("Record i of one is paired with record i of the other");
          }
        } else {
          assertThat(mode).as("%s: %s", label, message).isEqualTo(ParseMode.FAILFAST);
          assertThat(message)
              .as(label)
              .containsAnyOf(Arrays.stream(files).map(SparkReads::fileUri).toArray(String[]::new));
        }
        one.failedAsPredicted++;
        continue;
      }
      assertThat(expected.error()).as("%s: rows %s", label, rows).isNull();
      assertThat(rows).as(label).isEqualTo(expected.rows());
      if (rows.stream().anyMatch(r -> r.startsWith("malformed"))) {
        one.withMalformedPairs++;
      }
    }
    return one;
  }

  /** The pairs of a query, ordered by {@code _ordinal}, as {@link PairOracle} writes them. */
  private static List<String> pairs(Map<String, String> options, Path... files) {
    boolean permissive = ParseMode.PERMISSIVE.name().equals(options.get("mode"));
    String[] columns = permissive ? COLUMNS : Arrays.copyOf(COLUMNS, COLUMNS.length - 1);
    List<String> out = new ArrayList<>();
    for (Row r :
        SparkReads.load(options, files).selectExpr(columns).orderBy("_ordinal").collectAsList()) {
      if (permissive && !r.isNullAt(8)) {
        out.add("malformed " + r.getLong(0));
        continue;
      }
      out.add(
          PairOracle.row(
              r.getLong(0),
              new Pair(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  r.getString(7))));
    }
    return out;
  }
}
