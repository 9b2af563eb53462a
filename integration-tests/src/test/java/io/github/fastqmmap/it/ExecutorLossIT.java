/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.crc32;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.spark.FastqMetrics;
import io.github.fastqmmap.spark.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.Resubmitted$;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An executor JVM killed with SIGKILL in the middle of a scan on a standalone cluster: Spark must
 * re-run the lost tasks (the one running on it, and the finished ones whose shuffle output died
 * with it) and the result must still be exact, with no record lost or counted twice.
 *
 * <p>The driver runs inside this test JVM (client mode), so that a listener sees every task start,
 * end and failure. The scan is slowed down on purpose (a {@code Thread.sleep} through Spark's
 * {@code reflect} on one read in 40) so that tasks take about a second and the kill lands while one
 * is reading.
 */
@ExtendWith(StandaloneClusterExtension.class)
class ExecutorLossIT {
  private static final int READS = 30_000;

  /** Records what the scheduler did, from the driver's listener bus. */
  static final class SchedulerLog extends SparkListener {
    final Map<String, Integer> running = new HashMap<>();
    final Map<String, Integer> succeeded = new TreeMap<>();
    final List<String> executorLost = new ArrayList<>();
    final List<String> otherFailures = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    final List<String> added = new ArrayList<>();
    int resubmitted;
    int successes;

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart e) {
      running.merge(e.taskInfo().executorId(), 1, Integer::sum);
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
      String executor = e.taskInfo().executorId();
      running.merge(executor, -1, Integer::sum);
      if (e.reason() instanceof Success$) {
        successes++;
        succeeded.merge(executor, 1, Integer::sum);
      } else if (e.reason() instanceof ExecutorLostFailure) {
        executorLost.add(
            "stage "
                + e.stageId()
                + " task "
                + e.taskInfo().index()
                + " on executor "
                + executor
                + ": "
                + ((ExecutorLostFailure) e.reason()).toErrorString());
      } else if (e.reason() instanceof Resubmitted$) {
        resubmitted++;
      } else {
        otherFailures.add(executor + ": " + e.reason());
      }
    }

    @Override
    public synchronized void onExecutorAdded(SparkListenerExecutorAdded e) {
      added.add(e.executorId());
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved e) {
      removed.add(e.executorId() + " (" + e.reason() + ")");
    }

    /** An executor that finished a task and is running one now, once 3 tasks have succeeded. */
    synchronized Optional<String> victim() {
      if (successes < 3) {
        return Optional.empty();
      }
      return running.entrySet().stream()
          .filter(e -> e.getValue() > 0 && succeeded.getOrDefault(e.getKey(), 0) > 0)
          .map(Map.Entry::getKey)
          .findFirst();
    }
  }

  @Test
  @Timeout(480)
  void killedExecutorsTasksAreRerunAndTheResultStaysExact(StandaloneCluster cluster)
      throws Exception {
    Path file = ItEnv.workDir("data").resolve("loss-gen-seed23-" + READS + ".fastq");
    FastqData.generate(file, 23, READS);
    FastqData.Reference ref = FastqData.reference(List.of(file));

    // Bounded retries of the set-up only: if a (very fast) run ends before a kill could land, run
    // again with longer sleeps. The assertions below are made once, on a run with a kill.
    Attempt attempt = null;
    for (int sleepMs : new int[] {20, 60}) {
      attempt = attempt(cluster, file, sleepMs);
      if (attempt.killedPid != 0) {
        break;
      }
      System.out.println("run ended before an executor could be killed; again, slower");
    }
    assertThat(attempt.killedPid).as("an executor was killed during the scan").isNotZero();
    Attempt run = attempt;
    System.out.printf(
        "killed executor %s (pid %d) after %d successful tasks; result %s; expected reads=%d"
            + " bases=%d crc=%d; executor-lost task failures %s; resubmitted %d; removed %s;"
            + " added %s; successes by executor %s; SQL metrics %s; took %d ms%n",
        attempt.victim,
        attempt.killedPid,
        attempt.successesAtKill,
        attempt.result,
        ref.reads,
        ref.bases,
        ref.sequenceCrcSum,
        attempt.log.executorLost,
        attempt.log.resubmitted,
        attempt.log.removed,
        attempt.log.added,
        attempt.log.succeeded,
        attempt.sqlMetrics,
        attempt.millis);

    // The result is exact: every record once.
    assertThat(attempt.result.getLong(0)).as("reads").isEqualTo(ref.reads);
    assertThat(attempt.result.getLong(1)).as("bases").isEqualTo(ref.bases);
    assertThat(attempt.result.getLong(2)).as("distinct names").isEqualTo(ref.reads);
    assertThat(attempt.result.getLong(3))
        .as("sum of crc32(sequence)")
        .isEqualTo(ref.sequenceCrcSum);

    // And the loss really happened: the JVM died, Spark saw its running task fail with the
    // executor, removed the executor, and the cluster gave the application a new one. (The SQL
    // metrics, printed above, count the re-run tasks' reading again: they are not asserted.)
    assertThat(ProcessHandle.of(attempt.killedPid)).isEmpty();
    assertThat(attempt.log.executorLost)
        .as("tasks failed with the executor")
        .isNotEmpty()
        .allMatch(s -> s.contains("on executor " + run.victim + ":"));
    assertThat(attempt.log.removed).anyMatch(s -> s.startsWith(run.victim + " "));
    // (The listener was added after the first two executors registered: it sees only the new one.)
    assertThat(attempt.log.added).isNotEmpty().doesNotContain(run.victim);
    // A reduce task may still meet the dead executor's shuffle files (FetchFailed, then the map
    // stage is re-run): another legitimate recovery. Nothing else may fail.
    assertThat(attempt.log.otherFailures).allMatch(s -> s.contains("FetchFailed"));
    assertThat(attempt.log.succeeded.keySet()).doesNotContain("driver");
  }

  /** What one run did. */
  static final class Attempt {
    SchedulerLog log;
    String victim;
    long killedPid;
    int successesAtKill;
    Row result;
    Map<String, Long> sqlMetrics;
    long millis;
  }

  private static Attempt attempt(StandaloneCluster cluster, Path file, int sleepMs)
      throws Exception {
    Attempt a = new Attempt();
    // One SparkContext per JVM: the shared local[2] session of other tests must go first.
    SparkTestSession.stop();
    SparkSession spark =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("fastq-mmap executor loss")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.jars", ItEnv.connectorJar().toString())
            .config("spark.executor.cores", "1")
            .config("spark.cores.max", "2")
            .config("spark.executor.memory", "512m")
            .config("spark.executor.extraJavaOptions", ItEnv.sparkJavaOptions())
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      a.log = new SchedulerLog();
      spark.sparkContext().addSparkListener(a.log);
      String appId = spark.sparkContext().applicationId();
      Dataset<Row> reads =
          spark
              .read()
              .format("fastq-mmap")
              .option("maxPartitionBytes", "512k")
              .load(file.toString());
      Dataset<Row> query =
          reads
              .where(
                  expr(
                      "reflect('java.lang.Thread', 'sleep', CAST(IF(crc32(name) % 40 = 0, "
                          + sleepMs
                          + ", 0) AS BIGINT)) = 'null'"))
              .agg(
                  count(lit(1)),
                  sum(octet_length(col("sequence"))),
                  countDistinct(col("name")),
                  sum(crc32(col("sequence"))));
      long start = System.nanoTime();
      Future<List<Row>> result = background.submit(query::collectAsList);

      // Wait for a task to be running on an executor that already finished one, then kill it.
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!result.isDone() && System.nanoTime() < deadline) {
        Optional<String> victim = a.log.victim();
        if (victim.isPresent()) {
          Optional<ProcessHandle> jvm =
              Processes.findByCommandLine(
                  "CoarseGrainedExecutorBackend",
                  "--executor-id " + victim.get() + " ",
                  "--app-id " + appId);
          if (jvm.isPresent()) {
            synchronized (a.log) {
              a.successesAtKill = a.log.successes;
            }
            a.victim = victim.get();
            jvm.get().destroyForcibly(); // SIGKILL
            jvm.get().onExit().get(30, TimeUnit.SECONDS);
            a.killedPid = jvm.get().pid();
            break;
          }
        }
        Thread.sleep(50);
      }
      a.result = result.get(300, TimeUnit.SECONDS).get(0);
      a.millis = (System.nanoTime() - start) / 1_000_000;
      FastqMetrics scanned = FastqMetrics.of(query);
      a.sqlMetrics = new TreeMap<>();
      a.sqlMetrics.put("records", scanned.get(ReadMetric.RECORDS));
      a.sqlMetrics.put("bases", scanned.get(ReadMetric.BASES));
      a.sqlMetrics.put("numOutputRows", scanned.outputRows());
      return a;
    } finally {
      background.shutdownNow();
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }
}
