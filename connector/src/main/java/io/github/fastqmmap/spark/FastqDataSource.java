/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.plans.logical.AppendData;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OverwriteByExpression;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.errors.QueryCompilationErrors;
import org.apache.spark.sql.execution.command.DDLUtils;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

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

  /**
   * The options resolved by {@link #inferSchema}, and from what, for the {@link #getTable} call
   * that follows it in the same load: Spark makes a provider per load and calls both, and resolving
   * twice would check twice and print every warning twice. {@link #getTable} takes them once, so a
   * later load never sees options resolved against an older session conf.
   */
  private FastqOptions inferred;

  private Map<String, String> inferredFrom;

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    inferred = FastqOptions.resolve(options, SQLConf.get());
    inferredFrom = Map.copyOf(options.asCaseSensitiveMap());
    return FastqColumn.tableSchema(inferred.corruptColumn());
  }

  /**
   * The session's Hadoop configuration with the options added, as Spark's file sources do, so that
   * {@code fs.*} settings can be given per read. {@code SessionState} is Spark-internal ({@code
   * org.apache.spark.sql.internal}), but {@code newHadoopConfWithOptions} is what Spark's own file
   * sources call and has the same signature in Spark 3.5 and 4.x; only the way to reach the session
   * state differs ({@code classic.SparkSession} in 4.x). It skips the keys {@code path} and {@code
   * paths} (exact case) and null values.
   */
  static Configuration hadoopConf(SparkSession session, Map<String, String> options) {
    return session
        .sessionState()
        .newHadoopConfWithOptions(ScalaCollections.toScalaImmutableMap(options));
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    FastqOptions options =
        inferred != null && properties.equals(inferredFrom)
            ? inferred
            : FastqOptions.resolve(properties, SQLConf.get());
    inferred = null;
    inferredFrom = null;
    return new FastqTable(options, hadoopConf(SparkSession.active(), properties));
  }

  /**
   * {@code df.write().format("fastq-mmap").mode(...).save(dir)}. Spark gives a DSv2 table provider
   * only the append and overwrite modes ({@code ErrorIfExists}, the default, and {@code Ignore}
   * fail with "please use Append or Overwrite"), so the save mode is applied here, against the
   * output path as Spark's file sources do, and the rows are then written through the DSv2 write
   * path: an append or overwrite plan over a {@link FastqWriteTable}, which writes part files
   * through Spark's file commit protocol.
   */
  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    Map<String, String> options = CollectionConverters.asJava(parameters);
    CaseInsensitiveStringMap ci = new CaseInsensitiveStringMap(options);
    String path = ci.get(FastqOptions.PATH.key());
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "fastq-mmap writes into a directory: give it with save(path) or the 'path' option.");
    }
    String partitionColumns = ci.get("__partition_columns");
    if (partitionColumns != null && !partitionColumns.equals("[]")) {
      throw new IllegalArgumentException(
          "fastq-mmap does not write partitioned output (partitionBy "
              + partitionColumns
              + "): write each part with its own save(path), or filter first.");
    }
    WriteCompression compression = FastqOptions.COMPRESSION.get(ci, SQLConf.get());
    FastqRowFormat.of(data.schema()); // a DataFrame that cannot be written fails before any job
    org.apache.spark.sql.classic.Dataset<Row> df = (org.apache.spark.sql.classic.Dataset<Row>) data;
    SparkSession session = df.sparkSession();
    Configuration conf = hadoopConf(session, options);
    Path output;
    boolean exists;
    try {
      Path given = new Path(path);
      FileSystem fs = given.getFileSystem(conf);
      output = fs.makeQualified(given);
      exists = fs.exists(output);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write FASTQ to " + path + ": " + e.getMessage(), e);
    }
    BaseRelation written = writtenRelation(sqlContext, data.schema());
    LogicalPlan query = df.logicalPlan();
    switch (mode) {
      case ErrorIfExists:
        if (exists) {
          throw sneaky(QueryCompilationErrors.outputPathAlreadyExistsError(output));
        }
        break;
      case Ignore:
        if (exists) {
          return written;
        }
        break;
      case Overwrite:
        verifyNotReadFrom(query, output);
        break;
      default:
        break;
    }
    FastqWriteTable table =
        new FastqWriteTable(output.toString(), data.schema(), compression, conf);
    DataSourceV2Relation relation =
        DataSourceV2Relation.create(table, Option.empty(), Option.empty());
    scala.collection.immutable.Map<String, String> none =
        scala.collection.immutable.Map$.MODULE$.empty();
    LogicalPlan command =
        mode == SaveMode.Overwrite && exists
            ? OverwriteByExpression.byName(relation, query, Literal.TrueLiteral(), none, false)
            : AppendData.byName(relation, query, none, false);
    org.apache.spark.sql.classic.Dataset.ofRows(session, command); // runs the write
    return written;
  }

  /** Overwriting a directory that the written query reads from would delete its input first. */
  private static void verifyNotReadFrom(LogicalPlan query, Path output) {
    DDLUtils.verifyNotReadPath(query, output, Option.empty()); // Spark's own file sources
    String prefix = output.toString().endsWith("/") ? output.toString() : output + "/";
    for (LogicalPlan leaf : CollectionConverters.asJava(query.collectLeaves())) {
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
