/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.examples.FastqQc;
import io.github.fastqmmap.examples.FastqSql;
import io.github.fastqmmap.examples.QcCharts;
import io.github.fastqmmap.examples.QcReport;
import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.spark.FastqMetrics;
import io.github.fastqmmap.spark.SparkTestSession;
import io.github.fastqmmap.testing.ExpectedScanMetrics;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The examples on {@code local-cluster[2,1,1024]}: two executor JVMs started by Spark itself,
 * without a standalone Master and Worker, for checks that need executors in other JVMs but no
 * spark-submit. SPARK_HOME (set by Failsafe) has an empty jars/; the executors take their classes
 * from this JVM's class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class LocalClusterIT {
  private static final int TOP = 20;

  private SparkSession spark;
  private final List<Path> inputs = new ArrayList<>();
  private FastqData.Reference reference;

  @BeforeAll
  void start() throws IOException {
    inputs.addAll(FastqData.qcInputs());
    reference = FastqData.reference(inputs);

    String sparkHome = System.getenv("SPARK_HOME");
    assertThat(sparkHome).as("SPARK_HOME, set by the Failsafe configuration").isNotBlank();
    Files.createDirectories(Paths.get(sparkHome, "jars"));
    // One SparkContext per JVM: the shared local[2] session of other tests must go first.
    SparkTestSession.stop();
    spark =
        SparkSession.builder()
            .master("local-cluster[2,1,1024]")
            .appName("fastq-mmap local-cluster")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .config("spark.executor.extraJavaOptions", ItEnv.sparkJavaOptions())
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
  }

  @Test
  void scanMetricsFromExecutorJvmsEqualTheWorkedOutTruth() throws IOException {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(77)
            .records(20_000)
            .readLengths(60, 250)
            .trickyHeaders(true)
            .generate();
    Path file = g.writeTo(ItEnv.workDir("data").resolve("metrics-truth.fastq"));
    long split = 16384;
    Map<ReadMetric, Long> expected =
        ExpectedScanMetrics.forRanges(g.reads(), Files.size(file), split, MappedFile.pageSize());
    Dataset<Row> reads =
        spark
            .read()
            .format("fastq-mmap")
            .option("maxPartitionBytes", Long.toString(split))
            .option("prefetchBytes", "0")
            .option("windowBytes", "1m")
            .load(file.toString());
    FastqMetrics.Measured<Long> counted = FastqMetrics.measure(spark, reads::count);
    assertThat(counted.result()).isEqualTo(g.reads().size());
    assertThat(spark.sparkContext().getExecutorIds().size()).isEqualTo(2);
    for (Map.Entry<ReadMetric, Long> e : expected.entrySet()) {
      assertThat(counted.metrics().get(e.getKey()))
          .as("%s summed over two executor JVMs", e.getKey().metricName())
          .isEqualTo(e.getValue());
    }
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  @Test
  void qcJobMatchesASequentialParseAndReadsInTwoExecutorJvms() throws Exception {
    List<String> paths = new ArrayList<>();
    inputs.forEach(p -> paths.add(p.toString()));
    Map<String, String> options = Map.of("maxPartitionBytes", "256k");
    FastqQc.QcRun run = FastqQc.run(spark, paths, options, TOP);
    QcDiagnostics d = QcDiagnostics.collect(spark, paths, options);

    assertThat(QcReport.summaryTsv(run.stats, run.duplication))
        .isEqualTo(reference.summaryTsv(TOP));

    long testPid = ProcessHandle.current().pid();
    Set<String> executors = d.readerExecutors();
    Set<Long> pids = d.readerPids();
    System.out.printf(
        "local-cluster: driver pid %d (this JVM), %d partitions read by executors %s, pids %s;"
            + " accumulators %s / %s; SQL metrics records=%d bases=%d%n",
        d.driverPid,
        d.partitions.size(),
        executors,
        pids,
        d.accumulators.get("fastq-mmap.records"),
        d.accumulators.get("fastq-mmap.bases"),
        d.sqlMetrics.get("records"),
        d.sqlMetrics.get("bases"));
    assertThat(d.driverPid).isEqualTo(testPid);
    assertThat(executors).containsExactlyInAnyOrder("0", "1");
    assertThat(pids).hasSize(2).doesNotContain(testPid);

    assertThat(d.accumulators.get("fastq-mmap.records")).containsOnlyKeys("0", "1");
    assertThat(d.accumulators.get("fastq-mmap.records").values()).allMatch(v -> v > 0);
    assertThat(d.accumulatorTotal("fastq-mmap.records")).isEqualTo(reference.reads);
    assertThat(d.accumulatorTotal("fastq-mmap.bases")).isEqualTo(reference.bases);
    assertThat(d.sqlMetrics.get("records")).isEqualTo(reference.reads);
    assertThat(d.sqlMetrics.get("bases")).isEqualTo(reference.bases);

    // The report: HTML naming its four plots, each a real PNG image.
    Path out = ItEnv.workDir("qc-local-cluster");
    QcReport.write(out, paths, run.stats, run.duplication);
    String html = Files.readString(out.resolve(QcReport.HTML), StandardCharsets.UTF_8);
    for (String png :
        List.of(
            QcCharts.PER_POSITION_QUALITY,
            QcCharts.LENGTH_DISTRIBUTION,
            QcCharts.GC_CONTENT,
            QcCharts.MEAN_QUALITY)) {
      assertThat(html).contains("<img src=\"" + png + "\"");
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertThat(image).as(png).isNotNull();
      assertThat(image.getWidth()).as(png).isGreaterThanOrEqualTo(800);
    }
  }

  @Test
  void sqlExampleAnswersWhatAPlainParseFinds() throws Exception {
    Map<String, String> vars = FastqSql.defaultVariables();
    vars.put("path", ItEnv.dataDir() + "/*.fastq");
    vars.put("minQuality", "31");
    List<FastqSql.Result> results = FastqSql.run(spark, FastqSql.bundledScript(), vars);
    List<FastqSql.Result> queries = new ArrayList<>();
    for (FastqSql.Result r : results) {
      if (!r.columns.isEmpty()) {
        queries.add(r);
        System.out.println("-- " + r.title + "\n" + FastqSql.format(r));
      }
    }
    assertThat(queries).hasSize(5);

    // What the queries should find, by a plain parse of the same two files.
    TreeMap<Long, Long> bins = new TreeMap<>();
    long reads = 0;
    long lowQuality = 0;
    long withAdapter = 0;
    String adapter = vars.get("adapter");
    for (Path f :
        List.of(
            ItEnv.dataDir().resolve("sample.fastq"), ItEnv.dataDir().resolve("untrimmed.fastq"))) {
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
        String header;
        while ((header = in.readLine()) != null) {
          String seq = in.readLine();
          in.readLine();
          String qual = in.readLine();
          reads++;
          bins.merge(10L * (seq.length() / 10), 1L, Long::sum);
          long sum = 0;
          for (int i = 0; i < qual.length(); i++) {
            sum += qual.charAt(i) - 33;
          }
          if ((double) sum / qual.length() < 31) {
            lowQuality++;
          }
          if (seq.contains(adapter)) {
            withAdapter++;
          }
        }
      }
    }

    FastqSql.Result histogram = queries.get(0);
    assertThat(histogram.columns).startsWith("from_bp", "to_bp", "reads");
    TreeMap<Long, Long> sqlBins = new TreeMap<>();
    for (List<String> row : histogram.rows) {
      sqlBins.put(Long.parseLong(row.get(0)), Long.parseLong(row.get(2)));
    }
    assertThat(sqlBins).isEqualTo(bins);

    FastqSql.Result low = queries.get(1);
    assertThat(low.rows).hasSize(1);
    assertThat(low.rows.get(0).subList(0, 2))
        .containsExactly(Long.toString(reads), Long.toString(lowQuality));
    assertThat(lowQuality).isPositive();
    assertThat(queries.get(2).rows).hasSize((int) Math.min(10, lowQuality));

    FastqSql.Result adapters = queries.get(3);
    assertThat(adapters.rows.get(0).subList(0, 2))
        .containsExactly(Long.toString(reads), Long.toString(withAdapter));
    assertThat(withAdapter).isPositive();
    assertThat(queries.get(4).rows).hasSize((int) Math.min(5, withAdapter));
  }
}
