/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanRelation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two scans of the same files with the same options and columns are equal, so Spark reuses the work
 * of one for the other: a self-join or a union of identical aggregates shows {@code
 * ReusedExchange}, with adaptive execution off and on. Scans that differ in options, columns or
 * files are not equal.
 */
class PlanReuseTest {
  @TempDir static Path dir;
  private static Path file;
  private static Path other;
  private static List<Read> truth;

  @BeforeAll
  static void writeFiles() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(5).readLengths(20, 80).records(1500).generate();
    file = g.writeTo(dir.resolve("reads.fastq"));
    truth = g.reads();
    other = FastqFileGenerator.builder(6).records(10).generate().writeTo(dir.resolve("o.fastq"));
  }

  @AfterEach
  void restoreConf() {
    SparkReads.spark().conf().unset("spark.sql.adaptive.enabled");
    SparkReads.spark().conf().unset("spark.sql.autoBroadcastJoinThreshold");
  }

  private static Dataset<Row> load(Map<String, String> options, Path path) {
    return SparkReads.load(options, path);
  }

  /** The executed plan's text, after running the query (AQE settles its final plan then). */
  private static String executedPlan(Dataset<Row> df) {
    df.collectAsList();
    return df.queryExecution().executedPlan().toString();
  }

  private static long expectedSelfJoinRows() {
    Map<String, Long> perName = new HashMap<>();
    for (Read r : truth) {
      perName.merge(r.name(), 1L, Long::sum);
    }
    long rows = 0;
    for (long n : perName.values()) {
      rows += n * n;
    }
    return rows;
  }

  @ParameterizedTest(name = "adaptive={0}")
  @ValueSource(booleans = {false, true})
  void selfJoinReusesTheExchange(boolean adaptive) {
    SparkReads.spark().conf().set("spark.sql.adaptive.enabled", adaptive);
    // A sort-merge join shuffles both sides alike: one exchange serves both. (A broadcast join
    // has one exchange only, so there is nothing to reuse, with Spark's own sources too.)
    SparkReads.spark().conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    Dataset<Row> df = load(Map.of("maxPartitionBytes", "16384"), file);
    Dataset<Row> joined = df.join(df, "name");

    String plan = executedPlan(joined);

    assertThat(plan).contains("ReusedExchange");
    assertThat(joined.count()).isEqualTo(expectedSelfJoinRows());
  }

  @ParameterizedTest(name = "adaptive={0}")
  @ValueSource(booleans = {false, true})
  void unionOfTwoLoadsReusesTheAggregateExchange(boolean adaptive) {
    SparkReads.spark().conf().set("spark.sql.adaptive.enabled", adaptive);
    // Two separate loads: two tables, two scan builders, two scans that are equal.
    Dataset<Row> a = load(Map.of(), file).groupBy("name").count();
    Dataset<Row> b = load(Map.of(), file).groupBy("name").count();
    Dataset<Row> both = a.union(b);

    String plan = executedPlan(both);

    assertThat(plan).contains("ReusedExchange");
    assertThat(both.count()).isEqualTo(2L * a.count());
  }

  @Test
  void differentColumnsOrOptionsAreNotReused() {
    SparkReads.spark().conf().set("spark.sql.adaptive.enabled", false);
    Dataset<Row> a = load(Map.of(), file).groupBy("name").count();
    Dataset<Row> b = load(Map.of("validation", "basic"), file).groupBy("name").count();

    assertThat(executedPlan(a.union(b))).doesNotContain("ReusedExchange");
  }

  private static Scan scanOf(Dataset<Row> df) {
    List<Scan> scans = new ArrayList<>();
    for (LogicalPlan leaf :
        ScalaCollections.asJava(df.queryExecution().optimizedPlan().collectLeaves())) {
      if (leaf instanceof DataSourceV2ScanRelation r) {
        scans.add(r.scan());
      }
    }
    assertThat(scans).hasSize(1);
    return scans.get(0);
  }

  @Test
  void scansAreEqualExactlyWhenFilesOptionsAndColumnsAre() {
    Scan base = scanOf(load(Map.of(), file).select("name", "sequence"));
    Scan same = scanOf(load(Map.of(), file).select("name", "sequence"));
    // A default given explicitly resolves to the same value.
    Scan sameExplicit = scanOf(load(Map.of("mode", "FAILFAST"), file).select("name", "sequence"));

    assertThat(base).isInstanceOf(FastqScan.class).isNotSameAs(same);
    assertThat(same).isEqualTo(base).hasSameHashCodeAs(base);
    assertThat(sameExplicit).isEqualTo(base).hasSameHashCodeAs(base);

    assertThat(scanOf(load(Map.of(), file).select("name"))).isNotEqualTo(base);
    assertThat(scanOf(load(Map.of(), file).select("name", "sequence", "_offset")))
        .isNotEqualTo(base);
    assertThat(scanOf(load(Map.of("validation", "basic"), file).select("name", "sequence")))
        .isNotEqualTo(base);
    assertThat(scanOf(load(Map.of("maxPartitionBytes", "16384"), file).select("name", "sequence")))
        .isNotEqualTo(base);
    assertThat(scanOf(load(Map.of("mode", "PERMISSIVE"), file).select("name", "sequence")))
        .isNotEqualTo(base);
    assertThat(scanOf(load(Map.of(), other).select("name", "sequence"))).isNotEqualTo(base);
  }
}
