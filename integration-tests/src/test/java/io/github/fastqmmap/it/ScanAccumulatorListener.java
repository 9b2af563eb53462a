/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Collects the updates of the connector's named accumulators ({@code fastq-mmap.records}, ...) that
 * successful tasks of one job group sent back, by the executor that ran the task. Spark merges only
 * successful tasks' updates into an accumulator, so the sum over executors is the accumulator's
 * value for that job group.
 *
 * <p>Listener events arrive asynchronously: after the action returns, {@link #awaitJobs} waits
 * until every job of the group has been seen to end.
 */
final class ScanAccumulatorListener extends SparkListener {
  private static final String PREFIX = "fastq-mmap.";
  private static final String JOB_GROUP = "spark.jobGroup.id";

  private final String jobGroup;
  private final Map<Integer, Integer> stageToJob = new HashMap<>();
  private final Set<Integer> runningJobs = new HashSet<>();
  private int endedJobs;

  /** executor id -> accumulator name -> sum (or max, for maxRecordBytes) of task updates. */
  private final Map<String, Map<String, Long>> byExecutor = new TreeMap<>();

  /** executor id -> successful tasks. */
  private final Map<String, Integer> tasksByExecutor = new TreeMap<>();

  public ScanAccumulatorListener(String jobGroup) {
    this.jobGroup = jobGroup;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    if (jobStart.properties() == null
        || !jobGroup.equals(jobStart.properties().getProperty(JOB_GROUP))) {
      return;
    }
    runningJobs.add(jobStart.jobId());
    for (Object stageId : CollectionConverters.asJava(jobStart.stageIds())) {
      stageToJob.put((Integer) stageId, jobStart.jobId());
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
    if (runningJobs.remove(jobEnd.jobId())) {
      endedJobs++;
      notifyAll();
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (!stageToJob.containsKey(taskEnd.stageId())
        || !(taskEnd.reason() instanceof Success$)
        || taskEnd.taskInfo() == null) {
      return;
    }
    String executor = taskEnd.taskInfo().executorId();
    tasksByExecutor.merge(executor, 1, Integer::sum);
    for (AccumulableInfo info : CollectionConverters.asJava(taskEnd.taskInfo().accumulables())) {
      if (info.name().isEmpty() || info.update().isEmpty()) {
        continue;
      }
      String name = info.name().get();
      Object update = info.update().get();
      if (!name.startsWith(PREFIX) || !(update instanceof Long)) {
        continue;
      }
      Map<String, Long> sums = byExecutor.computeIfAbsent(executor, e -> new TreeMap<>());
      if (name.endsWith(".maxRecordBytes")) {
        sums.merge(name, (Long) update, Math::max);
      } else {
        sums.merge(name, (Long) update, Long::sum);
      }
    }
  }

  /** Waits until at least one job of the group started and all of its jobs have ended. */
  public synchronized void awaitJobs(long timeout, TimeUnit unit)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (endedJobs == 0 || !runningJobs.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "listener events of job group "
                + jobGroup
                + " did not arrive in "
                + timeout
                + " "
                + unit);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Accumulator name -> executor id -> that executor's share. */
  public synchronized Map<String, Map<String, Long>> byAccumulator() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byExecutor.forEach(
        (executor, sums) ->
            sums.forEach(
                (name, v) -> out.computeIfAbsent(name, n -> new TreeMap<>()).put(executor, v)));
    return out;
  }

  /** Executor id -> successful tasks of the group. */
  public synchronized Map<String, Integer> tasksByExecutor() {
    return new TreeMap<>(tasksByExecutor);
  }
}
