/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SQLAppStatusStore;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;
import org.apache.spark.sql.execution.ui.SQLPlanMetric;
import org.apache.spark.sql.execution.ui.SparkPlanGraphNode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What writing through Spark's file writer brings on every Spark line: partitionBy,
 * maxRecordsPerFile, the write metrics of the SQL tab, and catalog tables (saveAsTable, SQL over
 * them, INSERT INTO), with what differs between lines asserted per line (README, "Compatibility").
 */
class LineWriteTest {
  @TempDir static Path dir;

  private static final StructType SCHEMA =
      new StructType()
          .add("sample", DataTypes.StringType)
          .add("name", DataTypes.StringType)
          .add("comment", DataTypes.StringType)
          .add("sequence", DataTypes.StringType)
          .add("quality", DataTypes.StringType);

  /** The Spark line the test runs on: "3.5", "4.0", "4.1", "4.2". */
  private static String line() {
    String[] v = SparkReads.spark().version().split("\\.");
    return v[0] + "." + v[1];
  }

  /** Rows r0..r(n-1); sample a for even, b for odd; one partition. */
  private static Dataset<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          RowFactory.create(
              i % 2 == 0 ? "a" : "b", "r" + i, i % 3 == 0 ? null : "c" + i, "ACGT", "IIII"));
    }
    return SparkReads.spark().createDataFrame(rows, SCHEMA).repartition(1);
  }

  private static List<String> parts(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("part-") && !n.endsWith(".gzi"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> names(Dataset<Row> df) {
    return df.select("name").collectAsList().stream()
        .map(r -> r.getString(0))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void partitionByWritesOneDirectoryPerValue() throws IOException {
    Path out = dir.resolve("by-sample");
    rows(20)
        .write()
        .format("fastq-mmap")
        .option("compression", "bgzf")
        .partitionBy("sample")
        .save(out.toString());
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(parts(out.resolve("sample=a"))).singleElement().asString().endsWith(".fastq.bgz");
    // Its index travels with it through the commit into the partition directory.
    String partA = parts(out.resolve("sample=a")).get(0);
    assertThat(out.resolve("sample=a").resolve(partA + ".gzi")).isRegularFile();
    List<String> a =
        SparkReads.reads(SparkReads.load(Map.of(), out.resolve("sample=a"))).stream()
            .map(r -> r.name() + "|" + r.comment())
            .sorted()
            .toList();
    assertThat(a).hasSize(10).contains("r0|null", "r2|c2", "r18|null");
    assertThat(names(SparkReads.load(Map.of(), out.resolve("sample=b"))))
        .hasSize(10)
        .contains("r1", "r19");
  }

  @Test
  void maxRecordsPerFileSplitsAndRowErrorsCountOverTheTask() throws IOException {
    Path out = dir.resolve("split");
    rows(35)
        .write()
        .format("fastq-mmap")
        .option("maxRecordsPerFile", "10")
        .option("compression", "gzip")
        .save(out.toString());
    assertThat(parts(out))
        .hasSize(4)
        .allMatch(n -> n.matches("part-00000-.*-c00[0-3]\\.fastq\\.gz"));
    assertThat(SparkReads.load(Map.of(), out).count()).isEqualTo(35);

    Dataset<Row> bad =
        rows(35)
            .selectExpr(
                "sample",
                "name",
                "comment",
                "IF(name = 'r24', 'AC GT', sequence) AS sequence",
                "quality");
    Path failed = dir.resolve("split-bad");
    assertThatThrownBy(
            () ->
                bad.write()
                    .format("fastq-mmap")
                    .option("maxRecordsPerFile", "10")
                    .save(failed.toString()))
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Cannot write row 25 of write task 0 (read 'r24') as FASTQ")
                    .contains("nothing of this write is committed"));
    if (Files.exists(failed)) {
      assertThat(parts(failed)).isEmpty();
    }
  }

  @Test
  void writeMetricsAreSparksFileWriteMetrics() throws Exception {
    SparkSession spark = SparkReads.spark();
    Path out = dir.resolve("metrics");
    rows(30).write().format("fastq-mmap").option("maxRecordsPerFile", "20").save(out.toString());
    spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
    SQLAppStatusStore store = SparkSessions.sharedState(spark).statusStore();
    Map<String, String> shown = null;
    List<SQLExecutionUIData> executions = ScalaCollections.asJava(store.executionsList());
    for (int i = executions.size() - 1; i >= 0 && shown == null; i--) {
      long id = executions.get(i).executionId();
      for (SparkPlanGraphNode node : ScalaCollections.asJava(store.planGraph(id).allNodes())) {
        if (node.name().contains("InsertIntoHadoopFsRelationCommand")) {
          Map<Object, String> values = ScalaCollections.asJava(store.executionMetrics(id));
          shown = new HashMap<>();
          for (SQLPlanMetric m : ScalaCollections.asJava(node.metrics())) {
            shown.put(m.name(), values.get(m.accumulatorId()));
          }
        }
      }
    }
    assertThat(shown).as("the write's SQL metrics").isNotNull();
    assertThat(shown.get("number of written files")).isEqualTo("2");
    assertThat(shown.get("number of output rows")).isEqualTo("30");
    assertThat(shown.get("written output")).isNotBlank();
  }

  @Test
  void catalogTablesPerLine() {
    SparkSession spark = SparkReads.spark();
    Path location = dir.resolve("table");
    rows(12)
        .drop("sample")
        .write()
        .format("fastq-mmap")
        .option("path", location.toString())
        .saveAsTable("fastq_line_table");
    try {
      assertThat(spark.table("fastq_line_table").count()).isEqualTo(12);
      assertThat(
              spark
                  .sql("SELECT count(*) FROM fastq_line_table WHERE comment IS NULL")
                  .first()
                  .getLong(0))
          .isEqualTo(4);
      spark.sql(
          "INSERT INTO fastq_line_table SELECT 'x1', NULL, 'AC', 'II' UNION ALL"
              + " SELECT 'x2', 'c', 'G', 'I'");
      assertThat(spark.table("fastq_line_table").count()).isEqualTo(14);
      assertThat(SparkReads.load(Map.of(), location).count()).isEqualTo(14);
      // What SQL sees of a catalog table differs: Spark 3.5 reads it through its V1 file scan
      // (FastqFileFormat), without the DSv2 metadata columns; Spark 4 through the DSv2 table.
      if (line().equals("3.5")) {
        assertThatThrownBy(() -> spark.sql("SELECT _file FROM fastq_line_table").collectAsList())
            .satisfies(
                t ->
                    assertThat(SparkReads.messages(t))
                        .contains("UNRESOLVED_COLUMN")
                        .contains("_file"));
      } else {
        assertThat(spark.sql("SELECT DISTINCT _file FROM fastq_line_table").collectAsList())
            .isNotEmpty()
            .allMatch(r -> r.getString(0).contains("/part-"));
      }
      // A table over files written before, by SQL alone.
      spark.sql(
          "CREATE TABLE fastq_line_location USING `fastq-mmap` LOCATION '"
              + location.toUri()
              + "'");
      assertThat(spark.sql("SELECT count(*) FROM fastq_line_location").first().getLong(0))
          .isEqualTo(14);
      spark.sql("INSERT OVERWRITE fastq_line_location SELECT 'y', NULL, 'A', 'I'");
      assertThat(spark.table("fastq_line_location").selectExpr("name").collectAsList())
          .extracting(r -> r.getString(0))
          .containsExactly("y");
    } finally {
      spark.sql("DROP TABLE IF EXISTS fastq_line_table");
      spark.sql("DROP TABLE IF EXISTS fastq_line_location");
    }
  }
}
