/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.metrics.ReadMetric;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.ExplainMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code key=value} folders become partition columns, typed as Spark types them, and a filter on
 * them reads only the matching files, as with Spark's own file sources.
 */
class PartitionedLayoutTest {
  @TempDir static Path dir;
  private static Path runs;

  @BeforeAll
  static void writeLayout() throws Exception {
    runs = dir.resolve("runs");
    SparkReads.write(
        runs.resolve("sample=S1/lane=1/a.fastq"), "@a1\nACGT\n+\nIIII\n@a2\nAC\n+\nII\n");
    SparkReads.write(runs.resolve("sample=S1/lane=2/b.fastq"), "@b1\nA\n+\nI\n");
    SparkReads.write(
        runs.resolve("sample=S2/lane=1/c.fastq"), "@c1\nA\n+\nI\n@c2\nC\n+\nI\n@c3\nG\n+\nI\n");
    SparkReads.write(runs.resolve("sample=S2/lane=10/d.fastq"), "@d1\nGG\n+\nII\n");
    SparkReads.write(runs.resolve("sample=S2/_SUCCESS"), "not FASTQ\n");
  }

  /**
   * Every line prunes: 4.1+ from Catalyst filters, 3.5 and 4.0 from data source filters
   * (SourceFilterPruning).
   */
  static boolean prunes() {
    return true;
  }

  private static List<String> rows(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void foldersBecomeTypedColumns() {
    Dataset<Row> df = SparkReads.load(Map.of(), runs);
    StructType schema = df.schema();
    assertThat(schema.fieldNames())
        .containsExactly("name", "comment", "sequence", "quality", "sample", "lane");
    assertThat(schema.apply("sample").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(schema.apply("lane").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(rows(df.select("name", "sample", "lane")))
        .containsExactly(
            "[a1,S1,1]",
            "[a2,S1,1]",
            "[b1,S1,2]",
            "[c1,S2,1]",
            "[c2,S2,1]",
            "[c3,S2,1]",
            "[d1,S2,10]");
    // Partition columns alone, and beside metadata columns.
    assertThat(rows(df.select("lane").distinct())).containsExactly("[10]", "[1]", "[2]");
    assertThat(rows(df.where("name = 'd1'").select("lane", "_metadata.file_name")))
        .containsExactly("[10,d.fastq]");
  }

  @Test
  void filterOnPartitionColumnsReadsOnlyMatchingFiles() {
    Dataset<Row> df = SparkReads.load(Map.of(), runs).where("sample = 'S2' AND lane > 1");
    assertThat(rows(df.select("name", "lane"))).containsExactly("[d1,10]");
    String explain = df.queryExecution().explainString(ExplainMode.fromString("simple"));
    Dataset<Row> selected = SparkReads.load(Map.of(), runs).where("sample = 'S2' AND lane > 1");
    selected.collectAsList();
    if (prunes()) {
      assertThat(explain)
          .contains("PartitionFilters: [")
          .contains("(sample = 'S2')")
          .contains("(lane > 1)")
          .contains("1 file,");
      // Only d.fastq was read: one record, its 12 bytes.
      assertThat(ScanMetrics.sql(selected, ReadMetric.RECORDS)).isEqualTo(1);
      assertThat(ScanMetrics.sql(selected, ReadMetric.BYTES_READ)).isEqualTo(12);
    } else {
      assertThat(explain).contains("4 files,").doesNotContain("PartitionFilters");
      assertThat(ScanMetrics.sql(selected, ReadMetric.RECORDS)).isEqualTo(7);
    }
    // A filter on a data column is still Spark's, after the scan.
    Dataset<Row> mixed = SparkReads.load(Map.of(), runs).where("lane = 1 AND sequence = 'C'");
    assertThat(rows(mixed.select("name"))).containsExactly("[c2]");
    // A filter mixing a partition column with a data column prunes by its partition part only.
    Dataset<Row> either =
        SparkReads.load(Map.of(), runs).where("(lane = 2 AND name = 'b1') OR (lane = 10)");
    assertThat(rows(either.select("name"))).containsExactly("[b1]", "[d1]");
    // count() stays pushed into the scan and counts only the matching files.
    assertThat(SparkReads.load(Map.of(), runs).where("lane = 1").count()).isEqualTo(5);
    assertThat(SparkReads.load(Map.of(), runs).where("lane = 7").count()).isZero();
  }

  @Test
  void sqlOverAPartitionedLayout() {
    SparkReads.spark()
        .sql(
            "CREATE OR REPLACE TEMPORARY VIEW partitioned_reads USING `fastq-mmap` OPTIONS (path '"
                + runs
                + "')");
    Dataset<Row> df =
        SparkReads.spark()
            .sql(
                "SELECT sample, lane, count(*) AS n FROM partitioned_reads WHERE lane < 10"
                    + " GROUP BY sample, lane");
    assertThat(rows(df)).containsExactly("[S1,1,2]", "[S1,2,1]", "[S2,1,3]");
    assertThat(df.queryExecution().explainString(ExplainMode.fromString("simple")))
        .contains(prunes() ? "PartitionFilters: [" : "4 files,");
  }

  @Test
  void basePathKeepsTheUpperFolders() {
    Path s1 = runs.resolve("sample=S1");
    assertThat(SparkReads.load(Map.of(), s1).schema().fieldNames())
        .containsExactly("name", "comment", "sequence", "quality", "lane");
    Dataset<Row> df = SparkReads.load(Map.of("basePath", runs.toString()), s1);
    assertThat(rows(df.select("name", "sample", "lane")))
        .containsExactly("[a1,S1,1]", "[a2,S1,1]", "[b1,S1,2]");
    // A single file, and a glob, below the base path.
    assertThat(
            rows(
                SparkReads.load(Map.of("basePath", runs.toString()), s1.resolve("lane=2/b.fastq"))
                    .select("name", "sample", "lane")))
        .containsExactly("[b1,S1,2]");
    assertThat(
            rows(
                SparkReads.reader(Map.of("basePath", runs.toString()))
                    .load(runs + "/sample=*/lane=1")
                    .select("name", "sample", "lane")))
        .containsExactly("[a1,S1,1]", "[a2,S1,1]", "[c1,S2,1]", "[c2,S2,1]", "[c3,S2,1]");
  }

  @Test
  void wrongBasePathIsRefusedWithSparksMessage() {
    Path other = dir.resolve("other");
    assertThatThrownBy(
            () -> {
              java.nio.file.Files.createDirectories(other);
              SparkReads.load(Map.of("basePath", other.toString()), runs.resolve("sample=S1"));
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Wrong basePath "
                + other
                + " for the root path: file:"
                + runs.resolve("sample=S1").toAbsolutePath());
    assertThatThrownBy(
            () ->
                SparkReads.load(
                    Map.of("basePath", runs.resolve("sample=S1/lane=2/b.fastq").toString()),
                    runs.resolve("sample=S1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option 'basePath' must be a directory");
  }

  @Test
  void typeInferenceFollowsTheSessionConf() {
    String key = "spark.sql.sources.partitionColumnTypeInference.enabled";
    SparkReads.spark().conf().set(key, "false");
    try {
      StructType schema = SparkReads.load(Map.of(), runs).schema();
      assertThat(schema.apply("lane").dataType()).isEqualTo(DataTypes.StringType);
    } finally {
      SparkReads.spark().conf().unset(key);
    }
  }

  @Test
  void userSchemaTypesPartitionColumns() {
    Dataset<Row> df =
        SparkReads.spark()
            .read()
            .format("fastq-mmap")
            .schema("name STRING, comment STRING, sequence STRING, quality STRING, lane BIGINT")
            .load(runs.toString());
    assertThat(df.schema().apply("lane").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(df.schema().apply("sample").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(rows(df.where("lane = 10").select("name", "lane"))).containsExactly("[d1,10]");
    assertThatThrownBy(
            () ->
                SparkReads.spark()
                    .read()
                    .format("fastq-mmap")
                    .schema(
                        "name STRING, comment STRING, sequence STRING, quality STRING, flowcell"
                            + " STRING")
                    .load(runs.toString())
                    .schema())
        .hasMessage("FastqDataSource source does not support user-specified schema.");
  }

  @Test
  void recursiveFileLookupTurnsDiscoveryOff() {
    Dataset<Row> df = SparkReads.load(Map.of("recursiveFileLookup", "true"), runs);
    assertThat(df.schema().fieldNames()).containsExactly("name", "comment", "sequence", "quality");
    assertThat(df.count()).isEqualTo(7);
  }
}
