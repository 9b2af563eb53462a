/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.types.StructType;
import scala.Option;

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
      scala.collection.immutable.Seq<FileStatus> files) {
    Optional<StructType> schema =
        inferSchema(ScalaCollections.asJava(options), ScalaCollections.asJava(files));
    return schema.isPresent() ? Option.apply(schema.get()) : Option.empty();
  }

  /** The schema of the given files, read with the given options. */
  protected abstract Optional<StructType> inferSchema(
      Map<String, String> options, List<FileStatus> files);
}
