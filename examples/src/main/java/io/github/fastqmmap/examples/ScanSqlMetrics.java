package io.github.fastqmmap.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanExecBase;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads the SQL metrics of the data-source scan nodes of an executed physical plan: what the SQL
 * tab shows for that query. The connector reports its counters there under the same names as its
 * accumulators ({@code records}, {@code bases}, ...).
 */
public final class ScanSqlMetrics {
  private ScanSqlMetrics() {}

  /**
   * Metric name -> value summed over every DSv2 scan node of the plan (after it ran); sums only, so
   * the {@code maxRecordBytes} maximum is left out.
   */
  public static Map<String, Long> of(SparkPlan executedPlan) {
    List<SparkPlan> scans = new ArrayList<>();
    collectScans(executedPlan, scans);
    Map<String, Long> totals = new TreeMap<>();
    for (SparkPlan scan : scans) {
      for (Map.Entry<String, SQLMetric> e :
          CollectionConverters.asJava(scan.metrics()).entrySet()) {
        if (e.getKey().equals("maxRecordBytes")) {
          // A maximum: the SQL tab shows it right (the metric's own aggregation of task values),
          // but the driver-side SQLMetric adds task values up, so its value means nothing here.
          continue;
        }
        totals.merge(e.getKey(), e.getValue().value(), Long::sum);
      }
    }
    return totals;
  }

  private static void collectScans(SparkPlan plan, List<SparkPlan> scans) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      collectScans(((AdaptiveSparkPlanExec) plan).executedPlan(), scans);
      return;
    }
    if (plan instanceof QueryStageExec) {
      collectScans(((QueryStageExec) plan).plan(), scans);
      return;
    }
    if (plan instanceof DataSourceV2ScanExecBase) {
      scans.add(plan);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      collectScans(child, scans);
    }
  }
}
