package io.github.fastqmmap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.errors.QueryCompilationErrors;
import org.apache.spark.sql.execution.command.DDLUtils;
import org.apache.spark.sql.execution.datasources.DataSourceUtils;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.Option;

/**
 * The {@code fastq-mmap} data source: {@code spark.read().format("fastq-mmap").load(paths)}, or in
 * SQL {@code CREATE TEMPORARY VIEW reads USING `fastq-mmap` OPTIONS (path '...')}.
 *
 * <p>The schema is fixed ({@code name}, {@code comment}, {@code sequence}, {@code quality}, plus
 * the corrupt-record column in PERMISSIVE mode); {@code _file} and {@code _offset} are metadata
 * columns, produced only when selected. Options are checked and files listed when the table is
 * loaded, so a bad option or a missing path fails at {@code load()}.
 *
 * <p>Writes: {@code df.write().format("fastq-mmap").mode(...).option("compression", ...).save(dir)}
 * (see {@link #createRelation}).
 */
public final class FastqDataSource
    implements TableProvider, DataSourceRegister, CreatableRelationProvider {
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
    Configuration conf = SparkSessions.sessionState(session).newHadoopConf();
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
    return new FastqTable(options, hadoopConf(SparkSession.active(), properties));
  }

  /**
   * {@code df.write().format("fastq-mmap").mode(...).save(dir)}: checks what can be checked before
   * any job (path, compression, columns, overwriting one's own input), then hands the rows to
   * Spark's own file writer through {@link FastqFileFormat}. Spark applies the save mode against
   * the output path, writes {@code partitionBy} directories and {@code maxRecordsPerFile} splits,
   * commits through the commit protocol and reports the write metrics, as for its built-in file
   * formats. A DSv2 table provider gets only append and overwrite from Spark, hence this V1 entry
   * point.
   */
  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    Map<String, String> options = ScalaCollections.asJava(parameters);
    CaseInsensitiveStringMap ci = new CaseInsensitiveStringMap(options);
    String path = ci.get(FastqOptions.PATH);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "fastq-mmap writes into a directory: give it with save(path) or the 'path' option.");
    }
    FastqFileFormat.compression(ci); // a bad compression fails before any job
    String encoded = ci.get(DataSourceUtils.PARTITIONING_COLUMNS_KEY());
    List<String> partitionBy =
        encoded == null
            ? List.of()
            : ScalaCollections.asJava(DataSourceUtils.decodePartitioningColumns(encoded));
    // A DataFrame that cannot be written fails before any job (partition columns are not in
    // the files, as with Spark's file formats).
    FastqRowFormat.of(withoutColumns(data.schema(), partitionBy));
    if (mode == SaveMode.Overwrite) {
      SparkSession session = data.sparkSession();
      Path output;
      try {
        Path given = new Path(path);
        output = given.getFileSystem(hadoopConf(session, options)).makeQualified(given);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write FASTQ to " + path + ": " + e.getMessage(), e);
      }
      verifyNotReadFrom(SparkSessions.analyzed(data), output);
    }
    Map<String, String> writeOptions = new HashMap<>();
    options.forEach(
        (k, v) -> {
          if (!k.equalsIgnoreCase(FastqOptions.PATH)
              && !k.equalsIgnoreCase(DataSourceUtils.PARTITIONING_COLUMNS_KEY())) {
            writeOptions.put(k, v);
          }
        });
    DataFrameWriter<Row> writer =
        data.write().format(FastqFileFormat.class.getName()).mode(mode).options(writeOptions);
    if (!partitionBy.isEmpty()) {
      writer = writer.partitionBy(partitionBy.toArray(new String[0]));
    }
    writer.save(path);
    return writtenRelation(sqlContext, data.schema());
  }

  private static StructType withoutColumns(StructType schema, List<String> columns) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(f.name()))) {
        out = out.add(f);
      }
    }
    return out;
  }

  /** Overwriting a directory that the written query reads from would delete its input first. */
  private static void verifyNotReadFrom(LogicalPlan query, Path output) {
    DDLUtils.verifyNotReadPath(query, output, Option.empty()); // Spark's own file sources
    String prefix = output.toString().endsWith("/") ? output.toString() : output + "/";
    for (LogicalPlan leaf : ScalaCollections.asJava(query.collectLeaves())) {
      if (leaf instanceof DataSourceV2Relation r && r.table() instanceof FastqTable t) {
        for (FastqFile f : t.files()) {
          String uri = new Path(f.uri).toString();
          if (uri.equals(output.toString()) || uri.startsWith(prefix)) {
            throw sneaky(
                QueryCompilationErrors.cannotOverwritePathBeingReadFromError(output.toString()));
          }
        }
      }
    }
  }

  /**
   * Throws Spark's own error (an AnalysisException, which Java sees as checked) unchanged, so that
   * users see what Spark's file sources say in the same case.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private static BaseRelation writtenRelation(SQLContext sqlContext, StructType schema) {
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }
}
