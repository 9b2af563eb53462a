/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FastqcJobTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("FastqcJobTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void readsRowsUnlessTheOptionsNameColumnar() {
    assertThat(FastqcJob.rowsUnlessAsked(Map.of("mode", "PERMISSIVE")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("mode", "PERMISSIVE", "columnar", "false"));
    assertThat(FastqcJob.rowsUnlessAsked(Map.of("Columnar", "true")))
        .containsExactlyEntriesOf(Map.of("Columnar", "true"));
  }

  @Test
  void passOneReadsTheScansOwnRowsWhereColumnBatchesWouldBeConvertedBack() {
    int[] fields = new int[6];
    JavaRDD<InternalRow> rows =
        FastqcJob.scanRows(reads(FastqcJob.rowsUnlessAsked(Map.of())), fields);
    assertThat(parentOf(rows)).isInstanceOf(DataSourceRDD.class);
    assertThat(rows.count()).isEqualTo(2000);

    JavaRDD<InternalRow> converted =
        FastqcJob.scanRows(reads(Map.of("columnar", "true")), new int[6]);
    assertThat(parentOf(converted)).isNotInstanceOf(DataSourceRDD.class);
    assertThat(converted.count()).isEqualTo(2000);
  }

  /** The RDD under the scan's own metrics step: the scan's when the rows are the scan's. */
  private static RDD<?> parentOf(JavaRDD<InternalRow> rows) {
    return rows.rdd().dependencies().head().rdd();
  }

  private static Dataset<Row> reads(Map<String, String> options) {
    return spark
        .read()
        .format("fastq-mmap")
        .options(options)
        .load("data/sample.fastq")
        .select("_file", "_offset", "name", "comment", "sequence", "quality");
  }
}
