/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog tables in Spark's session catalog, on every line: a managed table ({@code saveAsTable}
 * without a path) lives in the warehouse and is dropped with its files; a table over a location is
 * external, and DESCRIBE TABLE EXTENDED and {@code spark.catalog().getTable()} say which.
 */
class CatalogTableTest {
  @TempDir static Path dir;

  private static Map<String, String> describe(SparkSession spark, String table) {
    Map<String, String> out = new HashMap<>();
    for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList()) {
      out.putIfAbsent(r.getString(0), r.isNullAt(1) ? null : r.getString(1));
    }
    return out;
  }

  @Test
  void managedTableWithoutPathLivesInTheWarehouse() throws Exception {
    SparkSession spark = SparkReads.spark();
    Path file =
        SparkReads.write(dir.resolve("in/reads.fastq"), "@a\nACGT\n+\nIIII\n@b x\nGG\n+\nII\n");
    spark.sql("DROP TABLE IF EXISTS fastq_managed");
    try {
      SparkReads.load(Map.of(), file).write().format("fastq-mmap").saveAsTable("fastq_managed");
      assertThat(spark.table("fastq_managed").count()).isEqualTo(2);
      assertThat(spark.sql("SELECT name FROM fastq_managed ORDER BY name").collectAsList())
          .extracting(r -> r.getString(0))
          .containsExactly("a", "b");
      assertThat(spark.catalog().getTable("fastq_managed").tableType()).isEqualTo("MANAGED");
      Map<String, String> d = describe(spark, "fastq_managed");
      assertThat(d).containsEntry("Type", "MANAGED").containsEntry("Provider", "fastq-mmap");
      String location = d.get("Location");
      assertThat(location).endsWith("/fastq_managed");

      Path stored = Path.of(new java.net.URI(location));
      assertThat(Files.list(stored).anyMatch(p -> p.getFileName().toString().startsWith("part-")))
          .isTrue();
      spark.sql("INSERT INTO fastq_managed SELECT 'c', NULL, 'A', 'I'");
      assertThat(spark.table("fastq_managed").count()).isEqualTo(3);
      // A managed table's files go with it.
      spark.sql("DROP TABLE fastq_managed");
      assertThat(Files.exists(stored)).isFalse();
    } finally {
      spark.sql("DROP TABLE IF EXISTS fastq_managed");
    }
  }

  @Test
  void tableOverALocationIsExternal() throws Exception {
    SparkSession spark = SparkReads.spark();
    Path file = SparkReads.write(dir.resolve("ext/reads.fastq"), "@a\nACGT\n+\nIIII\n");
    spark.sql("DROP TABLE IF EXISTS fastq_external");
    try {
      spark.sql(
          "CREATE TABLE fastq_external USING `fastq-mmap` LOCATION '"
              + file.getParent().toUri()
              + "'");
      assertThat(spark.table("fastq_external").count()).isEqualTo(1);
      assertThat(spark.catalog().getTable("fastq_external").tableType()).isEqualTo("EXTERNAL");
      Map<String, String> d = describe(spark, "fastq_external");
      assertThat(d).containsEntry("Type", "EXTERNAL").containsEntry("Provider", "fastq-mmap");
      assertThat(d.get("Location")).contains(file.getParent().toString());
      spark.sql("DROP TABLE fastq_external");
      assertThat(Files.exists(file)).isTrue();
    } finally {
      spark.sql("DROP TABLE IF EXISTS fastq_external");
    }
  }
}
