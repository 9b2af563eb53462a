/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.parse.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The record scanner alone: {@link RecordReader} over {@value #RECORDS} Illumina-like 150 bp
 * records (the benchmark data's generator, about 11 MiB), from native memory ({@code memory}:
 * parsing only) or from a mapped file in the page cache ({@code mmap}: parsing, mapping and page
 * faults). One operation is one record, so the score is records per second; the {@code bytes}
 * counter is input bytes per second, and {@code -prof gc}'s {@code gc.alloc.rate.norm} is heap
 * bytes per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordScannerBenchmark {
  /** Records per pass (one benchmark invocation). */
  public static final int RECORDS = 32_768;

  @Param({"memory", "mmap"})
  public String source;

  @Param({"strict", "basic"})
  public String validation;

  private byte[] chunk;
  private NativeChunkSource memory;
  private Path file;
  private ParseOptions options;
  private final ParseCounters parseCounters = new ParseCounters();
  private final MappingCounters mappingCounters = new MappingCounters();
  private final MappingOptions mapping = MappingOptions.defaults();

  /** Input bytes read, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    chunk = BenchData.records(BenchData.Kind.ILLUMINA, RECORDS, BenchData.DEFAULT_SEED);
    options =
        ParseOptions.builder()
            .validation("basic".equals(validation) ? Validation.BASIC : Validation.STRICT)
            .build();
    memory = new NativeChunkSource(chunk);
    if ("mmap".equals(source)) {
      Path dir =
          Files.createDirectories(
              Path.of(
                  System.getProperty("fastqmmap.bench.dir", System.getProperty("java.io.tmpdir"))));
      file = dir.resolve("jmh-scanner-" + RECORDS + ".fastq");
      Files.write(file, chunk);
    }
    long records = pass();
    if (records != (long) RECORDS * 150) {
      throw new IllegalStateException("expected " + RECORDS + " records of 150 bp, got " + records);
    }
  }

  private RecordReader open() throws IOException {
    if (file != null) {
      return FastqFiles.open(
          file, 0, Long.MAX_VALUE, options, mapping, parseCounters, mappingCounters);
    }
    return new RecordReader(memory, 0, Long.MAX_VALUE, options, parseCounters);
  }

  private long pass() throws IOException {
    long bases = 0;
    try (RecordReader reader = open()) {
      while (reader.next()) {
        bases += reader.record().sequenceLength();
      }
    }
    return bases;
  }

  /** Every record of the chunk, as the count() path reads them (no fields copied). */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long scan(Bytes counter) throws IOException {
    long bases = pass();
    counter.bytes += chunk.length;
    return bases;
  }
}
