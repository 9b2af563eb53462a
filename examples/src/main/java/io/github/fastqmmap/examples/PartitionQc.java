package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;

/**
 * The QC totals of one partition, and where it was read: the Spark executor id and the process id
 * of the JVM whose task read the partition ({@code driver} and the driver's pid in local mode).
 */
public final class PartitionQc implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int partition;
  public final String executorId;
  public final long pid;
  public final QcStats stats;

  PartitionQc(int partition, String executorId, long pid, QcStats stats) {
    this.partition = partition;
    this.executorId = executorId;
    this.pid = pid;
    this.stats = stats;
  }

  /** Reads rows of (sequence, quality) inside a task and returns the partition's totals. */
  static Iterator<PartitionQc> compute(Iterator<Row> rows) {
    QcStats s = new QcStats();
    while (rows.hasNext()) {
      Row r = rows.next();
      s.add(r.getString(0), r.getString(1));
    }
    TaskContext task = TaskContext.get();
    return List.of(
            new PartitionQc(
                task == null ? -1 : task.partitionId(),
                SparkEnv.get().executorId(),
                ProcessHandle.current().pid(),
                s))
        .iterator();
  }
}
