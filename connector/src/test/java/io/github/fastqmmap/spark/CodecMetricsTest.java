/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics say which library inflated: {@code bytesInflatedNatively} with ISA-L or libdeflate,
 * {@code bytesInflatedByJdk} without them (or with {@code -Dfastqmmap.disableNativeCodecs=true}, as
 * the {@code jdk-codecs} Surefire execution runs this class), and neither for plain files.
 */
class CodecMetricsTest {
  @TempDir static Path dir;
  private static byte[] data;
  private static long records;

  @BeforeAll
  static void generate() {
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(91).records(4000).generate();
    data = g.bytes();
    records = g.reads().size();
  }

  private static Map<String, Long> readAll(Path file) {
    Dataset<Row> df = SparkReads.load(Map.of(), file).select("name");
    Map<String, Long> acc =
        ScanMetrics.accumulatorsDuring(() -> assertThat(df.count()).isEqualTo(records));
    return acc;
  }

  private static void assertInflated(Map<String, Long> acc, boolean nativeExpected) {
    long natively = ScanMetrics.accumulator(acc, ReadMetric.BYTES_INFLATED_NATIVELY);
    long byJdk = ScanMetrics.accumulator(acc, ReadMetric.BYTES_INFLATED_BY_JDK);
    if (nativeExpected) {
      assertThat(natively).isEqualTo(data.length);
      assertThat(byJdk).isZero();
    } else {
      assertThat(byJdk).isEqualTo(data.length);
      assertThat(natively).isZero();
    }
  }

  @Test
  void gzipIsInflatedByIsalWhenPresentElseByTheJdk() throws Exception {
    Path file = Files.write(dir.resolve("reads.fq.gz"), CompressedReadTest.gzip(data));
    assertInflated(readAll(file), NativeCodecs.isalAvailable());
  }

  @Test
  void bgzfIsInflatedNativelyWhenALibraryIsPresent() throws Exception {
    Path file = Files.write(dir.resolve("reads.fq.bgz"), BgzfTestFiles.bgzip(data));
    assertInflated(
        readAll(file), NativeCodecs.isalAvailable() || NativeCodecs.libdeflateAvailable());
  }

  @Test
  void theSqlTabShowsBoth() throws Exception {
    Path file = Files.write(dir.resolve("sql.fq.gz"), CompressedReadTest.gzip(data));
    Dataset<Row> df = SparkReads.load(Map.of(), file).select("name");
    df.collectAsList();
    Map<String, Long> sql = ScanMetrics.sql(df);
    assertThat(
            sql.get(ReadMetric.BYTES_INFLATED_NATIVELY.metricName())
                + sql.get(ReadMetric.BYTES_INFLATED_BY_JDK.metricName()))
        .isEqualTo(data.length);
  }

  @Test
  void plainFilesInflateNothing() throws Exception {
    Path file = Files.write(dir.resolve("reads.fastq"), data);
    Map<String, Long> acc = readAll(file);
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_INFLATED_NATIVELY)).isZero();
    assertThat(ScanMetrics.accumulator(acc, ReadMetric.BYTES_INFLATED_BY_JDK)).isZero();
  }
}
