/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code illuminaHeaders} and {@code filterFailedQc} on pairs, from R1/R2 files and from an
 * interleaved file: the read name's fields once (mate 1's, as {@code name}), each mate's comment
 * fields, at every split down to one page; a pair either of whose mates the instrument filtered is
 * dropped; a mate whose header is not Casava 1.8+ makes a malformed pair in every mode. The
 * expected values come from the generator's own fields, not from a parse.
 */
class PairedIlluminaHeadersTest {
  private static final int PAIRS = 800;

  /** Pair {@code BAD}'s mate 2 says 'X' where Y or N belongs, in the files of bad headers. */
  private static final int BAD = 500;

  @TempDir static Path dir;

  /** One pair as generated: the fields its headers were written from. */
  private record Fields(
      String name,
      String instrument,
      int run,
      String flowcell,
      int lane,
      int tile,
      int x,
      int y,
      String flag1,
      String flag2,
      int control,
      String index,
      String sequence1,
      String sequence2) {

    String header(int mate) {
      return "@"
          + name
          + " "
          + mate
          + ":"
          + (mate == 1 ? flag1 : flag2)
          + ":"
          + control
          + ":"
          + index
          + (mate == 1 ? " more words" : "");
    }

    boolean keptByFilter() {
      return flag1.equals("N") && flag2.equals("N");
    }

    /** The row of {@link #COLUMNS}. */
    String row() {
      return String.format(
          Locale.ROOT,
          "[%s,%s,%d,%s,%d,%d,%d,%d,1,%s,%d,%s,2,%s,%d,%s,%s,%s]",
          name,
          instrument,
          run,
          flowcell,
          lane,
          tile,
          x,
          y,
          flag1.equals("Y"),
          control,
          index,
          flag2.equals("Y"),
          control,
          index,
          sequence1,
          sequence2);
    }
  }

  private static final String[] COLUMNS = {
    "name",
    "instrument",
    "run",
    "flowcell",
    "lane",
    "tile",
    "x",
    "y",
    "read1",
    "filtered1",
    "control1",
    "index1",
    "read2",
    "filtered2",
    "control2",
    "index2",
    "sequence1",
    "sequence2"
  };

  private static final List<Fields> generated = new ArrayList<>();
  private static Path r1;
  private static Path r2;
  private static Path interleaved;
  private static Path badR1;
  private static Path badR2;
  private static Path badInterleaved;

  @BeforeAll
  static void writeFiles() throws IOException {
    Random random = new Random(20261204);
    String bases = "ACGTN";
    for (int i = 0; i < PAIRS; i++) {
      int lane = 1 + random.nextInt(8);
      int tile = 1101 + random.nextInt(20);
      int x = random.nextInt(30000);
      int y = random.nextInt(30000);
      String instrument = i % 3 == 0 ? "M00123" : "A01234";
      String flowcell = i % 3 == 0 ? "000000000-A1B2C" : "HXYZ3DSXY";
      // Illumina filters clusters, so both mates agree; a few pairs disagree on purpose.
      double f = random.nextDouble();
      String flag1 = f < 0.11 ? "Y" : "N";
      String flag2 = f < 0.10 || (f >= 0.11 && f < 0.13) ? "Y" : "N";
      String index = i % 2 == 0 ? "ATCACG+GTTTCG" : Integer.toString(1 + random.nextInt(24));
      generated.add(
          new Fields(
              String.format(
                  Locale.ROOT, "%s:%d:%s:%d:%d:%d:%d", instrument, 7, flowcell, lane, tile, x, y),
              instrument,
              7,
              flowcell,
              lane,
              tile,
              x,
              y,
              flag1,
              flag2,
              random.nextInt(2) * 18,
              index,
              bases(random, 20 + random.nextInt(180), bases),
              bases(random, 150 + random.nextInt(450), bases)));
    }
    r1 = SparkReads.write(dir.resolve("pairs/S1_R1_001.fastq"), mates(1, -1));
    r2 = SparkReads.write(dir.resolve("pairs/S1_R2_001.fastq"), mates(2, -1));
    interleaved = SparkReads.write(dir.resolve("interleaved.fastq"), interleaved(-1));
    badR1 = SparkReads.write(dir.resolve("bad/S1_R1_001.fastq"), mates(1, BAD));
    badR2 = SparkReads.write(dir.resolve("bad/S1_R2_001.fastq"), mates(2, BAD));
    badInterleaved = SparkReads.write(dir.resolve("bad-interleaved.fastq"), interleaved(BAD));
  }

  private static String bases(Random random, int length, String alphabet) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String record(Fields f, int mate, int bad) {
    String header = f.header(mate);
    if (mate == 2 && bad >= 0 && f == generated.get(bad)) {
      header = header.replace(" 2:" + f.flag2 + ":", " 2:X:");
    }
    String sequence = mate == 1 ? f.sequence1 : f.sequence2;
    return header + "\n" + sequence + "\n+\n" + "I".repeat(sequence.length()) + "\n";
  }

  private static String mates(int mate, int bad) {
    StringBuilder s = new StringBuilder();
    for (Fields f : generated) {
      s.append(record(f, mate, bad));
    }
    return s.toString();
  }

  private static String interleaved(int bad) {
    StringBuilder s = new StringBuilder();
    for (Fields f : generated) {
      s.append(record(f, 1, bad)).append(record(f, 2, bad));
    }
    return s.toString();
  }

  /** Where pair {@code k}'s mate 2 starts in the R2 file of bad headers. */
  private static long offsetInR2(int k) {
    long offset = 0;
    for (int i = 0; i < k; i++) {
      offset += record(generated.get(i), 2, -1).length();
    }
    return offset;
  }

  private static Dataset<Row> pairs(String layout, Map<String, String> options, boolean bad) {
    Map<String, String> o = new HashMap<>(options);
    if (layout.equals("interleaved")) {
      o.put("interleaved", "true");
      return SparkReads.load(o, bad ? badInterleaved : interleaved);
    }
    o.put("paired", "true");
    return bad ? SparkReads.load(o, badR1, badR2) : SparkReads.load(o, r1, r2);
  }

  private static List<String> rows(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).toList();
  }

  static Stream<Arguments> layoutsAndSplits() {
    List<Arguments> all = new ArrayList<>();
    for (String layout : List.of("R1 and R2", "interleaved")) {
      all.add(Arguments.of(layout, Map.of("maxPartitionBytes", "4096")));
      all.add(Arguments.of(layout, Map.of("maxPartitionBytes", "12288", "openCostInBytes", "0")));
      all.add(Arguments.of(layout, Map.of()));
    }
    return all.stream();
  }

  @Test
  void pairsHaveTheNameFieldsOnceAndEachMatesCommentFields() {
    StructType schema = pairs("R1 and R2", Map.of("illuminaHeaders", "true"), false).schema();
    assertThat(schema.fieldNames())
        .containsExactly(
            "name",
            "comment1",
            "sequence1",
            "quality1",
            "comment2",
            "sequence2",
            "quality2",
            "instrument",
            "run",
            "flowcell",
            "lane",
            "tile",
            "x",
            "y",
            "read1",
            "filtered1",
            "control1",
            "index1",
            "read2",
            "filtered2",
            "control2",
            "index2");
    assertThat(schema.apply("run").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(schema.apply("filtered2").dataType()).isEqualTo(DataTypes.BooleanType);
    assertThat(schema.apply("index2").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(schema.apply("read1").nullable()).isFalse();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("layoutsAndSplits")
  void headerFieldsOfBothMatesAtEverySplit(String layout, Map<String, String> split) {
    List<String> expected = generated.stream().map(Fields::row).toList();
    Map<String, String> options = new HashMap<>(split);
    options.put("illuminaHeaders", "true");
    Dataset<Row> df = pairs(layout, options, false);
    if (split.containsKey("maxPartitionBytes")) {
      assertThat(df.rdd().getNumPartitions()).isGreaterThan(10);
    }
    // Column batches (the default where they hold every column) and rows alike.
    for (String columnar : List.of("true", "false")) {
      options.put("columnar", columnar);
      Dataset<Row> read = pairs(layout, options, false).selectExpr(COLUMNS);
      assertThat(read.queryExecution().executedPlan().toString())
          .as("columnar=%s", columnar)
          .matches(columnar.equals("true") ? "(?s).*ColumnarToRow.*" : "(?s)((?!ColumnarToRow).)*");
      assertThat(rows(read)).as("columnar=%s", columnar).isEqualTo(expected);
    }
    // The comments keep the whole header's second half; the name has no /1 or /2.
    assertThat(df.select("comment1", "comment2").head().mkString("|"))
        .isEqualTo(
            generated.get(0).header(1).substring(generated.get(0).name().length() + 2)
                + "|"
                + generated.get(0).header(2).substring(generated.get(0).name().length() + 2));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("layoutsAndSplits")
  void filterFailedQcDropsAPairEitherOfWhoseMatesWasFiltered(
      String layout, Map<String, String> split) {
    List<String> kept = generated.stream().filter(Fields::keptByFilter).map(Fields::row).toList();
    assertThat(kept).hasSizeBetween(PAIRS * 8 / 10, PAIRS * 9 / 10);
    assertThat(generated.stream().filter(f -> !f.flag1.equals(f.flag2)).count())
        .as("pairs whose mates disagree")
        .isGreaterThan(10);
    Map<String, String> options = new HashMap<>(split);
    options.put("filterFailedQc", "true");
    assertThat(pairs(layout, options, false).count()).isEqualTo(kept.size());
    // Without the header columns: the pairs' own strings, read as column batches or as rows.
    for (String columnar : List.of("true", "false")) {
      options.put("columnar", columnar);
      assertThat(rows(pairs(layout, options, false).select("name", "sequence2")))
          .as("columnar=%s", columnar)
          .isEqualTo(
              generated.stream()
                  .filter(Fields::keptByFilter)
                  .map(f -> "[" + f.name() + "," + f.sequence2() + "]")
                  .toList());
    }
    options.remove("columnar");
    options.put("illuminaHeaders", "true");
    assertThat(rows(pairs(layout, options, false).selectExpr(COLUMNS))).isEqualTo(kept);
    assertThat(pairs(layout, options, false).count()).isEqualTo(kept.size());
  }

  @Test
  void aMateWithAnotherHeaderFailsNamingItsFileOffsetAndPair() {
    Fields bad = generated.get(BAD);
    String header = bad.header(2).substring(1).replace(" 2:" + bad.flag2() + ":", " 2:X:");
    assertThatThrownBy(
            () -> pairs("R1 and R2", Map.of("illuminaHeaders", "true"), true).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Malformed FASTQ record in "
                            + SparkReads.fileUri(badR2)
                            + " at byte offset "
                            + offsetInR2(BAD)
                            + ": malformed Illumina (Casava 1.8+) header: the field 'filtered'"
                            + " must be Y or N, found 'X'; the header reads \"@"
                            + header
                            + "\" (mate 2 of pair "
                            + BAD
                            + ", 0-based). Set illuminaHeaders=false and filterFailedQc=false to"
                            + " read headers of other formats, or set mode to DROPMALFORMED to"
                            + " skip such pairs or to PERMISSIVE to keep their text in the"
                            + " corrupt-record column."));
    assertThatThrownBy(() -> pairs("interleaved", Map.of("filterFailedQc", "true"), true).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(badInterleaved))
                    .contains("(mate 2 of pair " + BAD + ", 0-based)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void aMateWithAnotherHeaderIsDroppedOrKeptAsTextWithItsMate(String layout) {
    List<String> allButBad = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      if (i != BAD) {
        allButBad.add(generated.get(i).row());
      }
    }
    Map<String, String> drop =
        Map.of("illuminaHeaders", "true", "mode", "DROPMALFORMED", "maxPartitionBytes", "12288");
    Dataset<Row> dropped = pairs(layout, drop, true).selectExpr(COLUMNS);
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(() -> dropped.collectAsList());
    assertThat(rows(dropped)).isEqualTo(allButBad);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MALFORMED_RECORDS)).isEqualTo(1);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.DROPPED_RECORDS)).isEqualTo(1);
    assertThat(pairs(layout, drop, true).count()).isEqualTo(PAIRS - 1);

    Dataset<Row> permissive =
        pairs(
            layout,
            Map.of("illuminaHeaders", "true", "mode", "PERMISSIVE", "maxPartitionBytes", "12288"),
            true);
    List<Row> all =
        permissive.selectExpr("name", "read2", "_ordinal", "_corrupt_record").collectAsList();
    assertThat(all).hasSize(PAIRS);
    Row corrupt = all.get(BAD);
    assertThat(corrupt.isNullAt(0)).isTrue();
    assertThat(corrupt.isNullAt(1)).isTrue();
    assertThat(corrupt.getLong(2)).isEqualTo(BAD);
    Fields bad = generated.get(BAD);
    assertThat(corrupt.getString(3))
        .contains(bad.header(1) + "\n" + bad.sequence1())
        .contains(
            bad.header(2).replace(" 2:" + bad.flag2() + ":", " 2:X:") + "\n" + bad.sequence2());
    assertThat(all.get(BAD + 1).getString(0)).isEqualTo(generated.get(BAD + 1).name());
    assertThat(all.get(BAD + 1).isNullAt(3)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void withoutTheNameCheckMate2sWholeHeaderIsParsedToo(String layout) {
    Map<String, String> options =
        Map.of("illuminaHeaders", "true", "checkPairNames", "false", "maxPartitionBytes", "12288");
    assertThat(rows(pairs(layout, options, false).selectExpr(COLUMNS)))
        .isEqualTo(generated.stream().map(Fields::row).toList());
    assertThatThrownBy(() -> pairs(layout, options, true).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "malformed Illumina (Casava 1.8+) header: the field 'filtered' must be Y"
                            + " or N, found 'X'")
                    .contains("(mate 2 of pair " + BAD + ", 0-based)"));
  }

  static Stream<String> layouts() {
    return Stream.of("R1 and R2", "interleaved");
  }

  @Test
  void filesAreWhatTheTestsSayTheyAre() throws IOException {
    assertThat(Files.size(r1)).isNotEqualTo(Files.size(r2));
    assertThat(Files.readString(badR2)).contains(" 2:X:");
    assertThat(Files.readString(badR1)).doesNotContain(":X:");
  }
}
