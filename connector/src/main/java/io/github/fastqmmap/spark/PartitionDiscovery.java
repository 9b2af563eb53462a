/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionPath;
import org.apache.spark.sql.execution.datasources.PartitionSpec;
import org.apache.spark.sql.types.StructType;

/**
 * Partition columns from {@code key=value} folders, as Spark's file sources find them: the base
 * paths are the {@code basePath} option or else the given paths (a file's folder for a file), the
 * folders holding files are parsed by Spark's own {@code PartitioningUtils} (type inference after
 * {@code spark.sql.sources.partitionColumnTypeInference.enabled}, a user schema's types for the
 * columns it names, the {@code timeZone} option for timestamps), and {@code recursiveFileLookup}
 * turns discovery off.
 */
final class PartitionDiscovery {
  private PartitionDiscovery() {}

  /** The partition columns (empty if none) and the files with their values. */
  record Discovered(StructType schema, List<FastqFile> files) {}

  /**
   * @param userSchema the user's types for partition columns (fields beyond FASTQ's), or null
   */
  static Discovered discover(
      FileLister.Listing listing,
      FastqOptions options,
      StructType userSchema,
      Configuration hadoopConf) {
    if (options.recursiveFileLookup() || listing.files().isEmpty()) {
      return new Discovered(new StructType(), listing.files());
    }
    Set<Path> leafDirs = new LinkedHashSet<>();
    for (FastqFile f : listing.files()) {
      leafDirs.add(new Path(f.uri).getParent());
    }
    PartitionSpec spec =
        SparkPartitioning.parse(
            new ArrayList<>(leafDirs),
            basePaths(listing, options, hadoopConf),
            userSchema == null || userSchema.isEmpty() ? null : userSchema,
            options.timeZone());
    StructType schema = spec.partitionColumns();
    if (schema.isEmpty()) {
      return new Discovered(schema, listing.files());
    }
    Map<Path, InternalRow> values = new HashMap<>();
    for (PartitionPath p : ScalaCollections.asJava(spec.partitions())) {
      values.put(p.path(), p.values());
    }
    List<FastqFile> files = new ArrayList<>(listing.files().size());
    for (FastqFile f : listing.files()) {
      files.add(f.withPartitionValues(values.get(new Path(f.uri).getParent())));
    }
    return new Discovered(schema, files);
  }

  /** Spark's base paths ({@code PartitioningAwareFileIndex.basePaths}), with its messages. */
  private static Set<Path> basePaths(
      FileLister.Listing listing, FastqOptions options, Configuration hadoopConf) {
    Set<Path> bases = new LinkedHashSet<>();
    if (options.basePath() == null) {
      for (Path root : listing.roots()) {
        bases.add(listing.rootFiles().contains(root) ? root.getParent() : root);
      }
      return bases;
    }
    Path base = new Path(options.basePath());
    try {
      FileSystem fs = base.getFileSystem(hadoopConf);
      if (!fs.getFileStatus(base).isDirectory()) {
        throw new IllegalArgumentException(
            "Option '" + FastqOptions.BASE_PATH.key() + "' must be a directory");
      }
      Path qualified = fs.makeQualified(base);
      for (Path root : listing.roots()) {
        if (!root.toString().startsWith(qualified.toString())) {
          throw new IllegalArgumentException(
              "Wrong basePath " + options.basePath() + " for the root path: " + root);
        }
      }
      bases.add(qualified);
      return bases;
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(
          "Option '" + FastqOptions.BASE_PATH.key() + "' must be a directory: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read basePath " + options.basePath() + ": " + e.getMessage(), e);
    }
  }
}
