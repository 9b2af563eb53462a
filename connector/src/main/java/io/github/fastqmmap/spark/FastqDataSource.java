/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.errors.QueryCompilationErrors;
import org.apache.spark.sql.errors.QueryExecutionErrors;
import org.apache.spark.sql.execution.command.DDLUtils;
import org.apache.spark.sql.execution.datasources.DataSourceUtils;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.Function1;
import scala.Option;
import scala.collection.Iterator;

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
 *
 * <p>It is a V1 {@code FileFormat} too, delegating to {@link FastqFileFormat}, because Spark takes
 * direct file queries ({@code SELECT * FROM `fastq-mmap`.`/data/x.fastq`}) only from a provider
 * that is one, and reads them through its V1 file scan. It is on purpose not a {@code
 * RelationProvider}: Spark would then hand such a query to {@code createRelation} without its path.
 * {@code spark.read()} and views still take the DSv2 path: Spark asks a {@code TableProvider}
 * first; writes still reach {@link #createRelation}: Spark asks a {@code CreatableRelationProvider}
 * before a {@code FileFormat}.
 */
public final class FastqDataSource extends ScalaFileFormat
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
    return FastqColumn.tableSchemaOf(inferred);
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
    return SparkSessions.sessionState(session)
        .newHadoopConfWithOptions(ScalaCollections.toScalaImmutableMap(options));
  }

  /**
   * Yes, so that Spark 4 can keep fastq-mmap tables in its session catalog ({@code saveAsTable},
   * {@code CREATE TABLE ... USING fastq-mmap}), which records their schema. The schema is fixed all
   * the same: {@link #getTable} refuses any other, as Spark refuses a user schema for sources
   * without external metadata.
   */
  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    // Spark's catalog creating a table (saveAsTable, CREATE TABLE) gives its provider; the
    // directory may not exist yet, and a managed table (saveAsTable without a path) has none yet:
    // the catalog picks its place in the warehouse afterwards and gives it as the path whenever
    // it loads the table (Spark 4 loads it again for the write of saveAsTable).
    boolean creating =
        properties.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(TableCatalog.PROP_PROVIDER));
    CaseInsensitiveStringMap given0 = new CaseInsensitiveStringMap(properties);
    boolean pathless = !given0.containsKey(FastqOptions.PATH.key()) && !given0.containsKey("paths");
    Map<String, String> resolvable = properties;
    if (creating && pathless) {
      resolvable = new HashMap<>(properties);
      resolvable.put(FastqOptions.PATH.key(), "(the catalog's location, not chosen yet)");
    }
    FastqOptions options =
        inferred != null && properties.equals(inferredFrom)
            ? inferred
            : FastqOptions.resolve(resolvable, SQLConf.get());
    inferred = null;
    inferredFrom = null;
    // Spark passes a schema when reading (inferred, the catalog's or the user's) and when writing
    // (the DataFrame's); a read must have the FASTQ schema, a write may have any.
    // Beyond FASTQ's columns, a read's schema may name partition columns (key=value folders),
    // giving their types; the table checks that they are partition columns once it has listed.
    StructType fastq = FastqColumn.tableSchemaOf(options);
    StructType given = new StructType();
    StructType partitionColumns = new StructType();
    if (schema != null) {
      for (StructField f : schema.fields()) {
        boolean isFastq = false;
        for (String name : fastq.fieldNames()) {
          isFastq |= name.equalsIgnoreCase(f.name());
        }
        if (isFastq) {
          given = given.add(f);
        } else {
          partitionColumns = partitionColumns.add(f);
        }
      }
    }
    RuntimeException refusal =
        schema == null || given.asNullable().equals(fastq.asNullable())
            ? null
            : QueryExecutionErrors.userSpecifiedSchemaUnsupportedByDataSourceError(this);
    Configuration conf = hadoopConf(SparkSession.active(), properties);
    return new FastqTable(
        options,
        conf,
        Map.copyOf(properties),
        refusal,
        // Everything but the catalog's creation lists the files, so that a read fails at load()
        // for a missing path.
        !creating,
        partitionColumns,
        tableProperties(given0, pathless, conf));
  }

  /**
   * What DESCRIBE TABLE EXTENDED and {@code spark.catalog().getTable()} show of the table on the
   * lines that read catalog tables through DSv2 (Spark 4): Spark reads the table's type, location
   * and provider from the DSv2 table's properties. A catalog table is external when the catalog was
   * given its location (CREATE TABLE ... LOCATION, saveAsTable with a path): then the location is
   * not the one the warehouse gives a managed table, {@code <warehouse>/[<db>.db/]<table>}.
   */
  static Map<String, String> tableProperties(
      CaseInsensitiveStringMap options, boolean pathless, Configuration conf) {
    Map<String, String> out = new HashMap<>();
    out.put(TableCatalog.PROP_PROVIDER, SHORT_NAME);
    if (pathless) {
      return Map.copyOf(out);
    }
    String path = options.get(FastqOptions.PATH.key());
    if (path != null) {
      out.put(TableCatalog.PROP_LOCATION, path);
    }
    boolean managed =
        "true".equalsIgnoreCase(options.get(TableCatalog.PROP_IS_MANAGED_LOCATION))
            || (path != null && inWarehouse(path, conf));
    if (options.containsKey(TableCatalog.PROP_EXTERNAL) || !managed) {
      out.put(TableCatalog.PROP_EXTERNAL, "true");
    }
    return Map.copyOf(out);
  }

  /**
   * Whether a table's location is where the session's warehouse puts managed tables; {@code conf}
   * is the read's (a copy of the session's Hadoop configuration costs a load some milliseconds).
   */
  private static boolean inWarehouse(String location, Configuration conf) {
    try {
      Path table = new Path(location);
      Path qualified = table.getFileSystem(conf).makeQualified(table);
      Path warehouse = new Path(SQLConf.get().warehousePath());
      warehouse = warehouse.getFileSystem(conf).makeQualified(warehouse);
      Path parent = qualified.getParent();
      return parent != null
          && (parent.equals(warehouse)
              || (parent.getName().endsWith(".db") && warehouse.equals(parent.getParent())));
    } catch (IOException | RuntimeException e) {
      return false;
    }
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
    String path = ci.get(FastqOptions.PATH.key());
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "fastq-mmap writes into a directory: give it with save(path) or the 'path' option.");
    }
    String encoded = ci.get(DataSourceUtils.PARTITIONING_COLUMNS_KEY());
    List<String> partitionBy =
        encoded == null
            ? List.of()
            : ScalaCollections.asJava(DataSourceUtils.decodePartitioningColumns(encoded));
    // A DataFrame that cannot be written fails before any job (partition columns are not in
    // the files, as with Spark's file formats).
    // A bad write option fails here too.
    FastqFileFormat.settings(ci, withoutColumns(data.schema(), partitionBy));
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
          if (!k.equalsIgnoreCase(FastqOptions.PATH.key())
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
    // What reads back: the catalog keeps this schema for a saveAsTable table.
    return createRelation(sqlContext, ScalaCollections.toScalaImmutableMap(readOptions(options)));
  }

  /** The options of a read of what was written: the path and the options that are not writes'. */
  private static Map<String, String> readOptions(Map<String, String> options) {
    Map<String, String> out = new HashMap<>();
    options.forEach(
        (k, v) -> {
          if (!k.equalsIgnoreCase(FastqOptions.COMPRESSION.key())
              && !k.equalsIgnoreCase(FastqOptions.BGZF_INDEX.key())
              && !k.equalsIgnoreCase(FastqOptions.MATE_SUFFIX.key())
              && !k.equalsIgnoreCase(DataSourceUtils.PARTITIONING_COLUMNS_KEY())
              && !k.equalsIgnoreCase("maxRecordsPerFile")) {
            out.put(k, v);
          }
        });
    return out;
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

  /**
   * What a write reads back: a relation with the schema of a read of {@code parameters}, which the
   * catalog keeps for a {@code saveAsTable} table. Its rows are read through the DSv2 scan.
   */
  private static BaseRelation createRelation(
      SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters) {
    Map<String, String> options = new HashMap<>(ScalaCollections.asJava(parameters));
    FastqOptions resolved = FastqOptions.resolve(options, SQLConf.get()); // bad options fail here
    return new FastqCatalogRelation(
        sqlContext, options, FastqColumn.tableSchema(resolved.corruptColumn()));
  }

  // The V1 FileFormat side, for direct file queries and Spark 3.5's catalog tables: FastqFileFormat
  // reads and writes.
  private static final FastqFileFormat FORMAT = new FastqFileFormat();

  @Override
  protected Optional<StructType> inferSchema(Map<String, String> options, List<FileStatus> files) {
    return FORMAT.inferSchema(options, files);
  }

  @Override
  public boolean isSplitable(
      SparkSession session, scala.collection.immutable.Map<String, String> options, Path path) {
    return FORMAT.isSplitable(session, options, path);
  }

  @Override
  protected Function1<PartitionedFile, Iterator<InternalRow>> buildReader(
      SparkSession session,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      Map<String, String> options,
      Configuration hadoopConf) {
    return FORMAT.buildReader(
        session, dataSchema, partitionSchema, requiredSchema, options, hadoopConf);
  }

  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession session,
      Job job,
      scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    return FORMAT.prepareWrite(session, job, options, dataSchema);
  }

  // Spark compares file formats when it compares relations (plan caching, reuse).
  @Override
  public boolean equals(Object other) {
    return other instanceof FastqDataSource;
  }

  @Override
  public int hashCode() {
    return FastqDataSource.class.hashCode();
  }
}
