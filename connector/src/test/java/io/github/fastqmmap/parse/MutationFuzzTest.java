/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.FastqMutator;
import io.github.fastqmmap.testing.MemoryByteSource;
import io.github.fastqmmap.testing.RangeCuts;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the Spark-free reader: thousands of mutations of valid files (byte flips,
 * deleted, duplicated and swapped lines, inserted '@' and '+' lines, NUL and non-ASCII bytes,
 * truncation) read in every mode, as one range and as many, from memory and from a mapped file.
 * Each run either returns exactly what the independent {@link ReferenceFastqParser} says, or fails
 * with the reader's own {@link FastqParseException} naming file and offset; never another exception
 * type, and never longer than {@link #CASE_LIMIT} per case.
 *
 * <p>The expected outcome of one range {@code [s, e)}, given the reference's sequential chain: a
 * range whose predecessors all ended normally starts on that chain (by induction from offset 0), so
 * it returns the chain's items in {@code [chainStart(s), chainStart(e))} (records only in
 * DROPMALFORMED; in FAILFAST the records before the first malformed stretch, then the error at that
 * stretch's offset). It may instead stop with a boundary mismatch only if the file is ambiguous and
 * the record start at {@code e} is one the chain skips. After a range that failed, the next one may
 * start off the chain (only in ambiguous files) and must only fail cleanly or succeed.
 */
class MutationFuzzTest {
  /** Mutants per run; {@code -Dfastqmmap.fuzz.cases=N} runs more. */
  private static final int CASES = Integer.getInteger("fastqmmap.fuzz.cases", 1500);

  /** Time allowed for one case (every mode and every cut of one mutant). */
  private static final Duration CASE_LIMIT = Duration.ofSeconds(20);

  private static final ParseMode[] MODES = ParseMode.values();

  @TempDir Path dir;

  /** The valid files that get damaged, and whether each is wrapped. */
  private record Base(String label, byte[] bytes, boolean wrapped) {}

  private static List<Base> bases() {
    List<Base> out = new ArrayList<>();
    out.add(
        new Base(
            "tricky four-line",
            FastqFileGenerator.builder(1).records(25).allTricky().generate().bytes(),
            false));
    out.add(
        new Base(
            "tricky four-line CRLF, no final newline",
            FastqFileGenerator.builder(2)
                .records(20)
                .allTricky()
                .crlf(true)
                .finalNewline(false)
                .generate()
                .bytes(),
            false));
    out.add(
        new Base(
            "wrapped at 7",
            FastqFileGenerator.builder(3).records(20).allTricky().wrapWidth(7).generate().bytes(),
            true));
    out.add(
        new Base(
            "wrapped at 3, CRLF, blank tail",
            FastqFileGenerator.builder(4)
                .records(12)
                .allTricky()
                .wrapWidth(3)
                .crlf(true)
                .blankTailLines(2)
                .generate()
                .bytes(),
            true));
    out.add(
        new Base(
            "plain reads with a long one",
            FastqFileGenerator.builder(5)
                .records(12)
                .readLengths(30, 80)
                .longReads(0.1, 700)
                .qualityLinesStartingWith(0.2, 0.2)
                .generate()
                .bytes(),
            false));
    return out;
  }

  /** The record options a case is read with: wrapped bases only with multiLine. */
  private static ParseOptions optionsFor(long seed, boolean wrapped) {
    boolean multiLine = wrapped || seed % 3 == 0;
    boolean strict = (seed / 3) % 2 == 0;
    return ParseOptions.builder()
        .multiLine(multiLine)
        .validation(strict ? Validation.STRICT : Validation.BASIC)
        .maxRecordBytes(seed % 7 == 0 ? 600 : ParseOptions.DEFAULT_MAX_RECORD_BYTES)
        .build();
  }

  /** What was seen over a run, to show the fuzzing reached every outcome. */
  private static final class Tally {
    int cases;
    int unambiguous;
    int ambiguous;
    int withMalformed;
    int malformedErrors;
    int mismatchErrors;
    int rangesRead;
    long slowestCaseNanos;
    long slowestSeed;

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d cases (%d unambiguous, %d ambiguous, %d with malformed stretches), %d ranges read,"
              + " %d malformed-record errors, %d boundary-mismatch errors, slowest case %.1f ms"
              + " (seed %d)",
          cases,
          unambiguous,
          ambiguous,
          withMalformed,
          rangesRead,
          malformedErrors,
          mismatchErrors,
          slowestCaseNanos / 1e6,
          slowestSeed);
    }
  }

  @Test
  void seededMutationsEitherMatchTheReferenceOrFailCleanly() throws IOException {
    List<Base> bases = bases();
    Tally tally = new Tally();
    for (long seed = 0; seed < CASES; seed++) {
      Base base = bases.get((int) (seed % bases.size()));
      FastqMutator.Mutant mutant = FastqMutator.mutate(base.bytes(), seed, 3);
      ParseOptions options = optionsFor(seed, base.wrapped());
      String what = base.label() + ", " + mutant.description() + ", " + options;
      runCase(what, seed, mutant.bytes(), options, seed % 10 == 0, tally);
    }
    System.out.println("MutationFuzzTest: " + tally);
    assertThat(tally.cases).isEqualTo(CASES);
    // The mutants reach every outcome, so each rule above is exercised.
    assertThat(tally.unambiguous).isGreaterThan(CASES / 2);
    assertThat(tally.ambiguous).isPositive();
    assertThat(tally.withMalformed).isGreaterThan(CASES / 3);
    assertThat(tally.malformedErrors).isPositive();
    assertThat(tally.mismatchErrors).isPositive();
  }

  @Test
  void truncationAtEveryOffset() throws IOException {
    Tally tally = new Tally();
    for (Base base : bases().subList(0, 4)) {
      byte[] bytes = base.bytes();
      for (int cut = 0; cut <= bytes.length; cut++) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        // Strict and basic validation at alternate offsets: both meet every kind of position.
        ParseOptions options =
            ParseOptions.builder()
                .multiLine(base.wrapped())
                .validation(cut % 2 == 0 ? Validation.STRICT : Validation.BASIC)
                .build();
        runCase(
            base.label() + " truncated to " + cut + " bytes, " + options,
            cut,
            truncated,
            options,
            false,
            tally);
      }
    }
    System.out.println("MutationFuzzTest truncations: " + tally);
    assertThat(tally.withMalformed).isGreaterThan(tally.cases / 2);
  }

  /**
   * Cases that once failed, kept as regressions: each is a seed of {@link
   * #seededMutationsEitherMatchTheReferenceOrFailCleanly} with its base index.
   */
  @Test
  void regressionSeeds() throws IOException {
    List<Base> bases = bases();
    Tally tally = new Tally();
    long[] seeds = {};
    for (long seed : seeds) {
      Base base = bases.get((int) (seed % bases.size()));
      FastqMutator.Mutant mutant = FastqMutator.mutate(base.bytes(), seed, 3);
      runCase(
          mutant.description(),
          seed,
          mutant.bytes(),
          optionsFor(seed, base.wrapped()),
          true,
          tally);
    }
    assertThat(tally.cases).isEqualTo(seeds.length);
  }

  /** Reads one mutant in every mode with several cuts, under a time limit. */
  private void runCase(
      String what, long seed, byte[] data, ParseOptions record, boolean mapped, Tally tally)
      throws IOException {
    Path file = null;
    if (mapped) {
      file = dir.resolve("case-" + seed + ".fastq");
      Files.write(file, data);
    }
    Path mappedFile = file;
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(
        CASE_LIMIT,
        () -> checkCase(what, seed, data, record, mappedFile, tally),
        () -> "case took longer than " + CASE_LIMIT + ": " + what);
    long nanos = System.nanoTime() - t0;
    if (nanos > tally.slowestCaseNanos) {
      tally.slowestCaseNanos = nanos;
      tally.slowestSeed = seed;
    }
    if (file != null) {
      Files.delete(file);
    }
  }

  private static void checkCase(
      String what, long seed, byte[] data, ParseOptions record, Path mappedFile, Tally tally)
      throws IOException {
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(record).parse(data);
    tally.cases++;
    if (ref.isUnambiguous()) {
      tally.unambiguous++;
    } else {
      tally.ambiguous++;
    }
    if (!ref.malformed().isEmpty()) {
      tally.withMalformed++;
    }
    Random random = new Random(seed);
    List<long[]> cutSets = new ArrayList<>();
    cutSets.add(new long[] {0, data.length});
    cutSets.add(RangeCuts.ofSize(data.length, 37 + random.nextInt(200)));
    cutSets.add(RangeCuts.random(data.length, 6, random));
    int window = 1 + random.nextInt(random.nextBoolean() ? 16 : 400);
    for (ParseMode mode : MODES) {
      ParseOptions options = record.withMode(mode);
      for (long[] cuts : cutSets) {
        checkRanges(
            what + ", " + mode + ", window " + window + ", cuts " + Arrays.toString(cuts),
            ref,
            cuts,
            options,
            (s, e) ->
                new RecordReader(
                    new MemoryByteSource("fuzz.fastq", data, window, window < 64),
                    s,
                    e,
                    options,
                    new ParseCounters()),
            "fuzz.fastq",
            tally);
      }
      if (mappedFile != null) {
        MappingOptions mapping =
            MappingOptions.builder().windowBytes(MappedFile.pageSize()).prefetchBytes(0).build();
        checkRanges(
            what + ", " + mode + ", mapped",
            ref,
            cutSets.get(2),
            options,
            (s, e) ->
                FastqFiles.open(
                    mappedFile, s, e, options, mapping, new ParseCounters(), new MappingCounters()),
            mappedFile.toString(),
            tally);
      }
    }
  }

  @FunctionalInterface
  private interface Opener {
    RecordReader open(long start, long end) throws IOException;
  }

  private static void checkRanges(
      String what,
      ReferenceFastqParser.Result ref,
      long[] cuts,
      ParseOptions options,
      Opener opener,
      String name,
      Tally tally)
      throws IOException {
    boolean onChain = true; // every earlier range ended normally
    for (int k = 0; k + 1 < cuts.length; k++) {
      long s = cuts[k];
      long e = cuts[k + 1];
      String range = what + ", range [" + s + ", " + e + ")";
      List<Item> items = new ArrayList<>();
      FastqParseException error = null;
      try (RecordReader reader = opener.open(s, e)) {
        while (reader.next()) { // item by item: FAILFAST throws after some were returned
          items.add(
              reader.isMalformed()
                  ? new Malformed(
                      reader.malformedOffset(), reader.malformedOffset() + reader.malformedLength())
                  : RecordReaderOutput.toRead(reader.record()));
        }
      } catch (FastqParseException x) {
        error = x;
      } catch (Throwable x) {
        throw new AssertionError(range + ": unexpected " + stackTrace(x), x);
      }
      tally.rangesRead++;
      if (error != null) {
        assertThat(error.file()).as(range).isEqualTo(name);
        assertThat(error.getMessage())
            .as(range)
            .contains(" in " + name + " at byte offset " + error.offset());
        assertThat(error.offset()).as(range).isBetween(0L, (long) ref.bytes().length);
        if (error.getMessage().startsWith("Malformed FASTQ record")) {
          tally.malformedErrors++;
          assertThat(options.mode()).as(range).isEqualTo(ParseMode.FAILFAST);
        } else {
          tally.mismatchErrors++;
          assertThat(error.getMessage()).as(range).startsWith("Record boundary mismatch");
          assertThat(ref.isUnambiguous()).as(range + ": mismatch in an unambiguous file").isFalse();
          assertThat(ref.isRecordStart(error.offset())).as(range).isTrue();
        }
      }
      if (onChain) {
        checkOnChain(range, ref, s, e, options.mode(), items, error);
      }
      if (error != null) {
        onChain = ref.isUnambiguous(); // in an unambiguous file every range starts on the chain
      }
    }
  }

  /** The exact outcome of a range that starts on the reference's sequential chain. */
  private static void checkOnChain(
      String range,
      ReferenceFastqParser.Result ref,
      long s,
      long e,
      ParseMode mode,
      List<Item> items,
      FastqParseException error) {
    List<Item> owned = ref.itemsOfRange(s, e);
    List<Item> expected = new ArrayList<>();
    Malformed firstBad = null;
    for (Item i : owned) {
      if (i instanceof Malformed m) {
        if (mode == ParseMode.FAILFAST) {
          firstBad = m;
          break;
        }
        if (mode == ParseMode.DROPMALFORMED) {
          continue;
        }
      }
      expected.add(i);
    }
    assertThat(items).as(range + ": items").isEqualTo(expected);
    if (firstBad != null) {
      assertThat(error).as(range + ": expected a malformed-record error").isNotNull();
      assertThat(error.getMessage()).as(range).startsWith("Malformed FASTQ record in ");
      assertThat(error.offset()).as(range).isEqualTo(firstBad.offset());
    } else if (error != null) {
      assertThat(error.getMessage()).as(range).startsWith("Record boundary mismatch");
      long successor = ref.nextRecordStart(e);
      assertThat(error.offset()).as(range).isEqualTo(successor);
      assertThat(ref.unvisitedRecordStarts()).as(range).contains(successor);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
