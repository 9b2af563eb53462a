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
import org.apache.spark.sql.errors.QueryExecutionErrors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
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

  /** The given schema's columns beyond FASTQ's: partition columns with the user's types. */
  private final StructType userPartitionSchema;

  private List<FastqFile> files;

  /** The partition columns found with the files (empty if none). */
  private StructType partitionSchema;

  /** The table's properties, as DESCRIBE TABLE EXTENDED shows them. */
  private final Map<String, String> properties;

  FastqTable(FastqOptions options, Configuration hadoopConf) {
    this(options, hadoopConf, Map.of(), null, true, new StructType(), Map.of());
  }

  /**
   * @param rawOptions the options as given, for writes into the table
   * @param refusal thrown when the table is read: the schema Spark gave does not fit FASTQ (a write
   *     gives the written DataFrame's schema and never reads)
   * @param listForSchema whether {@link #schema} lists the files: not while Spark's catalog creates
   *     the table, whose directory its first write makes
   * @param userPartitionSchema the given schema's columns beyond FASTQ's, which must be partition
   *     columns: their types are the user's
   * @param properties the table's provider, location and whether it is external
   */
  FastqTable(
      FastqOptions options,
      Configuration hadoopConf,
      Map<String, String> rawOptions,
      RuntimeException refusal,
      boolean listForSchema,
      StructType userPartitionSchema,
      Map<String, String> properties) {
    this.properties = properties;
    this.userPartitionSchema = userPartitionSchema;
    this.options = options;
    this.listForSchema = listForSchema;
    this.rawOptions = rawOptions;
    this.refusal = refusal;
    this.hadoopConf = hadoopConf;
    this.schema = FastqColumn.tableSchemaOf(options);
  }

  /** The files, listed on first use. */
  synchronized List<FastqFile> files() {
    if (files == null) {
      PartitionDiscovery.Discovered found =
          PartitionDiscovery.discover(
              FileLister.listing(options, hadoopConf), options, userPartitionSchema, hadoopConf);
      checkPartitionColumns(found.schema());
      partitionSchema = found.schema();
      files = found.files();
      if (options.paired()) {
        FilePairs.pair(files, options); // files without a mate fail at load()
      }
    }
    return files;
  }

  /** The partition columns, found when the files are listed. */
  synchronized StructType partitionSchema() {
    files();
    return partitionSchema;
  }

  /** The data columns, then the partition columns, as Spark's file tables order them. */
  private static StructType concat(StructType data, StructType partitions) {
    StructType out = data;
    for (StructField f : partitions.fields()) {
      out = out.add(f);
    }
    return out;
  }

  private void checkPartitionColumns(StructType found) {
    for (StructField f : found.fields()) {
      for (String taken : schema.fieldNames()) {
        if (taken.equalsIgnoreCase(f.name())) {
          throw new IllegalArgumentException(
              "Partition column '"
                  + f.name()
                  + "' (from folders named "
                  + f.name()
                  + "=...) has the name of a FASTQ column; rename the folders, or read below them"
                  + " (a path inside the partition, or recursiveFileLookup=true).");
        }
      }
      if (!PartitionColumns.supported(f.dataType())) {
        throw new IllegalArgumentException(
            "Partition column '"
                + f.name()
                + "' cannot be of type "
                + f.dataType().sql()
                + "; use a string, numeric, boolean, date, timestamp or binary type.");
      }
    }
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
    if (!listForSchema) {
      return concat(schema, userPartitionSchema);
    }
    files(); // a read resolves its files here, inside load()
    for (StructField f : userPartitionSchema.fields()) {
      if (partitionSchema.getFieldIndex(f.name()).isEmpty()) {
        // A column that no key=value folder gives: what Spark says of a schema it cannot use.
        throw QueryExecutionErrors.userSpecifiedSchemaUnsupportedByDataSourceError(
            new FastqDataSource());
      }
    }
    return concat(schema, partitionSchema);
  }

  @Override
  public Map<String, String> properties() {
    return properties;
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
    FastqScanBuilder builder =
        new FastqScanBuilder(options, files(), schema(), hadoopConf)
            .partitionSchema(partitionSchema());
    // Spark 3.5 and 4.0 give a DSv2 source its filters as data source filters only: partition
    // pruning takes those there.
    return SourceFilterPruning.sparkPushesCatalystFilters(
            org.apache.spark.sql.SparkSession.active().version())
        ? builder
        : new SourceFilterPruning(builder, partitionSchema());
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
