/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;

/**
 * The metrics of the fastq-mmap scans a query ran, read in code after an action: the scan nodes'
 * SQL metrics, summed over scans (the per-query truth), with {@code maxRecordBytes} as the maximum.
 *
 * <pre>{@code
 * Dataset<Row> reads = spark.read().format("fastq-mmap").load(path);
 * FastqMetrics.Measured<Long> counted = FastqMetrics.measure(spark, reads::count);
 * long records = counted.metrics().get(ReadMetric.RECORDS);
 *
 * List<Row> rows = reads.collectAsList();          // an action on reads' own plan
 * long bases = FastqMetrics.of(reads).get(ReadMetric.BASES);
 * }</pre>
 *
 * <p>NOTE: {@link #of} reads the plan of the Dataset itself, so the action must run that plan
 * ({@code collect}, {@code foreach}, {@code write}); {@code count()} and other aggregates run a
 * plan of their own, which {@link #measure} captures.
 */
public final class FastqMetrics {
  private static final long LISTENER_WAIT_MILLIS = 60_000;

  private final Map<ReadMetric, Long> values;
  private final int scans;
  private final long outputRows;

  private FastqMetrics(Map<ReadMetric, Long> values, int scans, long outputRows) {
    this.values = values;
    this.scans = scans;
    this.outputRows = outputRows;
  }

  /** A value by metric; 0 when no scan reported it. */
  public long get(ReadMetric metric) {
    return values.getOrDefault(metric, 0L);
  }

  /** How many fastq-mmap scan nodes contributed. */
  public int scans() {
    return scans;
  }

  /**
   * Spark's own {@code numOutputRows} of those scan nodes: the records (and, in PERMISSIVE mode,
   * malformed rows) they returned; one per task for a pushed-down {@code COUNT(*)}.
   */
  public long outputRows() {
    return outputRows;
  }

  /** Every value by metric name, in {@link ReadMetric} order. */
  public Map<String, Long> asMap() {
    Map<String, Long> map = new LinkedHashMap<>();
    for (ReadMetric m : ReadMetric.values()) {
      map.put(m.metricName(), get(m));
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "FastqMetrics" + asMap();
  }

  /** The metrics of the fastq-mmap scans in the executed plan of {@code dataset}. */
  public static FastqMetrics of(Dataset<?> dataset) {
    return fromPlan(dataset.queryExecution().executedPlan());
  }

  /**
   * Runs an action and returns its result with the metrics of the fastq-mmap scans of every query
   * it ran in this session.
   */
  public static <T> Measured<T> measure(SparkSession spark, Supplier<T> action) {
    List<QueryExecution> executions = Collections.synchronizedList(new ArrayList<>());
    QueryExecutionListener listener =
        new QueryExecutionListener() {
          @Override
          public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
            executions.add(qe);
          }

          @Override
          public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
        };
    spark.listenerManager().register(listener);
    T result;
    try {
      result = action.get();
      // Listeners hear of a finished query on Spark's listener bus, after the action returns.
      spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_WAIT_MILLIS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain in 60 s", e);
    } finally {
      spark.listenerManager().unregister(listener);
    }
    List<SparkPlan> plans = new ArrayList<>();
    synchronized (executions) {
      for (QueryExecution qe : executions) {
        plans.add(qe.executedPlan());
      }
    }
    return new Measured<>(result, fromPlans(plans));
  }

  private static FastqMetrics fromPlan(SparkPlan plan) {
    return fromPlans(List.of(plan));
  }

  private static FastqMetrics fromPlans(List<SparkPlan> plans) {
    List<BatchScanExec> scans = new ArrayList<>();
    for (SparkPlan p : plans) {
      scans.addAll(scans(p));
    }
    Map<ReadMetric, Long> values = new EnumMap<>(ReadMetric.class);
    long outputRows = 0;
    for (BatchScanExec scan : scans) {
      Map<String, SQLMetric> metrics = ScalaCollections.asJava(scan.metrics());
      SQLMetric rows = metrics.get("numOutputRows");
      outputRows += rows == null ? 0 : rows.value();
      for (ReadMetric m : ReadMetric.values()) {
        long v;
        if (m.kind().isMax()) {
          // A SQL metric adds task values on the driver; the largest comes from the accumulator.
          ScanAccumulators acc = ((FastqScan) scan.scan()).accumulators();
          v = acc == null ? 0 : acc.value(m);
          values.merge(m, v, Math::max);
        } else {
          SQLMetric metric = metrics.get(m.metricName());
          v = metric == null ? 0 : metric.value();
          values.merge(m, v, Long::sum);
        }
      }
    }
    return new FastqMetrics(values, scans.size(), outputRows);
  }

  /** The fastq-mmap scan nodes of an executed plan, looking inside adaptive query stages. */
  static List<BatchScanExec> scans(SparkPlan plan) {
    List<BatchScanExec> out = new ArrayList<>();
    collectScans(plan, out);
    return out;
  }

  private static void collectScans(SparkPlan plan, List<BatchScanExec> out) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      collectScans(((AdaptiveSparkPlanExec) plan).executedPlan(), out);
      return;
    }
    if (plan instanceof QueryStageExec) {
      collectScans(((QueryStageExec) plan).plan(), out);
      return;
    }
    if (plan instanceof BatchScanExec && ((BatchScanExec) plan).scan() instanceof FastqScan) {
      out.add((BatchScanExec) plan);
      return;
    }
    for (SparkPlan child : ScalaCollections.asJava(plan.children())) {
      collectScans(child, out);
    }
  }

  /** An action's result and the metrics of the scans it ran. */
  public static final class Measured<T> {
    private final T result;
    private final FastqMetrics metrics;

    Measured(T result, FastqMetrics metrics) {
      this.result = result;
      this.metrics = metrics;
    }

    public T result() {
      return result;
    }

    public FastqMetrics metrics() {
      return metrics;
    }
  }
}
