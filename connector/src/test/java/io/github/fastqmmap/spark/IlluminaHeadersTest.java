/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code illuminaHeaders} splits Casava 1.8+ headers into typed columns, {@code filterFailedQc}
 * drops reads the instrument filtered, and a header of another format is malformed in every mode.
 */
class IlluminaHeadersTest {
  private static final String R1 =
      "@EAS139:136:FC706VJ:2:2104:15343:197393 1:Y:18:ATCACG\nACGT\n+\nIIII\n";
  private static final String R2 =
      "@EAS139:136:FC706VJ:2:2104:15343:197394 1:N:0:ATCACG+GTTTCG\nAC\n+\nII\n";
  private static final String R3 =
      "@M00123:7:000000000-A1B2C:1:1101:1:2 2:N:0:1 more words\nG\n+\nI\n";
  private static final String BAD =
      "@SRR001666.1 071112_SLXA-EAS1_s_7:5:1:817:345 length=36\nT\n+\nI\n";

  @TempDir static Path dir;
  private static Path good;
  private static Path mixed;

  @BeforeAll
  static void writeFiles() throws Exception {
    good = SparkReads.write(dir.resolve("good.fastq"), R1 + R2 + R3);
    mixed = SparkReads.write(dir.resolve("mixed.fastq"), R1 + R2 + BAD + R3);
  }

  private static List<String> rows(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void headersBecomeTypedColumns() {
    Dataset<Row> df = SparkReads.load(Map.of("illuminaHeaders", "true"), good);
    StructType schema = df.schema();
    assertThat(schema.fieldNames())
        .containsExactly(
            "name",
            "comment",
            "sequence",
            "quality",
            "instrument",
            "run",
            "flowcell",
            "lane",
            "tile",
            "x",
            "y",
            "read",
            "filtered",
            "control",
            "index");
    assertThat(schema.apply("run").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(schema.apply("filtered").dataType()).isEqualTo(DataTypes.BooleanType);
    assertThat(schema.apply("index").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(
            rows(
                df.select(
                    "instrument",
                    "run",
                    "flowcell",
                    "lane",
                    "tile",
                    "x",
                    "y",
                    "read",
                    "filtered",
                    "control",
                    "index")))
        .containsExactly(
            "[EAS139,136,FC706VJ,2,2104,15343,197393,1,true,18,ATCACG]",
            "[EAS139,136,FC706VJ,2,2104,15343,197394,1,false,0,ATCACG+GTTTCG]",
            "[M00123,7,000000000-A1B2C,1,1101,1,2,2,false,0,1]");
    // The record columns are unchanged.
    assertThat(rows(df.select("name", "comment")))
        .containsExactly(
            "[EAS139:136:FC706VJ:2:2104:15343:197393,1:Y:18:ATCACG]",
            "[EAS139:136:FC706VJ:2:2104:15343:197394,1:N:0:ATCACG+GTTTCG]",
            "[M00123:7:000000000-A1B2C:1:1101:1:2,2:N:0:1 more words]");
  }

  @Test
  void filterFailedQcDropsFilteredReads() {
    Dataset<Row> df = SparkReads.load(Map.of("filterFailedQc", "true"), good);
    assertThat(rows(df.select("sequence"))).containsExactly("[AC]", "[G]");
    assertThat(df.count()).isEqualTo(2); // the pushed-down count drops them too
    Dataset<Row> both =
        SparkReads.load(Map.of("filterFailedQc", "true", "illuminaHeaders", "true"), good);
    assertThat(rows(both.select("filtered").distinct())).containsExactly("[false]");
  }

  @Test
  void sql() {
    SparkReads.spark()
        .sql(
            "CREATE OR REPLACE TEMPORARY VIEW illumina_reads USING `fastq-mmap` OPTIONS (path '"
                + good
                + "', illuminaHeaders 'true')");
    assertThat(
            rows(
                SparkReads.spark()
                    .sql(
                        "SELECT lane, count(*), sum(CAST(filtered AS INT)) FROM illumina_reads"
                            + " GROUP BY lane ORDER BY lane")))
        .containsExactly("[1,1,0]", "[2,2,1]");
  }

  @Test
  void failFastNamesFileOffsetAndReason() {
    long offset = (R1 + R2).length();
    assertThatThrownBy(
            () -> SparkReads.load(Map.of("illuminaHeaders", "true"), mixed).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "Malformed FASTQ record in "
                            + SparkReads.fileUri(mixed)
                            + " at byte offset "
                            + offset
                            + ": malformed Illumina (Casava 1.8+) header: expected 7 fields"
                            + " separated by ':' in the read name"
                            + " (instrument:run:flowcell:lane:tile:x:y), found 1; the header"
                            + " reads \"@SRR001666.1 071112_SLXA-EAS1_s_7:5:1:817:345"
                            + " length=36\". Set illuminaHeaders=false and filterFailedQc=false"));
    assertThatThrownBy(
            () ->
                SparkReads.load(
                        Map.of("filterFailedQc", "true"),
                        SparkReads.write(
                            dir.resolve("bad-flag.fastq"), "@A:1:F:1:1:1:1 1:X:0:ACGT\nA\n+\nI\n"))
                    .count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(
                        "at byte offset 0: malformed Illumina (Casava 1.8+) header: the field"
                            + " 'filtered' must be Y or N, found 'X'"));
  }

  @Test
  void dropMalformedAndPermissive() {
    Dataset<Row> dropped =
        SparkReads.load(Map.of("illuminaHeaders", "true", "mode", "DROPMALFORMED"), mixed);
    assertThat(rows(dropped.select("sequence"))).containsExactly("[ACGT]", "[AC]", "[G]");
    Dataset<Row> kept =
        SparkReads.load(Map.of("illuminaHeaders", "true", "mode", "PERMISSIVE"), mixed);
    assertThat(rows(kept.select("lane", "_corrupt_record", "_offset")))
        .containsExactly(
            "[2,null,0]",
            "[2,null," + R1.length() + "]",
            "[null," + BAD + "," + (R1 + R2).length() + "]",
            "[1,null," + (R1 + R2 + BAD).length() + "]");
  }
}
