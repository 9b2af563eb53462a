/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.datasources.PartitionSpec;
import org.apache.spark.sql.execution.datasources.PartitioningUtils$;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Spark's own partition discovery ({@code PartitioningUtils.parsePartitions}, what its file index
 * calls) for Spark 4, whose Spark method also takes {@code
 * spark.sql.files.ignoreInvalidPartitionPaths}; the Spark 3.5 build has its own copy of this class.
 * Not part of the connector's API.
 */
final class SparkPartitioning {
  private SparkPartitioning() {}

  /**
   * The partition columns and values of {@code leafDirs} (the directories holding data files) under
   * {@code basePaths}, typed as Spark's file sources type them.
   *
   * @param userSchema the user's types of partition columns, or null
   */
  static PartitionSpec parse(
      List<Path> leafDirs, Set<Path> basePaths, StructType userSchema, String timeZoneId) {
    SQLConf conf = SQLConf.get();
    return PartitioningUtils$.MODULE$.parsePartitions(
        ScalaCollections.toSeq(leafDirs),
        conf.partitionColumnTypeInferenceEnabled(),
        ScalaCollections.toSet(basePaths),
        Option.apply(userSchema),
        conf.caseSensitiveAnalysis(),
        conf.validatePartitionColumns(),
        timeZoneId,
        conf.ignoreInvalidPartitionPaths());
  }
}
