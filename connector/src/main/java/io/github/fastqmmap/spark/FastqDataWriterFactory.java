/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.SparkHadoopWriterUtils;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Shipped to executors: the commit protocol, the job's Hadoop configuration and what the rows look
 * like. Each task attempt gets its own Hadoop task attempt context, as Spark's file writers do.
 */
final class FastqDataWriterFactory implements DataWriterFactory {
  private static final long serialVersionUID = 1L;

  private final FileCommitProtocol committer;
  private final SerializableConfiguration hadoopConf;
  private final String jobTrackerId;
  private final StructType rowSchema;
  private final WriteCompression compression;

  FastqDataWriterFactory(
      FileCommitProtocol committer,
      SerializableConfiguration hadoopConf,
      String jobTrackerId,
      StructType rowSchema,
      WriteCompression compression) {
    this.committer = committer;
    this.hadoopConf = hadoopConf;
    this.jobTrackerId = jobTrackerId;
    this.rowSchema = rowSchema;
    this.compression = compression;
  }

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    TaskAttemptContext context = taskAttemptContext(partitionId, (int) taskId);
    return new FastqDataWriter(
        committer, context, partitionId, FastqRowFormat.of(rowSchema), compression);
  }

  private TaskAttemptContext taskAttemptContext(int partitionId, int attempt) {
    org.apache.hadoop.mapred.JobID jobId = SparkHadoopWriterUtils.createJobID(jobTrackerId, 0);
    TaskID task = new TaskID(jobId, TaskType.MAP, partitionId);
    TaskAttemptID attemptId = new TaskAttemptID(task, attempt);
    Configuration conf = new Configuration(hadoopConf.value());
    conf.set("mapreduce.job.id", jobId.toString());
    conf.set("mapreduce.task.id", task.toString());
    conf.set("mapreduce.task.attempt.id", attemptId.toString());
    conf.setBoolean("mapreduce.task.ismap", true);
    conf.setInt("mapreduce.task.partition", 0);
    return new TaskAttemptContextImpl(conf, attemptId);
  }
}
