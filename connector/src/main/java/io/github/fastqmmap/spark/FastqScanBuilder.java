package io.github.fastqmmap.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;

/** Builds a scan of only the columns a query needs. */
final class FastqScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns {
  private final FastqOptions options;
  private final List<FastqFile> files;
  private StructType readSchema;

  FastqScanBuilder(FastqOptions options, List<FastqFile> files, StructType tableSchema) {
    this.options = options;
    this.files = files;
    this.readSchema = tableSchema;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.readSchema = requiredSchema;
  }

  @Override
  public Scan build() {
    return new FastqScan(options, files, readSchema);
  }
}
