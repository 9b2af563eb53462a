/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.connector.catalog.SupportsMetadataColumns;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
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
final class FastqTable implements SupportsRead, SupportsWrite, SupportsMetadataColumns {
  private final FastqOptions options;
  private final Map<String, String> rawOptions;
  private final RuntimeException refusal;
  private final boolean listForSchema;
  private final Configuration hadoopConf;
  private final StructType schema;
  private List<FastqFile> files;

  FastqTable(FastqOptions options, Configuration hadoopConf) {
    this(options, hadoopConf, Map.of(), null, true);
  }

  /**
   * @param rawOptions the options as given, for writes into the table
   * @param refusal thrown when the table is read: the schema Spark gave does not fit FASTQ (a write
   *     gives the written DataFrame's schema and never reads)
   * @param listForSchema whether {@link #schema} lists the files: not while Spark's catalog creates
   *     the table, whose directory its first write makes
   */
  FastqTable(
      FastqOptions options,
      Configuration hadoopConf,
      Map<String, String> rawOptions,
      RuntimeException refusal,
      boolean listForSchema) {
    this.options = options;
    this.listForSchema = listForSchema;
    this.rawOptions = rawOptions;
    this.refusal = refusal;
    this.hadoopConf = hadoopConf;
    this.schema = FastqColumn.tableSchema(options.corruptColumn(), options.pairs());
  }

  /** The files, listed on first use. */
  synchronized List<FastqFile> files() {
    if (files == null) {
      files = FileLister.list(options, hadoopConf);
      if (options.paired()) {
        FilePairs.pair(files, options); // files without a mate fail at load()
      }
    }
    return files;
  }

  @Override
  public String name() {
    return FastqDataSource.SHORT_NAME + " " + options.paths();
  }

  @Override
  public StructType schema() {
    if (refusal != null) {
      throw refusal;
    }
    if (listForSchema) {
      files();
    } // a read resolves its files here, inside load()
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    // V1_BATCH_WRITE, not BATCH_WRITE: df.write().save(path) keeps falling back to
    // FastqDataSource.createRelation, and catalog writes reach it through FastqTableWrite.
    return EnumSet.of(
        TableCapability.BATCH_READ, TableCapability.V1_BATCH_WRITE, TableCapability.TRUNCATE);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    // Options were resolved when the table was loaded; Spark passes the same ones again here.
    return new FastqScanBuilder(options, files(), schema, hadoopConf);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new FastqTableWrite(rawOptions);
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
          FastqColumn.ORDINAL,
          "0-based ordinal of the record in its file (for pairs, of the pair), from a counting"
              + " pass at planning"),
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
