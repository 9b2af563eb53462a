/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.InsertableRelation;
import org.apache.spark.sql.sources.PrunedScan;
import org.apache.spark.sql.types.StructType;

/**
 * What a write through {@link FastqDataSource#createRelation} returns to Spark: the schema a read
 * of the written directory has, which Spark's catalog keeps for a {@code saveAsTable} table. Its
 * rows, if Spark ever asks, come from the same DSv2 scan as {@code
 * spark.read().format("fastq-mmap")}, pruned to the columns asked for; an insert writes through
 * {@link FastqFileFormat}. Catalog tables themselves are read by Spark 4 through the DSv2 table and
 * by Spark 3.5 through Spark's V1 file scan ({@link FastqFileFormat}).
 */
final class FastqCatalogRelation extends BaseRelation implements PrunedScan, InsertableRelation {
  private final SQLContext sqlContext;
  private final Map<String, String> options;
  private final StructType schema;

  FastqCatalogRelation(SQLContext sqlContext, Map<String, String> options, StructType schema) {
    this.sqlContext = sqlContext;
    this.options = options;
    this.schema = schema;
  }

  @Override
  public SQLContext sqlContext() {
    return sqlContext;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  /** The table's rows read by the DSv2 scan (its splitting, modes and metrics included). */
  @Override
  public RDD<Row> buildScan(String[] requiredColumns) {
    Dataset<Row> all =
        sqlContext.sparkSession().read().format(FastqDataSource.SHORT_NAME).options(options).load();
    Column[] columns = new Column[requiredColumns.length];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = functions.col("`" + requiredColumns[i].replace("`", "``") + "`");
    }
    return all.select(columns).rdd();
  }

  /** {@code INSERT INTO} adds part files; {@code INSERT OVERWRITE} replaces the directory's. */
  @Override
  public void insert(Dataset<Row> data, boolean overwrite) {
    data.write()
        .format(FastqDataSource.SHORT_NAME)
        .options(options)
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.Append)
        .save();
  }

  @Override
  public String toString() {
    return "FastqCatalogRelation " + options.get(FastqOptions.PATH.key());
  }
}
