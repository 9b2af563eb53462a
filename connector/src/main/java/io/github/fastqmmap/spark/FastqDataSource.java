package io.github.fastqmmap.spark;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code fastq-mmap} data source: {@code spark.read().format("fastq-mmap").load(paths)}, or in
 * SQL {@code CREATE TEMPORARY VIEW reads USING `fastq-mmap` OPTIONS (path '...')}.
 *
 * <p>The schema is fixed ({@code name}, {@code comment}, {@code sequence}, {@code quality}, plus
 * the corrupt-record column in PERMISSIVE mode); {@code _file} and {@code _offset} are metadata
 * columns, produced only when selected. Options are checked and files listed when the table is
 * loaded, so a bad option or a missing path fails at {@code load()}.
 */
public final class FastqDataSource implements TableProvider, DataSourceRegister {
  /** The short name registered with Spark. */
  public static final String SHORT_NAME = "fastq-mmap";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return FastqColumn.tableSchema(FastqOptions.resolve(options, SQLConf.get()).corruptColumn());
  }

  /**
   * The session's Hadoop configuration with the options added, as Spark's file sources do, so that
   * {@code fs.*} settings can be given per read.
   */
  static Configuration hadoopConf(SparkSession session, Map<String, String> options) {
    Configuration conf = session.sessionState().newHadoopConf();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey();
      if (e.getValue() != null
          && !key.equalsIgnoreCase(FastqOptions.PATH)
          && !key.equalsIgnoreCase(FastqOptions.PATHS)) {
        conf.set(key, e.getValue());
      }
    }
    return conf;
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    FastqOptions options = FastqOptions.resolve(properties, SQLConf.get());
    Configuration hadoopConf = hadoopConf(SparkSession.active(), properties);
    List<FastqFile> files = FileLister.list(options, hadoopConf);
    return new FastqTable(options, files, hadoopConf);
  }
}
