/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.spark.SparkReads;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link HiveMetastoreIT}, once per session: a Spark session with Hive support whose
 * embedded Derby metastore and warehouse live in the given folder, so that a second JVM started on
 * the same folder sees what the first one created, as a restarted application would. Each figure is
 * one output line {@code RESULT key=value}, then {@code END}.
 *
 * <p>Arguments: phase ({@code create} or {@code reopen}), the metastore folder, the folder of the
 * external table's FASTQ files, one FASTQ file for the direct queries.
 */
public final class HiveMetastoreChild {
  private HiveMetastoreChild() {}

  private static void result(String key, Object value) {
    System.out.println("RESULT " + key + "=" + String.valueOf(value).replace('\n', '|'));
  }

  private static long count(SparkSession spark, String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  /** What every session asks of the tables: row counts, bases and the metadata column. */
  private static void query(SparkSession spark, String prefix) {
    Row reads =
        spark
            .sql(
                "SELECT count(*), sum(octet_length(sequence)), count(DISTINCT m.file_path),"
                    + " min(m.file_name), min(m.file_size), sum(agrees)"
                    // input_file_name() is not deterministic: Spark takes it in a projection only.
                    + " FROM (SELECT sequence, _metadata AS m,"
                    + " CAST(input_file_name() = _metadata.file_path AS INT) AS agrees FROM reads)")
            .first();
    result(prefix + "reads.count", reads.getLong(0));
    result(prefix + "reads.bases", reads.getLong(1));
    result(prefix + "reads.files", reads.getLong(2));
    result(prefix + "reads.firstFileName", reads.getString(3));
    result(prefix + "reads.minFileSize", reads.getLong(4));
    result(prefix + "reads.inputFileNameAgrees", reads.getLong(5));
    result(prefix + "long_reads.count", count(spark, "SELECT count(*) FROM long_reads"));
    result(
        prefix + "long_reads.minLength",
        spark.sql("SELECT min(octet_length(sequence)) FROM long_reads").first().getInt(0));
    result(
        prefix + "long_reads.inserted",
        count(spark, "SELECT count(*) FROM long_reads WHERE name LIKE 'inserted-%'"));
  }

  private static SparkSession session(Path metastore) {
    String derby = "jdbc:derby:;databaseName=" + metastore.resolve("metastore_db") + ";create=true";
    return SparkSession.builder()
        .master("local[2]")
        .appName("fastq-mmap hive metastore")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", metastore.resolve("warehouse").toUri().toString())
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", derby)
        // An empty Derby database gets the metastore schema on first use.
        .config("spark.hadoop.datanucleus.schema.autoCreateAll", "true")
        .config("spark.hadoop.hive.metastore.schema.verification", "false")
        .enableHiveSupport()
        .getOrCreate();
  }

  private static void directQuery(SparkSession spark, String key, String sql) {
    try {
      result(key + ".rows", count(spark, sql));
    } catch (Throwable t) {
      result(key + ".error", SparkReads.messages(t));
    }
  }

  public static void main(String[] args) throws Exception {
    String phase = args[0];
    Path metastore = Path.of(args[1]);
    Path tableDir = Path.of(args[2]);
    Path file = Path.of(args[3]);
    SparkSession spark = session(metastore);
    spark.sparkContext().setLogLevel("WARN");
    result("catalog", spark.conf().get("spark.sql.catalogImplementation"));
    if (phase.equals("create")) {
      spark.sql("CREATE TABLE reads USING `fastq-mmap` LOCATION '" + tableDir.toUri() + "'");
      // A table written by saveAsTable into a folder of its own, then appended to by SQL.
      spark
          .table("reads")
          .where("octet_length(sequence) >= 150")
          .write()
          .format("fastq-mmap")
          .option("path", metastore.resolve("long-reads").toUri().toString())
          .saveAsTable("long_reads");
      // A managed table (no path: the warehouse decides where it goes).
      try {
        spark.table("reads").limit(5).write().format("fastq-mmap").saveAsTable("managed_reads");
        result("managed.rows", count(spark, "SELECT count(*) FROM managed_reads"));
      } catch (Throwable t) {
        result("managed.error", SparkReads.messages(t));
      }
      spark.sql(
          "INSERT INTO long_reads SELECT 'inserted-1', NULL, '"
              + "A".repeat(150)
              + "', '"
              + "I".repeat(150)
              + "' UNION ALL SELECT 'inserted-2', 'c', '"
              + "C".repeat(200)
              + "', '"
              + "J".repeat(200)
              + "'");
    }
    query(spark, phase + ".");
    List<Row> tables = spark.sql("SHOW TABLES").collectAsList();
    result(
        "tables",
        String.join(",", tables.stream().map(r -> r.getString(1)).sorted().toArray(String[]::new)));
    if (phase.equals("reopen")) {
      result("reopen.managed.rows", count(spark, "SELECT count(*) FROM managed_reads"));
    }
    for (String table : new String[] {"reads", "long_reads", "managed_reads"}) {
      result(table + ".type", spark.catalog().getTable(table).tableType());
      for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList()) {
        if (r.getString(0).equals("_metadata")) {
          result(table + ".metadataType", r.getString(1));
        }
        if (r.getString(0).equals("Type")) {
          result(table + ".describeType", r.getString(1));
        }
        if (r.getString(0).equals("Provider")) {
          result(table + ".provider", r.getString(1));
        }
      }
    }
    String uri = file.toUri().toString();
    directQuery(spark, "direct.shortName", "SELECT count(*) FROM `fastq-mmap`.`" + uri + "`");
    directQuery(
        spark,
        "direct.fileFormat",
        "SELECT count(*) FROM `io.github.fastqmmap.spark.FastqFileFormat`.`" + uri + "`");
    if (phase.equals("reopen")) {
      // What DROP TABLE does to the files of a table created over them.
      spark.sql("DROP TABLE reads");
      result("dropped.fileExists", java.nio.file.Files.exists(file));
      // ... and to a managed table's, in the warehouse.
      Path managed = metastore.resolve("warehouse").resolve("managed_reads");
      result("managed.existedBeforeDrop", java.nio.file.Files.exists(managed));
      spark.sql("DROP TABLE managed_reads");
      result("managed.existsAfterDrop", java.nio.file.Files.exists(managed));
    }
    System.out.println("END");
    spark.stop();
    System.exit(0);
  }
}
