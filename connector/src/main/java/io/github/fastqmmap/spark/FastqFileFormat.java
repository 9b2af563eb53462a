/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.Deflating;
import io.github.fastqmmap.metrics.DeflateAccumulators;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.open.InputFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.util.SerializableConfiguration;
import scala.Function1;
import scala.collection.Iterator;

/**
 * FASTQ as a Spark V1 file format.
 *
 * <p>Writing: {@code df.write().format("fastq-mmap")} hands its rows to Spark's own file writer
 * ({@code FileFormatWriter}, the one behind Parquet and CSV) through this class, so that save
 * modes, {@code partitionBy}, {@code maxRecordsPerFile}, the commit protocol and the write metrics
 * (files, bytes, rows) are Spark's, the same on every Spark line. Each part file is {@code
 * part-<task>-<job uuid>-c<n>.fastq[.gz|.bgz]}; a BGZF part gets its {@code .gzi} index beside it
 * (unless {@code bgzfIndex=false}), written into the same task directory, so that the commit
 * protocol promotes both together.
 *
 * <p>Reading: where Spark reads files through its V1 file scan (a direct query {@code SELECT * FROM
 * `fastq-mmap`.`/data/x.fastq`}, a catalog table on Spark 3.5), Spark lists, partitions and splits
 * the files and this class reads each split with the DSv2 reader ({@link FastqFileReader}). {@code
 * spark.read().format("fastq-mmap")} reads through {@link FastqDataSource}'s DSv2 scan.
 */
public final class FastqFileFormat extends ScalaFileFormat {
  /**
   * The schema a fastq-mmap read with these options has (as the DSv2 scan's); a write takes any
   * DataFrame with these columns.
   */
  @Override
  protected Optional<StructType> inferSchema(Map<String, String> options, List<FileStatus> files) {
    return Optional.of(FastqColumn.tableSchemaOf(readOptions(options)));
  }

  /**
   * The read options of a V1 read, where Spark gives the paths apart from the options (a direct
   * query's path is not among them): a bad option fails as in a DSv2 read, and pairs, which need
   * both mates' files in one task, are refused.
   */
  static FastqOptions readOptions(Map<String, String> options) {
    Map<String, String> withPath = new HashMap<>(options);
    CaseInsensitiveStringMap ci = new CaseInsensitiveStringMap(options);
    if (!ci.containsKey(FastqOptions.PATH.key()) && !ci.containsKey("paths")) {
      withPath.put(FastqOptions.PATH.key(), "(files listed by Spark)");
    }
    FastqOptions resolved = FastqOptions.resolve(withPath, SQLConf.get());
    if (resolved.pairs()) {
      throw new IllegalArgumentException(
          "fastq-mmap reads pairs (paired or interleaved) only through"
              + " spark.read().format(\"fastq-mmap\") or a view created with USING `fastq-mmap`,"
              + " not from a direct file query or a Spark 3.5 catalog table.");
    }
    return resolved;
  }

  /**
   * Whether Spark's file planner may cut the file into byte ranges: what the file's first bytes say
   * (plain and BGZF yes, gzip and bzip2 no), as the DSv2 planner decides.
   */
  @Override
  public boolean isSplitable(
      SparkSession session, scala.collection.immutable.Map<String, String> options, Path path) {
    Configuration conf = FastqDataSource.hadoopConf(session, ScalaCollections.asJava(options));
    HadoopStorage storage = new HadoopStorage(() -> conf);
    try {
      return InputFile.inspect(storage, path.toUri().toString()).compression().splittable();
    } catch (IOException e) {
      return false; // the reader of the one split reports the error, honouring the modes
    }
  }

  @Override
  protected Function1<PartitionedFile, Iterator<InternalRow>> buildReader(
      SparkSession session,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      Map<String, String> options,
      Configuration hadoopConf) {
    FastqOptions resolved = readOptions(options);
    StructField[] fields = requiredSchema.fields();
    FastqColumn[] columns = new FastqColumn[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] = FastqColumn.forName(fields[i].name(), resolved.corruptColumn());
    }
    // Spark's own wrapper, broadcast as its file formats broadcast it.
    Broadcast<SerializableConfiguration> conf =
        JavaSparkContext.fromSparkContext(session.sparkContext())
            .broadcast(new SerializableConfiguration(hadoopConf));
    return new FastqFileReader(
        resolved, columns, ScanAccumulators.register(session.sparkContext()), conf);
  }

  /**
   * Runs on the driver before the write job; fails for a compression or a DataFrame that cannot be
   * written, before any task starts.
   */
  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession session,
      Job job,
      scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    CaseInsensitiveStringMap map = new CaseInsensitiveStringMap(ScalaCollections.asJava(options));
    Settings settings = settings(map, dataSchema);
    DeflateAccumulators deflated =
        settings.compression().deflates()
            ? DeflateAccumulators.register(session.sparkContext())
            : null;
    return new WriterFactory(settings, deflated);
  }

  /** The {@code compression} option of a write, or Spark's error naming the accepted values. */
  static WriteCompression compression(CaseInsensitiveStringMap options) {
    return FastqOptions.COMPRESSION.get(options, SQLConf.get());
  }

  /** How part files are laid out: one record per row, or a pair per row in two files or one. */
  enum Layout {
    SINGLE,
    /** {@code part-..._R1.fastq} and {@code part-..._R2.fastq}, mate i of both in row i. */
    MATE_FILES,
    /** One file, the mates of each row one after the other. */
    INTERLEAVED
  }

  /** What every part writer of a write needs; checked on the driver. */
  record Settings(WriteCompression compression, boolean index, Layout layout, boolean mateSuffix)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The part files' suffix, as Spark appends it to {@code part-<task>-<uuid>-c<n>}. */
    String extension() {
      return (layout == Layout.MATE_FILES ? MATE_1 : "") + compression.extension();
    }

    /** The formats of one row's records, in the order they are written. */
    FastqRowFormat[] formats(StructType schema) {
      return layout == Layout.SINGLE
          ? new FastqRowFormat[] {FastqRowFormat.of(schema)}
          : FastqRowFormat.mates(schema, mateSuffix);
    }
  }

  static final String MATE_1 = "_R1";
  static final String MATE_2 = "_R2";

  /**
   * The settings of a write of rows of {@code schema} (without partition columns): a DataFrame with
   * the columns of a paired read is written as pairs, into {@code _R1}/{@code _R2} files or, with
   * {@code interleaved=true}, into one file. Fails on a bad option or a DataFrame that cannot be
   * written.
   */
  static Settings settings(CaseInsensitiveStringMap options, StructType schema) {
    SQLConf conf = SQLConf.get();
    WriteCompression compression = compression(options);
    boolean index = FastqOptions.BGZF_INDEX.get(options, conf);
    boolean interleaved = FastqOptions.INTERLEAVED.get(options, conf);
    boolean mateSuffix = FastqOptions.MATE_SUFFIX.get(options, conf);
    Layout layout =
        interleaved
            ? Layout.INTERLEAVED
            : FastqRowFormat.isPaired(schema) ? Layout.MATE_FILES : Layout.SINGLE;
    Settings settings = new Settings(compression, index, layout, mateSuffix);
    settings.formats(schema);
    return settings;
  }

  @Override
  public String toString() {
    return "FASTQ";
  }

  // One FileFormat instance per data source; Spark compares them when it caches plans.
  @Override
  public boolean equals(Object other) {
    return other instanceof FastqFileFormat;
  }

  @Override
  public int hashCode() {
    return FastqFileFormat.class.hashCode();
  }

  /** Shipped to executors; makes one writer per part file. */
  private static final class WriterFactory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;

    private final Settings settings;

    /** Null for writes that deflate nothing. */
    private final DeflateAccumulators deflated;

    WriterFactory(Settings settings, DeflateAccumulators deflated) {
      this.settings = settings;
      this.deflated = deflated;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return settings.extension();
    }

    @Override
    public OutputWriter newInstance(
        String path, StructType dataSchema, TaskAttemptContext context) {
      return new PartWriter(path, settings.formats(dataSchema), settings, deflated, context);
    }
  }

  /**
   * The rows a task has written so far, over all its part files (with {@code partitionBy} or {@code
   * maxRecordsPerFile} a task writes several): a row that cannot be written is named by its number
   * in the task, as before files were split. A task runs on one thread.
   */
  private static final class TaskRows {
    long attempt = Long.MIN_VALUE;
    long rows;
  }

  private static final ThreadLocal<TaskRows> TASK_ROWS = ThreadLocal.withInitial(TaskRows::new);

  private static TaskRows taskRows() {
    TaskContext task = TaskContext.get();
    long attempt = task == null ? -1 : task.taskAttemptId();
    TaskRows rows = TASK_ROWS.get();
    if (rows.attempt != attempt) {
      rows.attempt = attempt;
      rows.rows = 0;
    }
    return rows;
  }

  /**
   * Whether Spark's commit protocol gave {@code path} for a custom partition location ({@code
   * newTaskTempFileAbsPath}: {@code .spark-staging-<job>/<uuid>-part-...}), where it moves that one
   * file into place and deletes everything else in the staging directory.
   */
  static boolean isAbsolutePathStaging(String path) {
    Path file = new Path(path);
    Path parent = file.getParent();
    return parent != null
        && parent.getName().startsWith(".spark-staging-")
        && file.getName()
            .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-.*");
  }

  /** One compressed file and, for BGZF, the index written beside it when it is complete. */
  private static final class Part {
    final String path;
    final OutputStream out;

    /** The BGZF stream whose index is written beside the file; null for none. */
    private final BgzfOutputStream indexed;

    /** What deflated the part, and where that is counted; null for parts not deflated. */
    private final Deflating deflating;

    private final DeflateAccumulators deflated;

    Part(PartFiles files, String path, Settings settings, DeflateAccumulators deflated) {
      this.path = path;
      WriteCompression.Opened opened;
      try {
        opened = settings.compression().open(files.create(path), path, ExecutorCores.count());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the FASTQ part file " + path + ": " + e, e);
      }
      this.out = opened.out();
      this.deflating = deflated == null ? null : opened.deflating();
      this.deflated = deflated;
      this.indexed = settings.index() && out instanceof BgzfOutputStream b ? b : null;
    }

    void close(PartFiles files) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot finish " + path + ": " + e.getMessage(), e);
      }
      if (deflating != null) {
        deflated.add(deflating);
      }
      if (indexed != null) {
        // Written after the part is complete, so that the index is not older than its file (a
        // reader ignores an older one) and lists every block. It lies in the same task directory
        // as the part, so that the commit protocol promotes both together.
        String gzi = path + BgzfIndex.SUFFIX;
        try (OutputStream index = new BufferedOutputStream(files.create(gzi))) {
          indexed.writeIndex(index);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot write the BGZF index " + gzi + ": " + e, e);
        }
      }
    }
  }

  /**
   * One part, created when Spark opens it and complete when Spark closes it: one file, or for pairs
   * in mate files the {@code _R1} file Spark named and its {@code _R2} sibling, in the same task
   * directory (so committed together), mate i of both written from row i.
   */
  private static final class PartWriter extends OutputWriter {
    private final String path;
    private final FastqRowFormat[] formats;
    private final TaskRows rows;
    private final int task;
    private final PartFiles files;
    private final Part first;

    /** The {@code _R2} file of mate files; null otherwise. */
    private final Part second;

    PartWriter(
        String path,
        FastqRowFormat[] formats,
        Settings settings,
        DeflateAccumulators deflated,
        TaskAttemptContext ctx) {
      this.path = path;
      this.formats = formats;
      this.rows = taskRows();
      this.task = TaskContext.getPartitionId();
      try {
        Configuration conf = ctx.getConfiguration();
        this.files = new PartFiles(new Path(path).getFileSystem(conf), conf);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the FASTQ part file " + path + ": " + e, e);
      }
      if (settings.layout() == Layout.MATE_FILES && isAbsolutePathStaging(path)) {
        throw new IllegalArgumentException(
            "fastq-mmap cannot write pairs into _R1/_R2 files here: "
                + path
                + " is a file for a custom partition location, and Spark's commit protocol would"
                + " move only the _R1 file into place. Write them with interleaved=true, or to a"
                + " path.");
      }
      this.first = new Part(files, path, settings, deflated);
      Part mate2 = null;
      if (settings.layout() == Layout.MATE_FILES) {
        String ext = settings.extension();
        String r2 = path.substring(0, path.length() - ext.length()) + MATE_2 + ext.substring(3);
        try {
          mate2 = new Part(files, r2, settings, deflated);
        } catch (RuntimeException e) {
          closeAfter(first, e);
          throw e;
        }
      }
      this.second = mate2;
    }

    private void closeAfter(Part part, RuntimeException failure) {
      try {
        part.close(files);
      } catch (RuntimeException suppressed) {
        failure.addSuppressed(suppressed);
      }
    }

    @Override
    public void write(InternalRow row) {
      long number = rows.rows + 1;
      // Every record of the row is checked before any is written: a pair is written whole.
      for (FastqRowFormat format : formats) {
        format.check(row, number, task);
      }
      try {
        formats[0].emit(row, first.out);
        for (int i = 1; i < formats.length; i++) {
          formats[i].emit(row, second == null ? first.out : second.out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write to " + path + ": " + e.getMessage(), e);
      }
      rows.rows++;
    }

    @Override
    public void close() {
      if (second == null) {
        first.close(files);
        return;
      }
      try {
        first.close(files);
      } catch (RuntimeException e) {
        closeAfter(second, e);
        throw e;
      }
      second.close(files);
    }

    @Override
    public String path() {
      return path;
    }
  }
}
