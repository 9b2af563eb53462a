/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.Map;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.V1Write;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.sources.InsertableRelation;

/**
 * Writes into a fastq-mmap table of Spark 4's session catalog ({@code INSERT INTO}, {@code INSERT
 * OVERWRITE}, {@code saveAsTable}), where Spark asks the table itself for a write: the rows go, as
 * a V1 write, through {@link FastqDataSource#createRelation} and so through Spark's file writer
 * like every other fastq-mmap write. Spark 3.5 reaches the same through {@link
 * FastqCatalogRelation}.
 */
final class FastqTableWrite implements WriteBuilder, SupportsTruncate {
  private final Map<String, String> options;
  private boolean truncate;

  FastqTableWrite(Map<String, String> options) {
    this.options = options;
  }

  @Override
  public WriteBuilder truncate() {
    truncate = true;
    return this;
  }

  @Override
  public Write build() {
    boolean overwrite = truncate;
    return new V1Write() {
      @Override
      public String description() {
        return "FastqWrite "
            + options.get(FastqOptions.PATH.key())
            + (overwrite ? " (overwrite)" : "");
      }

      @Override
      public InsertableRelation toInsertableRelation() {
        return (data, overwriteToo) ->
            data.write()
                .format(FastqDataSource.SHORT_NAME)
                .options(options)
                .mode(overwrite || overwriteToo ? SaveMode.Overwrite : SaveMode.Append)
                .save();
      }
    };
  }
}
