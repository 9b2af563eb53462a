/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bench.BenchData;
import io.github.fastqmmap.bench.NativeChunkSource;
import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The row writer ({@link FastqRowWriter}, package-private, hence this package) on Illumina-like 150
 * bp records: {@code writeRow} copies one parsed record into an {@code UnsafeRow} again and again
 * (the copy alone); {@code scanAndWrite} reads {@value #RECORDS} records from native memory and
 * writes each one's row, as a partition reader does without Spark around it. One operation is one
 * row; {@code layout} compares the two ways rows are laid out. {@code -prof gc}'s {@code
 * gc.alloc.rate.norm} is heap bytes per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FastqRowWriterBenchmark {
  public static final int RECORDS = 32_768;

  /** {@code all}: name, comment, sequence, quality; {@code sequence}: the sequence only. */
  @Param({"all", "sequence"})
  public String columns;

  /**
   * {@code plain}: rows of the record's strings laid out by hand, as readers write them; {@code
   * generic}: through Spark's {@code UnsafeRowWriter}, field by field (the path of other columns).
   */
  @Param({"plain", "generic"})
  public String layout;

  private NativeChunkSource source;
  private FastqRowWriter writer;
  private RecordReader single;
  private FastqRecord record;
  private final UTF8String file = UTF8String.fromString("file:/bench/reads.fastq");
  private final ParseOptions options = ParseOptions.defaults();
  private final ParseCounters parseCounters = new ParseCounters();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    source =
        new NativeChunkSource(
            BenchData.records(BenchData.Kind.ILLUMINA, RECORDS, BenchData.DEFAULT_SEED));
    FastqColumn[] cols =
        "sequence".equals(columns)
            ? new FastqColumn[] {FastqColumn.SEQUENCE}
            : new FastqColumn[] {
              FastqColumn.NAME, FastqColumn.COMMENT, FastqColumn.SEQUENCE, FastqColumn.QUALITY
            };
    writer = new FastqRowWriter(cols, null, new ReadCounters(), "plain".equals(layout));
    single = new RecordReader(source, 0, Long.MAX_VALUE, options, parseCounters);
    if (!single.next()) {
      throw new IllegalStateException("no record");
    }
    record = single.record();
    InternalRow row = writer.write(record, file);
    int seq = "sequence".equals(columns) ? 0 : 2;
    if (row.getUTF8String(seq).numBytes() != 150) {
      throw new IllegalStateException("the row's sequence is not 150 bases: " + row);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    single.close();
  }

  /** One record's fields copied into the row (the record parsed once, in setup). */
  @Benchmark
  public InternalRow writeRow() {
    return writer.write(record, file);
  }

  /** Read every record of the chunk and write its row. */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void scanAndWrite(Blackhole bh) throws IOException {
    try (RecordReader reader =
        new RecordReader(source, 0, Long.MAX_VALUE, options, parseCounters)) {
      while (reader.next()) {
        bh.consume(writer.write(reader.record(), file));
      }
    }
  }
}
