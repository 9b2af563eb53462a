/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.connector.catalog.SupportsMetadataColumns;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The FASTQ files of one {@code load()}: their schema, metadata columns and scans.
 *
 * <p>Spark creates the table for writes too ({@code df.write().format("fastq-mmap").save(dir)} asks
 * for it before it falls back to the data source's save), when the output directory may not exist
 * yet. So the files are listed when Spark first asks for the schema, which a read does inside
 * {@code load()} and a write never does: a missing input path still fails at {@code load()}.
 */
final class FastqTable implements SupportsRead, SupportsMetadataColumns {
  private final FastqOptions options;
  private final Configuration hadoopConf;
  private final StructType schema;
  private List<FastqFile> files;

  FastqTable(FastqOptions options, Configuration hadoopConf) {
    this.options = options;
    this.hadoopConf = hadoopConf;
    this.schema = FastqColumn.tableSchema(options.corruptColumn());
  }

  /** The files, listed on first use. */
  synchronized List<FastqFile> files() {
    if (files == null) {
      files = FileLister.list(options, hadoopConf);
    }
    return files;
  }

  @Override
  public String name() {
    return FastqDataSource.SHORT_NAME + " " + options.paths();
  }

  @Override
  public StructType schema() {
    files(); // a read resolves its files here, inside load()
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    // Options were resolved when the table was loaded; Spark passes the same ones again here.
    return new FastqScanBuilder(options, files(), schema, hadoopConf);
  }

  @Override
  public MetadataColumn[] metadataColumns() {
    return new MetadataColumn[] {
      new Metadata(FastqColumn.FILE, "URI of the file the record was read from"),
      new Metadata(
          FastqColumn.OFFSET,
          "byte offset of the record's '@' in its file (uncompressed for gzip and bzip2, the"
              + " virtual offset for BGZF)"),
      new Metadata(
          FastqColumn.METADATA,
          "Spark's file metadata: file_path, file_name, file_size, file_block_start,"
              + " file_block_length (the byte range the task read) and file_modification_time")
    };
  }

  private static final class Metadata implements MetadataColumn {
    private final FastqColumn column;
    private final String comment;

    Metadata(FastqColumn column, String comment) {
      this.column = column;
      this.comment = comment;
    }

    @Override
    public String name() {
      return column.defaultName();
    }

    @Override
    public DataType dataType() {
      return column.type();
    }

    @Override
    public boolean isNullable() {
      return false;
    }

    @Override
    public String comment() {
      return comment;
    }
  }
}
