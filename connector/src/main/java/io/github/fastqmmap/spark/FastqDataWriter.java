/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.FileNameSpec;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import scala.Option;

/**
 * Writes one task's rows into one part file ({@code part-<n>-<job uuid>.fastq[.gz|.bgz]}) in the
 * commit protocol's temporary location, opened at the first row (a task without rows writes no
 * file). Commit closes the file and commits the task; abort deletes what the attempt wrote.
 */
final class FastqDataWriter implements DataWriter<InternalRow> {
  private static final System.Logger LOG = System.getLogger(FastqDataWriter.class.getName());

  /** What a committed task tells the driver. */
  static final class Committed implements WriterCommitMessage {
    private static final long serialVersionUID = 1L;

    final FileCommitProtocol.TaskCommitMessage taskCommit;
    final long records;

    Committed(FileCommitProtocol.TaskCommitMessage taskCommit, long records) {
      this.taskCommit = taskCommit;
      this.records = records;
    }
  }

  private final FileCommitProtocol committer;
  private final TaskAttemptContext context;
  private final int task;
  private final FastqRowFormat format;
  private final WriteCompression compression;
  private OutputStream out;
  private long records;

  FastqDataWriter(
      FileCommitProtocol committer,
      TaskAttemptContext context,
      int task,
      FastqRowFormat format,
      WriteCompression compression) {
    this.committer = committer;
    this.context = context;
    this.task = task;
    this.format = format;
    this.compression = compression;
    committer.setupTask(context);
  }

  @Override
  public void write(InternalRow row) throws IOException {
    if (out == null) {
      String file =
          committer.newTaskTempFile(
              context, Option.empty(), FileNameSpec.apply("", compression.extension()));
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(context.getConfiguration());
      out = compression.wrap(fs.create(path, false));
    }
    format.write(row, records + 1, task, out);
    records++;
  }

  @Override
  public WriterCommitMessage commit() throws IOException {
    closeFile();
    return new Committed(committer.commitTask(context), records);
  }

  @Override
  public void abort() throws IOException {
    try {
      closeQuietly();
    } finally {
      committer.abortTask(context);
    }
  }

  private void closeFile() throws IOException {
    OutputStream o = out;
    out = null;
    if (o != null) {
      o.close();
    }
  }

  private void closeQuietly() {
    try {
      closeFile();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "fastq-mmap: error while closing an aborted part file", e);
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
