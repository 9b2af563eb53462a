/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.Storage;
import io.github.fastqmmap.stream.Compression;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A file found at planning time: the file as inspected (where it is, how long, when modified, what
 * it holds, its BGZF index) and which hosts hold its blocks.
 */
final class FastqFile implements Serializable {
  private static final long serialVersionUID = 3L;

  /** The file as inspected; what the readers open. */
  final InputFile input;

  final String uri;
  final long length;
  final long modificationTime;
  final List<Block> blocks;

  /**
   * What the file's first bytes say it holds, or null when it was listed without being read (the
   * task that opens it tells; planning gives it one range).
   */
  final Compression compression;

  /**
   * The values of the partition columns (from its key=value folders, in the table's partition
   * schema order), or null when the table has none.
   */
  final InternalRow partitionValues;

  FastqFile(String uri, long length, long modificationTime, List<Block> blocks) {
    this(InputFile.plain(uri, length, modificationTime), blocks);
  }

  FastqFile(InputFile input, List<Block> blocks) {
    this(input, blocks, null);
  }

  private FastqFile(InputFile input, List<Block> blocks, InternalRow partitionValues) {
    this.partitionValues = partitionValues;
    this.input = input;
    this.uri = input.name();
    this.length = input.length();
    this.modificationTime = input.modificationTime();
    this.compression = input.compression();
    this.blocks = blocks;
  }

  /** Whether several ranges can read this file: it was inspected and its format allows it. */
  boolean splittable() {
    return compression != null && compression.splittable();
  }

  /** This file, inspected (its first bytes read, its BGZF index found) if it was not yet. */
  FastqFile inspected(Storage storage) {
    return input.isInspected()
        ? this
        : new FastqFile(input.inspected(storage), blocks, partitionValues);
  }

  /** This file with the values of its partition columns. */
  FastqFile withPartitionValues(InternalRow values) {
    return new FastqFile(input, blocks, values);
  }

  /**
   * The path as Spark's file sources give it in {@code _metadata.file_path} and {@code
   * input_file_name()}: Hadoop's form, {@code file:/tmp/x} for a local file where {@link #uri}
   * (what {@code _file} shows) is {@code file:///tmp/x}.
   */
  String sparkPath() {
    return uri.startsWith("file:///") ? "file:/" + uri.substring("file:///".length()) : uri;
  }

  /** Whether the file is on the local file system, where plain files are mapped. */
  boolean isLocal() {
    return uri.startsWith("file:");
  }

  /**
   * Whether a task reading this file needs the Hadoop configuration shipped to it: only for another
   * file system. Local files are mapped or read through their channel; a local bzip2 file is
   * decoded by Hadoop's codec with its default settings. Shipping it is a broadcast, which costs
   * every query some 45 ms on the driver.
   */
  boolean needsHadoopConf() {
    return !isLocal();
  }

  /** A file-system block and the hosts that store it. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final long offset;
    final long length;
    final String[] hosts;

    Block(long offset, long length, String[] hosts) {
      this.offset = offset;
      this.length = length;
      this.hosts = hosts;
    }
  }

  /**
   * The same file in the same state: same URI, length, modification time, content type and
   * partition values. Block locations are left out, as Spark's file index leaves them out of its
   * equality.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FastqFile f
        && uri.equals(f.uri)
        && length == f.length
        && modificationTime == f.modificationTime
        && compression == f.compression
        && Objects.equals(partitionValues, f.partitionValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, length, modificationTime, compression, partitionValues);
  }

  @Override
  public String toString() {
    return input.toString();
  }
}
