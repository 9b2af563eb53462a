/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.Validation;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.FastqMutator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutants of valid files read through Spark in every mode. Each file's rows equal what the
 * independent {@link ReferenceFastqParser} accepts: its items in PERMISSIVE (malformed stretches as
 * corrupt records with their raw bytes), its records in DROPMALFORMED, and in FAILFAST with {@code
 * ignoreCorruptFiles} the records of each range before its first malformed stretch. FAILFAST
 * without it fails with the connector's {@code FastqParseException} naming the file's URI and the
 * first malformed offset. Every query has a time limit; a hang fails the test and cancels the job.
 *
 * <p>"Whole" mutants are small files read as one range each, hundreds per query; "split" mutants
 * are larger files cut into one-page ranges. Split mutants that are ambiguous (the reference's
 * chain skips a record start) may fail with a boundary mismatch, so they are read one per query.
 */
class FuzzSparkIT {
  /**
   * The first mutant's seed (each run takes 3,400 from it on): {@code -Dfastqmmap.fuzz.sparkSeed=N}
   * fuzzes other mutants.
   */
  private static final long FIRST_SEED = Long.getLong("fastqmmap.fuzz.sparkSeed", 100_000);

  private static final int WHOLE_PER_CONFIG = 700;
  private static final int SPLIT_PER_CONFIG = 150;
  private static final int FAILFAST_SAMPLE = 100;
  private static final long QUERY_TIMEOUT_SECONDS = 180;

  /** Record options: four-line or wrapped, strict or basic. */
  private record Config(String name, boolean multiLine, boolean strict) {
    ParseOptions options(ParseMode mode) {
      return ParseOptions.builder()
          .multiLine(multiLine)
          .validation(strict ? Validation.STRICT : Validation.BASIC)
          .mode(mode)
          .build();
    }

    Map<String, String> sparkOptions(ParseMode mode) {
      Map<String, String> m = new HashMap<>();
      m.put("multiLine", Boolean.toString(multiLine));
      m.put("validation", strict ? "strict" : "basic");
      m.put("mode", mode.name());
      return m;
    }
  }

  private static final List<Config> CONFIGS =
      List.of(
          new Config("four-line-strict", false, true),
          new Config("four-line-basic", false, false),
          new Config("wrapped-strict", true, true),
          new Config("wrapped-basic", true, false));

  /** One mutant on disk, with the reference's parse of it. */
  private record Case(Path file, String what, byte[] bytes, ReferenceFastqParser.Result ref) {}

  private static Path root;
  private static ExecutorService queries;
  private static final Map<String, List<Case>> WHOLE = new LinkedHashMap<>();
  private static final Map<String, List<Case>> SPLIT = new LinkedHashMap<>();

  @BeforeAll
  static void writeMutants() throws IOException {
    root = Files.createTempDirectory("fastq-mmap-fuzz-");
    queries = Executors.newSingleThreadExecutor();
    List<byte[]> smallFourLine =
        List.of(
            FastqFileGenerator.builder(1).records(25).allTricky().generate().bytes(),
            FastqFileGenerator.builder(2)
                .records(20)
                .allTricky()
                .crlf(true)
                .finalNewline(false)
                .generate()
                .bytes());
    List<byte[]> smallWrapped =
        List.of(
            FastqFileGenerator.builder(3).records(20).allTricky().wrapWidth(7).generate().bytes(),
            FastqFileGenerator.builder(4)
                .records(12)
                .allTricky()
                .wrapWidth(3)
                .crlf(true)
                .blankTailLines(2)
                .generate()
                .bytes());
    byte[] largeFourLine =
        FastqFileGenerator.builder(5)
            .records(110)
            .allTricky()
            .readLengths(0, 60)
            .generate()
            .bytes();
    byte[] largeWrapped =
        FastqFileGenerator.builder(6)
            .records(90)
            .allTricky()
            .readLengths(0, 60)
            .wrapWidth(9)
            .generate()
            .bytes();
    long seed = FIRST_SEED;
    for (Config config : CONFIGS) {
      List<byte[]> bases = new ArrayList<>(smallFourLine);
      if (config.multiLine()) {
        bases.addAll(smallWrapped);
      }
      Path whole = Files.createDirectories(root.resolve("whole-" + config.name()));
      List<Case> cases = new ArrayList<>();
      for (int i = 0; i < WHOLE_PER_CONFIG; i++, seed++) {
        byte[] base = bases.get(i % bases.size());
        cases.add(write(whole, config, FastqMutator.mutate(base, seed, 3)));
      }
      WHOLE.put(config.name(), cases);
      Path split = Files.createDirectories(root.resolve("split-" + config.name()));
      List<Case> splitCases = new ArrayList<>();
      for (int i = 0; i < SPLIT_PER_CONFIG; i++, seed++) {
        byte[] base = config.multiLine() && i % 2 == 0 ? largeWrapped : largeFourLine;
        splitCases.add(write(split, config, FastqMutator.mutate(base, seed, 4)));
      }
      SPLIT.put(config.name(), splitCases);
    }
  }

  private static Case write(Path dir, Config config, FastqMutator.Mutant m) throws IOException {
    Path file = dir.resolve(String.format(Locale.ROOT, "m%06d.fastq", m.seed()));
    Files.write(file, m.bytes());
    ReferenceFastqParser.Result ref =
        ReferenceFastqParser.of(config.options(ParseMode.PERMISSIVE)).parse(m.bytes());
    return new Case(file, config.name() + ", " + m.description(), m.bytes(), ref);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    queries.shutdownNow();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A query that failed; the message holds every message of the cause chain. */
  private static final class QueryFailed extends Exception {
    private static final long serialVersionUID = 1L;

    QueryFailed(String what, Throwable cause) {
      super(what + ": " + SparkReads.messages(cause), cause);
    }
  }

  /** Runs a query with a time limit; a query that does not finish is a hang. */
  private static <T> T timed(String what, Supplier<T> query)
      throws QueryFailed, InterruptedException {
    Future<T> f = queries.submit(query::get);
    try {
      return f.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      SparkReads.spark().sparkContext().cancelAllJobs();
      throw new AssertionError(what + ": no answer in " + QUERY_TIMEOUT_SECONDS + " s (a hang)");
    } catch (ExecutionException e) {
      throw new QueryFailed(what, e.getCause());
    }
  }

  /** A row or an expected item as one comparable string. */
  private static String describe(Item item, byte[] bytes) {
    if (item instanceof Read r) {
      return r.offset()
          + " R "
          + r.name()
          + " | "
          + r.comment()
          + " | "
          + r.sequence()
          + " | "
          + r.quality();
    }
    Malformed m = (Malformed) item;
    int to = (int) m.end();
    while (to > m.offset() && (bytes[to - 1] == '\n' || bytes[to - 1] == '\r')) {
      to--;
    }
    return m.offset()
        + " M "
        + new String(bytes, (int) m.offset(), to - (int) m.offset(), StandardCharsets.ISO_8859_1);
  }

  private static String describe(Row r, boolean permissive) {
    if (permissive && !r.isNullAt(6)) {
      return r.getLong(1) + " M " + new String((byte[]) r.get(6), StandardCharsets.ISO_8859_1);
    }
    return r.getLong(1)
        + " R "
        + r.getString(2)
        + " | "
        + (r.isNullAt(3) ? null : r.getString(3))
        + " | "
        + r.getString(4)
        + " | "
        + r.getString(5);
  }

  /** Every file's rows, in offset order, by local path. */
  private static Map<Path, List<String>> rowsByFile(Dataset<Row> df, boolean permissive) {
    String[] columns =
        permissive
            ? new String[] {
              "_file",
              "_offset",
              "name",
              "comment",
              "sequence",
              "quality",
              "cast(_corrupt_record AS binary)"
            }
            : new String[] {"_file", "_offset", "name", "comment", "sequence", "quality"};
    Map<Path, List<String>> out = new TreeMap<>();
    List<Row> rows = df.selectExpr(columns).orderBy("_file", "_offset").collectAsList();
    for (Row r : rows) {
      Path file = Path.of(URI.create(URI.create(r.getString(0)).toASCIIString()));
      out.computeIfAbsent(file, k -> new ArrayList<>()).add(describe(r, permissive));
    }
    return out;
  }

  /** The items a mode returns for a file read as ranges {@code [k * split, (k + 1) * split)}. */
  private static List<String> expected(Case c, ParseMode mode, long split) {
    List<String> out = new ArrayList<>();
    long length = c.bytes().length;
    for (long s = 0; s < length; s += split) {
      for (Item i : c.ref().itemsOfRange(s, Math.min(length, s + split))) {
        if (i instanceof Malformed) {
          if (mode == ParseMode.FAILFAST) {
            break; // the range is skipped from here (ignoreCorruptFiles)
          }
          if (mode == ParseMode.DROPMALFORMED) {
            continue;
          }
        }
        out.add(describe(i, c.bytes()));
      }
    }
    return out;
  }

  private static void checkBatch(
      String what, Path dir, List<Case> cases, Config config, long split, Map<String, String> extra)
      throws Exception {
    for (ParseMode mode : ParseMode.values()) {
      Map<String, String> options = config.sparkOptions(mode);
      options.putAll(extra);
      if (mode == ParseMode.FAILFAST) {
        options.put("ignoreCorruptFiles", "true");
      }
      boolean permissive = mode == ParseMode.PERMISSIVE;
      String label = what + " " + config.name() + " " + mode;
      Map<Path, List<String>> actual =
          timed(label, () -> rowsByFile(SparkReads.load(options, dir), permissive));
      for (Case c : cases) {
        List<String> expected = expected(c, mode, split);
        assertThat(actual.getOrDefault(c.file(), List.of()))
            .as("%s: %s", label, c.what())
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void wholeFilesInEveryModeMatchTheReference() throws Exception {
    int files = 0;
    int malformedFiles = 0;
    long t0 = System.nanoTime();
    for (Config config : CONFIGS) {
      List<Case> cases = WHOLE.get(config.name());
      Path dir = cases.get(0).file().getParent();
      // Whole files, hundreds per task: one range each.
      checkBatch("whole", dir, cases, config, Long.MAX_VALUE, Map.of("openCostInBytes", "8192"));
      files += cases.size();
      malformedFiles += (int) cases.stream().filter(c -> !c.ref().malformed().isEmpty()).count();
    }
    System.out.printf(
        Locale.ROOT,
        "FuzzSparkIT: %d whole-file mutants (%d with malformed stretches) x 3 modes: %.1f s%n",
        files,
        malformedFiles,
        (System.nanoTime() - t0) / 1e9);
    assertThat(files).isEqualTo(CONFIGS.size() * WHOLE_PER_CONFIG);
    assertThat(malformedFiles).isGreaterThan(files / 2);
  }

  @Test
  void failFastNamesTheFileAndTheFirstMalformedOffset() throws Exception {
    long t0 = System.nanoTime();
    int failed = 0;
    int valid = 0;
    for (Config config : CONFIGS) {
      List<Case> cases = WHOLE.get(config.name());
      int sampled = 0;
      for (Case c : cases) {
        if (sampled++ >= FAILFAST_SAMPLE / CONFIGS.size()) {
          break;
        }
        List<Malformed> bad = c.ref().malformed();
        Map<String, String> options = config.sparkOptions(ParseMode.FAILFAST);
        if (bad.isEmpty()) {
          List<Read> reads =
              timed(c.what(), () -> SparkReads.reads(SparkReads.load(options, c.file())));
          assertThat(reads).as(c.what()).isEqualTo(c.ref().reads());
          valid++;
          continue;
        }
        String error = null;
        try {
          long n = timed(c.what(), () -> SparkReads.load(options, c.file()).count());
          assertThat(n).as("%s: expected a FAILFAST error, got rows", c.what()).isNegative();
        } catch (QueryFailed e) {
          error = e.getMessage();
        }
        assertThat(error)
            .as(c.what())
            .contains(
                "io.github.fastqmmap.parse.FastqParseException: Malformed FASTQ record in "
                    + SparkReads.fileUri(c.file())
                    + " at byte offset "
                    + bad.get(0).offset()
                    + ": ");
        failed++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "FuzzSparkIT: FAILFAST one file per query: %d failed as expected, %d valid: %.1f s%n",
        failed,
        valid,
        (System.nanoTime() - t0) / 1e9);
    assertThat(failed).isGreaterThan(FAILFAST_SAMPLE / 2);
  }

  @Test
  void onePageRangesOfLargerMutantsMatchTheReference() throws Exception {
    long t0 = System.nanoTime();
    int unambiguous = 0;
    int ambiguous = 0;
    int mismatches = 0;
    for (Config config : CONFIGS) {
      List<Case> cases = SPLIT.get(config.name());
      Path dir = cases.get(0).file().getParent();
      Path ambiguousDir = Files.createDirectories(root.resolve("ambiguous-" + config.name()));
      List<Case> clear = new ArrayList<>();
      for (Case c : cases) {
        if (c.ref().isUnambiguous()) {
          clear.add(c);
          continue;
        }
        // Moved aside: may fail the whole query with a boundary mismatch.
        Path moved = ambiguousDir.resolve(c.file().getFileName());
        Files.move(c.file(), moved);
        ambiguous++;
        Map<String, String> options = config.sparkOptions(ParseMode.PERMISSIVE);
        options.put("maxPartitionBytes", "4096");
        try {
          Map<Path, List<String>> rows =
              timed(c.what(), () -> rowsByFile(SparkReads.load(options, moved), true));
          Case at = new Case(moved, c.what(), c.bytes(), c.ref());
          assertThat(rows.getOrDefault(moved, List.of()))
              .as("ambiguous, read without error: %s", c.what())
              .isEqualTo(expected(at, ParseMode.PERMISSIVE, 4096));
        } catch (QueryFailed e) {
          assertThat(e.getMessage())
              .as(c.what())
              .contains(
                  "io.github.fastqmmap.parse.FastqParseException: Record boundary mismatch in "
                      + SparkReads.fileUri(moved)
                      + " at byte offset ");
          mismatches++;
        }
      }
      unambiguous += clear.size();
      checkBatch(
          "one-page",
          dir,
          clear,
          config,
          4096,
          Map.of("maxPartitionBytes", "4096", "openCostInBytes", "0"));
    }
    System.out.printf(
        Locale.ROOT,
        "FuzzSparkIT: one-page ranges: %d unambiguous mutants x 3 modes, %d ambiguous one by one"
            + " (%d boundary mismatches): %.1f s%n",
        unambiguous,
        ambiguous,
        mismatches,
        (System.nanoTime() - t0) / 1e9);
    assertThat(unambiguous).isGreaterThan(CONFIGS.size() * SPLIT_PER_CONFIG * 3 / 4);
  }
}
