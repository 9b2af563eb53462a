/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.stream.BgzfIndex;
import io.github.fastqmmap.stream.BgzfOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * FASTQ as a Spark file format, for writing: {@code df.write().format("fastq-mmap")} hands its rows
 * to Spark's own file writer ({@code FileFormatWriter}, the one behind Parquet and CSV) through
 * this class, so that save modes, {@code partitionBy}, {@code maxRecordsPerFile}, the commit
 * protocol and the write metrics (files, bytes, rows) are Spark's, the same on every Spark line.
 * Each part file is {@code part-<task>-<job uuid>-c<n>.fastq[.gz|.bgz]}; a BGZF part gets its
 * {@code .gzi} index beside it (unless {@code bgzfIndex=false}), written into the same task
 * directory, so that the commit protocol promotes both together. Reads go through {@link
 * FastqDataSource}; this class does not read.
 */
public final class FastqFileFormat extends ScalaFileFormat {
  /** The schema a fastq-mmap read has; a write takes any DataFrame with these columns. */
  @Override
  protected Optional<StructType> inferSchema(Map<String, String> options, List<FileStatus> files) {
    return Optional.of(FastqColumn.tableSchema(null));
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
    WriteCompression compression = compression(map);
    boolean index = FastqOptions.BGZF_INDEX.get(map, SQLConf.get());
    FastqRowFormat.of(dataSchema);
    return new WriterFactory(compression, index);
  }

  /** The {@code compression} option of a write, or Spark's error naming the accepted values. */
  static WriteCompression compression(CaseInsensitiveStringMap options) {
    return FastqOptions.COMPRESSION.get(options, SQLConf.get());
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

    private final WriteCompression compression;
    private final boolean index;

    WriterFactory(WriteCompression compression, boolean index) {
      this.compression = compression;
      this.index = index;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return compression.extension();
    }

    @Override
    public OutputWriter newInstance(
        String path, StructType dataSchema, TaskAttemptContext context) {
      return new PartWriter(path, FastqRowFormat.of(dataSchema), compression, index, context);
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

  /** One part file, created when Spark opens it and complete when Spark closes it. */
  private static final class PartWriter extends OutputWriter {
    private final String path;
    private final FastqRowFormat format;
    private final TaskRows rows;
    private final int task;
    private final FileSystem fs;
    private final OutputStream out;
    /** The BGZF stream whose index is written beside the part; null for none. */
    private final BgzfOutputStream indexed;

    PartWriter(
        String path,
        FastqRowFormat format,
        WriteCompression compression,
        boolean index,
        TaskAttemptContext ctx) {
      this.path = path;
      this.format = format;
      this.rows = taskRows();
      this.task = TaskContext.getPartitionId();
      try {
        Path file = new Path(path);
        this.fs = file.getFileSystem(ctx.getConfiguration());
        this.out = compression.wrap(fs.create(file, false), path);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the FASTQ part file " + path + ": " + e, e);
      }
      this.indexed = index && out instanceof BgzfOutputStream b ? b : null;
    }

    @Override
    public void write(InternalRow row) {
      try {
        format.write(row, rows.rows + 1, task, out);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write to " + path + ": " + e.getMessage(), e);
      }
      rows.rows++;
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot finish " + path + ": " + e.getMessage(), e);
      }
      if (indexed != null) {
        // Written after the part is complete, so that the index is not older than its file (a
        // reader ignores an older one) and lists every block.
        String gzi = path + BgzfIndex.SUFFIX;
        try (OutputStream index = new BufferedOutputStream(fs.create(new Path(gzi), false))) {
          indexed.writeIndex(index);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot write the BGZF index " + gzi + ": " + e, e);
        }
      }
    }

    @Override
    public String path() {
      return path;
    }
  }
}
