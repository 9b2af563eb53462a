/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.FastqCustomMetric;
import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.ExpectedScanMetrics;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.execution.ui.SQLAppStatusStore;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;
import org.apache.spark.sql.execution.ui.SQLPlanMetric;
import org.apache.spark.sql.execution.ui.SparkPlanGraphNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every counted metric equals what the test works out on its own from the file, the planned ranges
 * and the documented mapping rule, in the accumulators and in the scan node's SQL metrics alike;
 * {@link FastqMetrics} reads the same numbers in code; the SQL tab lists every metric under its
 * description.
 *
 * <p>The mapping rule: a range {@code [s, e)} maps one window from the page before {@code s} (the
 * record-start rule looks one byte back; from 0 when {@code s} is 0) to {@code e} plus 64 KiB of
 * overhang, clipped to the file, when its records fit there; with {@code prefetchBytes=0} the only
 * {@code madvise} call per window is its read advice.
 */
class MetricsTruthTest {
  private static final long SPLIT = 16384;
  private static final Map<String, String> OPTIONS =
      Map.of("maxPartitionBytes", "16384", "prefetchBytes", "0", "windowBytes", "1m");

  @TempDir static Path dir;
  private static Path file;
  private static long length;
  private static List<Read> truth;
  private static Map<ReadMetric, Long> expected;

  @BeforeAll
  static void writeFile() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(404)
            .records(3000)
            .readLengths(60, 250)
            .trickyHeaders(true)
            .qualityLinesStartingWith(0.2, 0.1)
            .plusTitleFraction(0.3)
            .generate();
    file = g.writeTo(dir.resolve("truth.fastq"));
    length = Files.size(file);
    truth = g.reads();
    expected = ExpectedScanMetrics.forRanges(truth, length, SPLIT, MappedFile.pageSize());
  }

  @Test
  void accumulatorsAndSqlMetricsEqualTheWorkedOutTruth() {
    Dataset<Row> df = SparkReads.load(OPTIONS, file).select("name", "quality");
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(df::collectAsList);
    Map<String, Long> sql = ScanMetrics.sql(df);
    for (Map.Entry<ReadMetric, Long> e : expected.entrySet()) {
      ReadMetric m = e.getKey();
      assertThat(ScanMetrics.accumulator(acc, m))
          .as("accumulator %s", m.accumulatorName())
          .isEqualTo(e.getValue());
      if (!m.kind().isMax()) { // a SQL metric's driver value is a sum over tasks
        assertThat(sql.get(m.metricName()))
            .as("SQL metric %s", m.metricName())
            .isEqualTo(e.getValue());
      }
    }
    // Where records are short, what one range reads past its end is what the next one skips.
    assertThat(expected.get(ReadMetric.BYTES_SKIPPED))
        .isPositive()
        .isEqualTo(expected.get(ReadMetric.BYTES_OVERHANG));
  }

  @Test
  void fastqMetricsReadsTheSameNumbersInCode() {
    Dataset<Row> df = SparkReads.load(OPTIONS, file);
    FastqMetrics.Measured<Long> counted = FastqMetrics.measure(SparkReads.spark(), df::count);
    assertThat(counted.result()).isEqualTo(truth.size());
    assertThat(counted.metrics().scans()).isEqualTo(1);
    for (Map.Entry<ReadMetric, Long> e : expected.entrySet()) {
      assertThat(counted.metrics().get(e.getKey()))
          .as(e.getKey().metricName())
          .isEqualTo(e.getValue());
    }
    long longest = expected.get(ReadMetric.MAX_RECORD_BYTES);
    assertThat(counted.metrics().get(ReadMetric.VALUE_BYTES)).isZero();

    // of(): after an action on the Dataset's own plan; twice, and the SQL metrics stay per query.
    Dataset<Row> sequences = SparkReads.load(OPTIONS, file).select("sequence");
    for (int run = 0; run < 2; run++) {
      sequences.collectAsList();
      FastqMetrics m = FastqMetrics.of(sequences);
      assertThat(m.get(ReadMetric.RECORDS)).isEqualTo(truth.size());
      assertThat(m.get(ReadMetric.VALUE_BYTES)).isEqualTo(expected.get(ReadMetric.BASES));
      assertThat(m.get(ReadMetric.MAX_RECORD_BYTES)).isEqualTo(longest);
      assertThat(m.asMap()).hasSize(ReadMetric.values().length);
    }
  }

  @Test
  void malformedAndDroppedRecordsEqualTheReference() throws Exception {
    // Damage every 50th record's '+' line; the reference parser says what the stretches are.
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    StringBuilder damaged = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      boolean plusLine = i % 4 == 2;
      damaged.append(plusLine && (i / 4) % 50 == 7 ? "x" + lines[i] : lines[i]);
      if (i + 1 < lines.length) {
        damaged.append('\n');
      }
    }
    Path bad = SparkReads.write(dir.resolve("damaged.fastq"), damaged.toString());
    byte[] bytes = Files.readAllBytes(bad);
    ReferenceFastqParser.Result ref =
        ReferenceFastqParser.of(ParseOptions.builder().mode(ParseMode.DROPMALFORMED).build())
            .parse(bytes);
    List<Read> good = new ArrayList<>();
    long stretches = 0;
    for (ReferenceFastqParser.Item item : ref.items()) {
      if (item instanceof Malformed) {
        stretches++;
      } else {
        good.add((Read) item);
      }
    }
    assertThat(stretches).isEqualTo(60);

    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "16384", "mode", "DROPMALFORMED"), bad)
            .select("name");
    Map<String, Long> acc = ScanMetrics.accumulatorsDuring(df::collectAsList);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.RECORDS)).isEqualTo(good.size());
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.MALFORMED_RECORDS)).isEqualTo(stretches);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.DROPPED_RECORDS)).isEqualTo(stretches);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_PARSED)).isEqualTo(bytes.length);
    assertThat(ScanMetrics.sql(df, ReadMetric.MALFORMED_RECORDS)).isEqualTo(stretches);
    assertThat(ScanMetrics.sql(df, ReadMetric.DROPPED_RECORDS)).isEqualTo(stretches);
    assertThat(ScanMetrics.sql(df, ReadMetric.RECORDS)).isEqualTo(good.size());
  }

  @Test
  void aColdMappingTakesPlausiblePageFaults() throws Exception {
    // A file never mapped by this process: first touches fault, at most about once per page.
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(405).records(120_000).readLength(150).generate();
    Path cold = g.writeTo(dir.resolve("cold.fastq"));
    // Mapped windows: the fault counts of a mapping are the subject (windowRead=auto may copy a
    // file just written, which the page cache holds in small pages).
    Dataset<Row> df = SparkReads.load(Map.of("windowRead", "map"), cold);
    FastqMetrics m = FastqMetrics.measure(SparkReads.spark(), df::count).metrics();
    long faults = m.get(ReadMetric.MINOR_FAULTS) + m.get(ReadMetric.MAJOR_FAULTS);
    long pages = m.get(ReadMetric.BYTES_MAPPED) / MappedFile.pageSize();
    System.out.printf(
        Locale.ROOT,
        "cold mapping: %d minor + %d major faults over %d pages mapped%n",
        m.get(ReadMetric.MINOR_FAULTS),
        m.get(ReadMetric.MAJOR_FAULTS),
        pages);
    assertThat(pages).isGreaterThan(5000);
    assertThat(faults).isPositive();
    // Fault-around maps several pages per fault; the slack covers the thread's own heap pages.
    assertThat(faults).isLessThanOrEqualTo(pages + 2000);
  }

  @Test
  void theSqlTabListsEveryMetricUnderItsDescription() throws Exception {
    Dataset<Row> df = SparkReads.load(OPTIONS, file).select("name");
    df.collectAsList();
    SparkSession spark = SparkReads.spark();
    spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
    SQLAppStatusStore store = SparkSessions.sharedState(spark).statusStore();
    List<SQLExecutionUIData> executions = ScalaCollections.asJava(store.executionsList());
    SQLExecutionUIData last = executions.get(executions.size() - 1);
    SparkPlanGraphNode scanNode = null;
    for (SparkPlanGraphNode node :
        ScalaCollections.asJava(store.planGraph(last.executionId()).allNodes())) {
      if (node.name().startsWith("BatchScan")) {
        scanNode = node;
      }
    }
    assertThat(scanNode).as("scan node in the SQL tab's plan graph").isNotNull();
    Map<String, String> typeByName = new HashMap<>();
    for (SQLPlanMetric metric : ScalaCollections.asJava(scanNode.metrics())) {
      typeByName.put(metric.name(), metric.metricType());
    }
    for (CustomMetric metric : FastqCustomMetric.all()) {
      assertThat(typeByName)
          .as("the SQL tab shows %s as '%s'", metric.name(), metric.description())
          .containsEntry(metric.description(), "v2Custom_" + metric.getClass().getName());
    }
    // The values shown are the metric classes' own text: a total with min, median and max.
    Map<String, String> shown = ScanMetrics.sqlTab(df);
    assertThat(shown.get(ReadMetric.RECORDS.metricName()))
        .startsWith(String.format(Locale.ROOT, "%,d (min ", truth.size()));
  }
}
