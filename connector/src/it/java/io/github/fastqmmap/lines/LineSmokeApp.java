/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.lines;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The application {@link SparkLineSubmitIT} submits: what a user of one Spark line does with the
 * connector jar alone. Reads a FASTQ file, queries it with SQL, counts, writes it as BGZF and reads
 * that back; prints one {@code RESULT key=value} line per answer, and exits non-zero when the
 * written copy differs from the input. Uses only Spark's public API, so that it runs on every line.
 *
 * <p>Arguments: input file, output directory.
 */
public final class LineSmokeApp {
  private LineSmokeApp() {}

  public static void main(String[] args) {
    String input = args[0];
    String output = args[1];
    SparkSession spark = SparkSession.builder().appName("fastq-mmap line smoke").getOrCreate();
    try {
      // Small splits, so that the read is cut into several ranges across the executors.
      Dataset<Row> reads =
          spark.read().format("fastq-mmap").option("maxPartitionBytes", "262144").load(input);
      System.out.println("RESULT spark=" + spark.version());
      System.out.println("RESULT partitions=" + reads.rdd().getNumPartitions());
      System.out.println("RESULT count=" + reads.count());
      reads.createOrReplaceTempView("reads");
      Row sql =
          spark
              .sql(
                  "SELECT count(*), sum(octet_length(sequence)), count(DISTINCT name) FROM reads"
                      + " WHERE octet_length(quality) = octet_length(sequence)")
              .first();
      System.out.println(
          "RESULT sql=" + sql.getLong(0) + "," + sql.getLong(1) + "," + sql.getLong(2));
      reads.write().format("fastq-mmap").option("compression", "bgzf").save(output);
      Dataset<Row> back = spark.read().format("fastq-mmap").load(output);
      String[] columns = {"name", "comment", "sequence", "quality"};
      long missing = reads.selectExpr(columns).exceptAll(back.selectExpr(columns)).count();
      long extra = back.selectExpr(columns).exceptAll(reads.selectExpr(columns)).count();
      long backCount = back.count();
      System.out.println("RESULT roundtrip=" + backCount + "," + missing + "," + extra);
      if (missing != 0 || extra != 0) {
        System.exit(3);
      }
    } finally {
      spark.stop();
    }
  }
}
