/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadMetric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.ui.SQLAppStatusStore;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;

/**
 * Reads a scan's metrics the two ways a user sees them: the SQL metrics of the {@code
 * BatchScanExec} node in an executed plan (per query), and the named {@code fastq-mmap.*}
 * accumulators (per action, collected from completed stages).
 */
public final class ScanMetrics {
  private static final AccumulatorCollector COLLECTOR = new AccumulatorCollector();
  private static boolean listening;

  private ScanMetrics() {}

  /**
   * The SQL metrics of every fastq-mmap scan node in the executed plan of {@code ds}, summed by
   * metric name. Call after an action on {@code ds} itself (not on a derived Dataset, such as the
   * one {@code count()} builds internally).
   */
  public static Map<String, Long> sql(Dataset<?> ds) {
    List<BatchScanExec> scans = FastqMetrics.scans(ds.queryExecution().executedPlan());
    if (scans.isEmpty()) {
      throw new AssertionError("no fastq-mmap scan in " + ds.queryExecution().executedPlan());
    }
    Map<String, Long> out = new HashMap<>();
    for (BatchScanExec scan : scans) {
      Map<String, SQLMetric> metrics = ScalaCollections.asJava(scan.metrics());
      for (Map.Entry<String, SQLMetric> e : metrics.entrySet()) {
        out.merge(e.getKey(), e.getValue().value(), Long::sum);
      }
    }
    return out;
  }

  /** One SQL metric of the scan node, by {@link ReadMetric}. */
  public static long sql(Dataset<?> ds, ReadMetric metric) {
    return sql(ds, metric.metricName());
  }

  /** One SQL metric of the scan node by name, such as Spark's own {@code numOutputRows}. */
  public static long sql(Dataset<?> ds, String name) {
    Long v = sql(ds).get(name);
    if (v == null) {
      throw new AssertionError("scan node has no metric " + name + ": " + sql(ds).keySet());
    }
    return v;
  }

  /**
   * The scan node's metrics as the SQL tab shows them (Spark re-creates each custom metric class by
   * name and aggregates the task values with it), by metric name. Call after an action on {@code
   * ds}.
   */
  public static Map<String, String> sqlTab(Dataset<?> ds) {
    List<BatchScanExec> scans = FastqMetrics.scans(ds.queryExecution().executedPlan());
    if (scans.size() != 1) {
      throw new AssertionError("expected one fastq-mmap scan, found " + scans.size());
    }
    org.apache.spark.sql.SparkSession spark = SparkReads.spark();
    drain(spark.sparkContext());
    SQLAppStatusStore store = SparkSessions.sharedState(spark).statusStore();
    Map<String, SQLMetric> metrics = ScalaCollections.asJava(scans.get(0).metrics());
    long someId = metrics.values().iterator().next().id();
    List<SQLExecutionUIData> executions = ScalaCollections.asJava(store.executionsList());
    for (int i = executions.size() - 1; i >= 0; i--) {
      Map<Object, String> shown =
          ScalaCollections.asJava(store.executionMetrics(executions.get(i).executionId()));
      if (shown.containsKey(someId)) {
        Map<String, String> out = new HashMap<>();
        metrics.forEach((name, metric) -> out.put(name, shown.get(metric.id())));
        return out;
      }
    }
    throw new AssertionError("no SQL execution shows the scan's metrics");
  }

  /**
   * Runs an action and returns the values the {@code fastq-mmap.*} accumulators reached in it, by
   * accumulator name (summed over the accumulators of several scans; the maximum for {@code
   * maxRecordBytes}). An accumulator Spark did not report (never updated with a non-zero value) is
   * absent; {@link #accumulator} reads it as 0.
   */
  public static Map<String, Long> accumulatorsDuring(Runnable action) {
    SparkContext sc = SparkReads.spark().sparkContext();
    synchronized (ScanMetrics.class) {
      if (!listening) {
        sc.addSparkListener(COLLECTOR);
        listening = true;
      }
    }
    drain(sc);
    COLLECTOR.latest.clear();
    action.run();
    drain(sc);
    Map<String, Long> out = new HashMap<>();
    for (AccumulableInfo info : COLLECTOR.latest.values()) {
      String name = info.name().get();
      long value = ((Number) info.value().get()).longValue();
      if (name.equals(ReadMetric.MAX_RECORD_BYTES.accumulatorName())) {
        out.merge(name, value, Math::max);
      } else {
        out.merge(name, value, Long::sum);
      }
    }
    return out;
  }

  /** One accumulator's value from {@link #accumulatorsDuring}; 0 when absent. */
  public static long accumulator(Map<String, Long> values, ReadMetric metric) {
    return values.getOrDefault(metric.accumulatorName(), 0L);
  }

  private static void drain(SparkContext sc) {
    try {
      sc.listenerBus().waitUntilEmpty(30_000);
    } catch (TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain in 30 s", e);
    }
  }

  /** Keeps the latest value of every named fastq-mmap accumulator of every completed stage. */
  private static final class AccumulatorCollector extends SparkListener {
    final Map<Long, AccumulableInfo> latest = new ConcurrentHashMap<>();

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
      for (AccumulableInfo info :
          ScalaCollections.asJava(event.stageInfo().accumulables()).values()) {
        if (info.name().isDefined()
            && info.name().get().startsWith(ReadMetric.ACCUMULATOR_PREFIX)
            && info.value().isDefined()) {
          latest.put(info.id(), info);
        }
      }
    }
  }
}
