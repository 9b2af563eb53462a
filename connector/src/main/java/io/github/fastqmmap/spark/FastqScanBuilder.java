/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a scan of only the columns a query needs. A bare {@code COUNT(*)} (what {@code count()}
 * asks) is counted inside the scan: every record is still parsed and checked, but no row is built
 * per record; each task returns its count and Spark adds them up.
 */
final class FastqScanBuilder
    implements ScanBuilder,
        SupportsPushDownRequiredColumns,
        SupportsPushDownAggregates,
        CatalystFilterPushdown {
  private final FastqOptions options;
  private List<FastqFile> files;

  /** The table's partition columns (empty if none). */
  private StructType partitionSchema = new StructType();

  private List<Expression> partitionFilters = List.of();
  private final Configuration hadoopConf;
  private StructType readSchema;
  private boolean countOnly;

  FastqScanBuilder(
      FastqOptions options,
      List<FastqFile> files,
      StructType tableSchema,
      Configuration hadoopConf) {
    this.options = options;
    this.files = files;
    this.readSchema = tableSchema;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    // Spark may ask for some fields of _metadata only; the scan returns all of them (they cost a
    // few words per row) and says so in its read schema, which Spark then projects.
    StructField[] fields = requiredSchema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(FastqColumn.METADATA.defaultName())) {
        fields[i] =
            fields[i].copy(
                fields[i].name(), FastqColumn.METADATA.type(), false, fields[i].metadata());
      }
    }
    this.readSchema = new StructType(fields);
  }

  /** The table's partition columns, for partition pruning. */
  FastqScanBuilder partitionSchema(StructType schema) {
    this.partitionSchema = schema;
    return this;
  }

  /**
   * Filters on partition columns only choose the files to read (as Spark's file scans prune
   * partitions) and are not applied again; Spark applies the others to the rows.
   */
  @Override
  public List<Expression> pushCatalystFilters(List<Expression> filters) {
    PartitionPruning pruning = PartitionPruning.split(partitionSchema, filters);
    files = pruning.prune(files);
    partitionFilters = pruning.partitionFilters();
    return pruning.postScanFilters();
  }

  @Override
  public Predicate[] pushedFilters() {
    return new Predicate[0]; // no filter on the records' fields is pushed
  }

  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    AggregateFunc[] functions = aggregation.aggregateExpressions();
    if (aggregation.groupByExpressions().length != 0
        || functions.length != 1
        || !(functions[0] instanceof CountStar)) {
      return false;
    }
    readSchema = new StructType().add("count(*)", DataTypes.LongType, false);
    countOnly = true;
    return true;
  }

  @Override
  public Scan build() {
    return new FastqScan(
        options, files, readSchema, countOnly, hadoopConf, partitionSchema, partitionFilters);
  }
}
