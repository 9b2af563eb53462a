/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Option;
import scala.collection.Iterator;

/**
 * The part of Spark's {@link FileFormat} whose Java signature names a Scala collection type, which
 * differs between Scala 2.12 ({@code scala.collection.Seq}) and 2.13 ({@code
 * scala.collection.immutable.Seq}); each Scala build has its own copy of this class, and {@link
 * FastqFileFormat} sees Java types only. Not part of the connector's API.
 */
public abstract class ScalaFileFormat implements FileFormat {
  @Override
  public final Option<StructType> inferSchema(
      SparkSession session,
      scala.collection.immutable.Map<String, String> options,
      scala.collection.Seq<FileStatus> files) {
    Optional<StructType> schema =
        inferSchema(ScalaCollections.asJava(options), ScalaCollections.asJava(files));
    return schema.isPresent() ? Option.apply(schema.get()) : Option.empty();
  }

  /** The schema of the given files, read with the given options. */
  protected abstract Optional<StructType> inferSchema(
      Map<String, String> options, List<FileStatus> files);

  /**
   * Spark's V1 read entry point (direct file queries, catalog tables read as files): the filters
   * are only hints, which FASTQ has no use for, so the Java method does not take them.
   */
  @Override
  public final Function1<PartitionedFile, Iterator<InternalRow>> buildReader(
      SparkSession session,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      scala.collection.Seq<Filter> filters,
      scala.collection.immutable.Map<String, String> options,
      Configuration hadoopConf) {
    return buildReader(
        session,
        dataSchema,
        partitionSchema,
        requiredSchema,
        ScalaCollections.asJava(options),
        hadoopConf);
  }

  /** A reader of one split of a file, giving rows of {@code requiredSchema}. */
  protected abstract Function1<PartitionedFile, Iterator<InternalRow>> buildReader(
      SparkSession session,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      Map<String, String> options,
      Configuration hadoopConf);
}
