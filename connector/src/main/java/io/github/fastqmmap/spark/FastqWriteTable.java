/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The output directory of one write, as a DSv2 table: rows reach it through Spark's append and
 * overwrite (truncate) plans and leave as FASTQ part files through {@link FastqBatchWrite}. Its
 * schema is the written DataFrame's, so that any DataFrame with name, sequence and quality (and
 * comment) can be written; other columns are ignored.
 */
final class FastqWriteTable implements SupportsWrite {
  private final String path;
  private final StructType schema;
  private final WriteCompression compression;
  private final Configuration hadoopConf;

  FastqWriteTable(
      String path, StructType schema, WriteCompression compression, Configuration hadoopConf) {
    this.path = path;
    this.schema = schema.asNullable();
    this.compression = compression;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public String name() {
    return FastqDataSource.SHORT_NAME + " " + path;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_WRITE, TableCapability.TRUNCATE);
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new Builder(info.schema());
  }

  private final class Builder implements WriteBuilder, SupportsTruncate {
    private final StructType rowSchema;
    private boolean truncate;

    Builder(StructType rowSchema) {
      this.rowSchema = rowSchema;
    }

    @Override
    public WriteBuilder truncate() {
      truncate = true;
      return this;
    }

    @Override
    public Write build() {
      FastqRowFormat.of(rowSchema); // fails on the driver for a schema that cannot be written
      return new Write() {
        @Override
        public String description() {
          return "FastqWrite "
              + path
              + " compression="
              + compression.name().toLowerCase(java.util.Locale.ROOT)
              + (truncate ? " (overwrite)" : "");
        }

        @Override
        public BatchWrite toBatch() {
          return new FastqBatchWrite(path, rowSchema, compression, hadoopConf, truncate);
        }
      };
    }
  }
}
