/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.SparkHadoopWriterUtils;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One write job through Spark's file commit protocol (the class of {@code
 * spark.sql.sources.commitProtocolClass}, by default Hadoop's FileOutputCommitter): tasks write
 * part files to a temporary location, a committed task's files are promoted, and the job's commit
 * moves them into the output directory and writes {@code _SUCCESS}. An aborted job leaves no part
 * file behind. With truncate (mode overwrite) the existing output is deleted first, as Spark's file
 * sources do.
 */
final class FastqBatchWrite implements BatchWrite {
  private final String path;
  private final StructType rowSchema;
  private final WriteCompression compression;
  private final Job job;
  private final FileCommitProtocol committer;
  private final String jobTrackerId;

  FastqBatchWrite(
      String path,
      StructType rowSchema,
      WriteCompression compression,
      Configuration hadoopConf,
      boolean truncate) {
    this.path = path;
    this.rowSchema = rowSchema;
    this.compression = compression;
    try {
      Path output = new Path(path);
      this.job = Job.getInstance(new Configuration(hadoopConf));
      FileOutputFormat.setOutputPath(job, output);
      this.committer =
          FileCommitProtocol.instantiate(
              SQLConf.get().fileCommitProtocolClass(), UUID.randomUUID().toString(), path, false);
      if (truncate) {
        FileSystem fs = output.getFileSystem(job.getConfiguration());
        if (fs.exists(output) && !committer.deleteWithJob(fs, output, true)) {
          throw new IOException("Unable to clear output directory " + output + " to overwrite it");
        }
      }
      this.jobTrackerId = SparkHadoopWriterUtils.createJobTrackerID(new Date());
      committer.setupJob(job);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start writing FASTQ to " + path + ": " + e, e);
    }
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new FastqDataWriterFactory(
        committer,
        new SerializableConfiguration(job.getConfiguration()),
        jobTrackerId,
        rowSchema,
        compression);
  }

  /**
   * No: the commit protocol asks Spark's output commit coordinator itself when a task commits (as
   * Spark's own file writes do), and a second request for the same attempt would be denied.
   */
  @Override
  public boolean useCommitCoordinator() {
    return false;
  }

  @Override
  public void onDataWriterCommit(WriterCommitMessage message) {
    committer.onTaskCommit(((FastqDataWriter.Committed) message).taskCommit);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    List<FileCommitProtocol.TaskCommitMessage> tasks = new ArrayList<>();
    for (WriterCommitMessage m : messages) {
      tasks.add(((FastqDataWriter.Committed) m).taskCommit);
    }
    committer.commitJob(job, CollectionConverters.asScala(tasks).toSeq());
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    committer.abortJob(job);
  }

  @Override
  public String toString() {
    return "FastqBatchWrite " + path;
  }
}
