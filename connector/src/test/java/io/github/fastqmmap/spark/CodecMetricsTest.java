/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.metrics.DeflateAccumulators;
import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics say which library inflated: {@code bytesInflatedNatively} with ISA-L or libdeflate,
 * {@code bytesInflatedByJdk} without them (or with {@code -Dfastqmmap.disableNativeCodecs=true}, as
 * the {@code jdk-codecs} Surefire execution runs this class), and neither for plain files. Writes
 * say which library deflated in the accumulators {@code bytesDeflatedNatively} (libdeflate) and
 * {@code bytesDeflatedByJdk}.
 */
class CodecMetricsTest {
  @TempDir static Path dir;
  private static byte[] data;
  private static long records;

  /** The plain file that writes read. */
  private static Path plain;

  @BeforeAll
  static void generate() throws IOException {
    FastqFileGenerator.Generated g = FastqFileGenerator.builder(91).records(4000).generate();
    data = g.bytes();
    records = g.reads().size();
    plain = Files.write(dir.resolve("to-write.fastq"), data);
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

  /** Writes the reads with {@code options} and returns the accumulators the write reached. */
  private static Map<String, Long> write(Path out, Map<String, String> options) {
    Dataset<Row> df = SparkReads.load(Map.of(), plain);
    return ScanMetrics.accumulatorsDuring(
        () -> df.write().format("fastq-mmap").options(options).save(out.toString()));
  }

  /** The uncompressed bytes of every gzip or BGZF part file under {@code out}. */
  private static long inflatedSize(Path out, String suffix) throws IOException {
    long size = 0;
    try (Stream<Path> files = Files.walk(out)) {
      for (Path part : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part))) {
          size += in.transferTo(OutputStream.nullOutputStream());
        }
      }
    }
    return size;
  }

  private static void assertDeflated(Map<String, Long> acc, long bytes) {
    long natively = acc.getOrDefault(DeflateAccumulators.NATIVELY, 0L);
    long byJdk = acc.getOrDefault(DeflateAccumulators.BY_JDK, 0L);
    assertThat(bytes).isGreaterThan(data.length / 2);
    if (NativeCodecs.libdeflateAvailable()) {
      assertThat(natively).isEqualTo(bytes);
      assertThat(byJdk).isZero();
    } else {
      assertThat(byJdk).isEqualTo(bytes);
      assertThat(natively).isZero();
    }
  }

  @Test
  void bgzfWritesAreDeflatedByLibdeflateWhenPresentElseByTheJdk() throws Exception {
    Path out = dir.resolve("written-bgzf");
    Map<String, Long> acc = write(out, Map.of("compression", "bgzf"));
    assertDeflated(acc, inflatedSize(out, ".fastq.bgz"));
  }

  @Test
  void gzipWritesAreDeflatedByLibdeflateWhenPresentElseByTheJdk() throws Exception {
    Path out = dir.resolve("written-gzip");
    Map<String, Long> acc = write(out, Map.of("compression", "gzip"));
    assertDeflated(acc, inflatedSize(out, ".fastq.gz"));
  }

  @Test
  void bothMateFilesOfAPairedWriteAreCounted() throws Exception {
    Path out = dir.resolve("written-pairs");
    Dataset<Row> pairs =
        SparkReads.load(Map.of(), plain)
            .selectExpr(
                "name",
                "sequence AS sequence1",
                "quality AS quality1",
                "sequence AS sequence2",
                "quality AS quality2");
    Map<String, Long> acc =
        ScanMetrics.accumulatorsDuring(
            () ->
                pairs
                    .write()
                    .format("fastq-mmap")
                    .option("compression", "bgzf")
                    .save(out.toString()));
    long r1 = inflatedSize(out, "_R1.fastq.bgz");
    long r2 = inflatedSize(out, "_R2.fastq.bgz");
    assertThat(r1).isEqualTo(r2);
    assertDeflated(acc, r1 + r2);
  }

  @Test
  void writesThatDeflateNothingHaveNoDeflateAccumulators() throws Exception {
    for (String compression : List.of("none", "zstd")) {
      Map<String, Long> acc =
          write(dir.resolve("written-" + compression), Map.of("compression", compression));
      assertThat(acc).doesNotContainKeys(DeflateAccumulators.NATIVELY, DeflateAccumulators.BY_JDK);
    }
  }
}
