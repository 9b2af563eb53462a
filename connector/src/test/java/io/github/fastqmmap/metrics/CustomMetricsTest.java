/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.spark.SparkTestSession;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.junit.jupiter.api.Test;

/**
 * The metric classes as Spark uses them: one custom metric per {@link ReadMetric}, re-creatable by
 * class name; task values combined and shown as the SQL tab shows them; the accumulator bundle.
 */
class CustomMetricsTest {
  @Test
  void oneCustomMetricPerReadMetricInOrder() {
    CustomMetric[] all = FastqCustomMetric.all();
    assertThat(Arrays.stream(all).map(CustomMetric::name))
        .containsExactlyElementsOf(
            Arrays.stream(ReadMetric.values()).map(ReadMetric::metricName).toList());
    Set<Class<?>> classes = new HashSet<>();
    for (CustomMetric m : all) {
      classes.add(m.getClass());
      assertThat(m.description()).isNotBlank();
    }
    assertThat(classes).hasSize(all.length);
  }

  @Test
  void everyCustomMetricIsTopLevelWithAPublicNoArgConstructor() throws Exception {
    // Spark (and the History Server) re-create metrics with Class.forName(name).newInstance().
    for (CustomMetric m : FastqCustomMetric.all()) {
      Class<?> c = m.getClass();
      assertThat(c.getEnclosingClass()).as("%s is top-level", c).isNull();
      assertThat(Modifier.isPublic(c.getModifiers())).as("%s is public", c).isTrue();
      Constructor<?> constructor = c.getConstructor();
      CustomMetric copy = (CustomMetric) Class.forName(c.getName()).getConstructor().newInstance();
      assertThat(Modifier.isPublic(constructor.getModifiers())).isTrue();
      assertThat(copy.name()).isEqualTo(m.name());
    }
  }

  @Test
  void aggregatesAsTheSqlTabShowsThem() {
    assertThat(new RecordsMetric().aggregateTaskMetrics(new long[] {1000, 2000, 3500}))
        .isEqualTo("6,500 (min 1,000, med 2,000, max 3,500)");
    assertThat(new RecordsMetric().aggregateTaskMetrics(new long[] {42})).isEqualTo("42");
    assertThat(new RecordsMetric().aggregateTaskMetrics(new long[0])).isEqualTo("0");
    assertThat(new BytesMappedMetric().aggregateTaskMetrics(new long[] {512})).isEqualTo("512 B");
    assertThat(new BytesMappedMetric().aggregateTaskMetrics(new long[] {1536, 3L << 20}))
        .isEqualTo("3.0 MiB (min 1.5 KiB, med 3.0 MiB, max 3.0 MiB)");
    assertThat(new ParseNanosMetric().aggregateTaskMetrics(new long[] {1_500_000_000L}))
        .isEqualTo("1.50 s");
    assertThat(new ParseNanosMetric().aggregateTaskMetrics(new long[] {2_500})).isEqualTo("2.5 µs");
    // The longest record is a maximum over tasks, not a sum.
    assertThat(new MaxRecordBytesMetric().aggregateTaskMetrics(new long[] {100, 5000, 300}))
        .isEqualTo("4.9 KiB");
    assertThat(ReadMetric.MAX_RECORD_BYTES.combine(new long[] {100, 5000, 300})).isEqualTo(5000);
    assertThat(ReadMetric.RECORDS.combine(new long[] {100, 5000, 300})).isEqualTo(5400);
  }

  @Test
  void taskMetricsCarryEveryCounter() {
    ReadCounters counters = new ReadCounters();
    counters.parse.records = 7;
    counters.parse.bases = 700;
    counters.parse.maxRecordBytes = 250;
    counters.mapping.bytesMapped = 4096;
    counters.valueBytes = 123;
    CustomTaskMetric[] values = ReadTaskMetric.of(counters);
    assertThat(values).hasSize(ReadMetric.values().length);
    assertThat(Arrays.stream(values).map(v -> v.name() + "=" + v.value()))
        .contains("records=7", "bases=700", "maxRecordBytes=250", "bytesMapped=4096")
        .contains("valueBytes=123", "malformedRecords=0");
  }

  @Test
  void reportedMetricsAreThoseEverNonZero() {
    ReadCounters counters = new ReadCounters();
    ReadTaskMetric.Reported reported = new ReadTaskMetric.Reported(counters);
    assertThat(reported.current()).isEmpty();
    counters.parse.records = 7;
    counters.valueBytes = 123;
    CustomTaskMetric[] first = reported.current();
    assertThat(Arrays.stream(first).map(v -> v.name() + "=" + v.value()))
        .containsExactly("records=7", "valueBytes=123");
    counters.parse.records = 8;
    assertThat(reported.current()).isSameAs(first); // nothing new: the same array, no garbage
    assertThat(first[0].value()).isEqualTo(8);
    // Once reported, a metric stays in even when its value is zero again: never left stale.
    counters.valueBytes = 0;
    counters.mapping.bytesMapped = 4096;
    assertThat(Arrays.stream(reported.current()).map(v -> v.name() + "=" + v.value()))
        .containsExactly("records=8", "bytesMapped=4096", "valueBytes=0");
  }

  @Test
  void maxLongAccumulatorKeepsTheLargestValue() {
    MaxLongAccumulator a = new MaxLongAccumulator();
    assertThat(a.isZero()).isTrue();
    a.add(5L);
    a.add(3);
    assertThat(a.value()).isEqualTo(5);
    assertThat(a.isZero()).isFalse();
    MaxLongAccumulator b = (MaxLongAccumulator) a.copy();
    b.add(9);
    a.merge(b);
    assertThat(a.value()).isEqualTo(9);
    a.merge(new MaxLongAccumulator()); // an unset accumulator changes nothing
    assertThat(a.value()).isEqualTo(9);
    a.reset();
    assertThat(a.isZero()).isTrue();
    assertThat(a.value()).isZero();
  }

  @Test
  void scanAccumulatorsAreNamedAndAddCounters() {
    ScanAccumulators acc = ScanAccumulators.register(SparkTestSession.get().sparkContext());
    for (ReadMetric m : ReadMetric.values()) {
      assertThat(acc.accumulator(m).name().get()).isEqualTo("fastq-mmap." + m.metricName());
    }
    ReadCounters one = new ReadCounters();
    one.parse.records = 10;
    one.parse.maxRecordBytes = 300;
    ReadCounters two = new ReadCounters();
    two.parse.records = 5;
    two.parse.maxRecordBytes = 200;
    acc.add(one);
    acc.add(two);
    assertThat(acc.value(ReadMetric.RECORDS)).isEqualTo(15);
    assertThat(acc.value(ReadMetric.MAX_RECORD_BYTES)).isEqualTo(300);
    assertThat(acc.value(ReadMetric.BASES)).isZero();
  }
}
