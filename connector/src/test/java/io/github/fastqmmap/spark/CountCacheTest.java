/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.PairedFastq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counting pass's counts are reused by a later query of the same files (same length and
 * modification time, same ranges), only for files modified well before they were counted, never
 * once a file changed, and not at all with {@code spark.fastqmmap.countingPassCache=false}; the
 * pairs read with reused counts are the same.
 */
class CountCacheTest {
  private static final Map<String, String> PAIRED =
      Map.of("paired", "true", "maxPartitionBytes", "16384", "pairAlignment", "count");

  @TempDir Path dir;

  private PairedFastq data;
  private Path r1;
  private Path r2;

  @BeforeEach
  void write() throws IOException {
    CountCache.clear();
    data = PairedFastq.generate(1500, 11);
    r1 = Files.write(dir.resolve("S_R1.fastq"), data.r1Bytes());
    r2 = Files.write(dir.resolve("S_R2.fastq"), data.r2Bytes());
  }

  @AfterEach
  void conf() {
    SparkReads.spark().conf().unset(CountCache.CONF);
  }

  private void settle(Path... files) throws IOException {
    for (Path f : files) {
      Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
  }

  /** Reads the pairs; returns {ranges, reused ranges}, asserting the pairs. */
  private long[] read() {
    Dataset<Row> df =
        SparkReads.load(PAIRED, r1, r2).selectExpr("name", "sequence1", "sequence2", "_ordinal");
    List<Row> rows = df.collectAsList();
    List<PairedFastq.Pair> truth = data.pairs(); // parses the generated text: once
    assertThat(rows).hasSize(truth.size());
    for (Row row : rows) {
      PairedFastq.Pair p = truth.get((int) row.getLong(3));
      assertThat(row.getString(1)).isEqualTo(p.sequence1());
      assertThat(row.getString(2)).isEqualTo(p.sequence2());
    }
    return new long[] {
      ScanMetrics.sql(df, CountingPassMetric.RANGES),
      ScanMetrics.sql(df, CountingPassMetric.REUSED_RANGES)
    };
  }

  @Test
  void aSecondQueryReusesTheCounts() throws IOException {
    settle(r1, r2);
    long[] first = read();
    assertThat(first[0]).isGreaterThan(4);
    assertThat(first[1]).isZero();
    long[] second = read();
    assertThat(second[0]).isEqualTo(first[0]);
    assertThat(second[1]).isEqualTo(first[0]);
    Dataset<Row> df = SparkReads.load(PAIRED, r1, r2).select("name");
    df.collectAsList();
    assertThat(df.queryExecution().executedPlan().toString())
        .contains("ranges (" + first[0] + " counted by an earlier query)");
  }

  @Test
  void aFileJustWrittenIsCountedAgain() {
    assertThat(read()[1]).isZero();
    assertThat(read()[1]).isZero();
  }

  @Test
  void aChangedFileIsCountedAgain() throws IOException {
    settle(r1, r2);
    read();
    // Both files get one more pair: other lengths, other modification times.
    PairedFastq more = PairedFastq.generate(1501, 11);
    Files.write(r1, more.r1Bytes(), StandardOpenOption.TRUNCATE_EXISTING);
    Files.write(r2, more.r2Bytes(), StandardOpenOption.TRUNCATE_EXISTING);
    settle(r1, r2);
    data = more;
    assertThat(read()[1]).isZero();
  }

  @Test
  void theConfTurnsReuseOff() throws IOException {
    settle(r1, r2);
    SparkReads.spark().conf().set(CountCache.CONF, "false");
    read();
    assertThat(read()[1]).isZero();
    SparkReads.spark().conf().set(CountCache.CONF, "true");
    long[] counted = read();
    assertThat(counted[1]).isZero(); // nothing was kept while it was off
    assertThat(read()[1]).isEqualTo(counted[0]);
  }
}
