/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.spark.ScanMetrics;
import io.github.fastqmmap.spark.SparkReads;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A FASTQ file over 4 GiB, made in the test by repeating a generated block of about 1 MB (tricky
 * headers, quality lines starting with '@' and '+'), and deleted after it, also on failure. The
 * truth is arithmetic: record {@code k} of copy {@code c} starts at {@code c * blockLength +
 * offset(k)}. Record counts, bases, the sum of {@code _offset}, and each partition's first and last
 * record start and count are exact at several partition sizes, including 1 GiB ranges whose
 * boundaries fall exactly on 2^31 and 2^32; the records around 2^31 and 2^32 are exact field by
 * field, through Spark and through the Spark-free API.
 */
class BigFileIT {
  private static final long TWO_31 = 1L << 31;
  private static final long TWO_32 = 1L << 32;
  private static final long MIN_FREE_BYTES = 10L << 30;

  private static Path dir;
  private static Path file;
  private static List<Read> block;
  private static long[] offsets; // record starts inside the block
  private static long blockLength;
  private static long copies;
  private static long length;
  private static long blockBases;

  @BeforeAll
  static void writeFile() throws IOException {
    dir = Files.createTempDirectory("fastq-mmap-bigfile-");
    long free = Files.getFileStore(dir).getUsableSpace();
    if (free < MIN_FREE_BYTES) {
      Files.delete(dir);
      Assumptions.abort(
          "needs 10 GiB free for a 4.3 GB file, and " + dir + " has " + (free >> 20) + " MiB");
    }
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(4242)
            .records(3_500)
            .readLengths(50, 200)
            .zeroLengthFraction(0.01)
            .qualityLinesStartingWith(0.2, 0.2)
            .trickyHeaders(true)
            .plusTitleFraction(0.3)
            .generate();
    byte[] bytes = gen.bytes();
    block = gen.reads();
    blockLength = bytes.length;
    offsets = block.stream().mapToLong(Read::offset).toArray();
    blockBases = block.stream().mapToLong(r -> r.sequence().length()).sum();
    copies = ((4L << 30) + (256L << 20) + blockLength - 1) / blockLength;
    length = copies * blockLength;
    file = dir.resolve("big.fastq");
    long t0 = System.nanoTime();
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes);
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long c = 0; c < copies; c++) {
        buffer.rewind();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "BigFileIT: wrote %d copies of a %d-byte block (%d records): %d bytes in %.1f s%n",
        copies,
        blockLength,
        block.size(),
        length,
        (System.nanoTime() - t0) / 1e9);
    assertThat(Files.size(file)).isEqualTo(length).isGreaterThan(TWO_32 + (128L << 20));
  }

  @AfterAll
  static void deleteFile() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
    if (dir != null) {
      Files.deleteIfExists(dir);
    }
  }

  /** Record starts before {@code x}. */
  private static long startsBefore(long x) {
    long c = x / blockLength;
    long r = x % blockLength;
    int k = Arrays.binarySearch(offsets, r);
    return c * block.size() + (k >= 0 ? k : -k - 1);
  }

  /** The record with global index {@code i}, as it appears in the big file. */
  private static Read record(long i) {
    Read r = block.get((int) (i % block.size()));
    return new Read(
        (i / block.size()) * blockLength + r.offset(),
        r.name(),
        r.comment(),
        r.sequence(),
        r.quality());
  }

  private static long records() {
    return copies * block.size();
  }

  @Test
  void countsOffsetsAndEveryPartitionBoundaryAreExact() {
    long sumOfBlockOffsets = Arrays.stream(offsets).sum();
    // Sum over copies c of (R * c * B + sum of block offsets).
    long expectedOffsetSum =
        block.size() * blockLength * (copies * (copies - 1) / 2) + copies * sumOfBlockOffsets;
    // Spark's cut, whose boundaries this test computes (the even last wave would move them; its
    // boundaries are checked by evenCutPartitionsAreContiguousAndExact).
    System.setProperty("fastqmmap.evenLastWave", "false");
    try {
      checkSparksCut(expectedOffsetSum);
    } finally {
      System.clearProperty("fastqmmap.evenLastWave");
    }
  }

  private void checkSparksCut(long expectedOffsetSum) {
    for (String size : List.of("1g", "333m", "128m")) {
      long t0 = System.nanoTime();
      Dataset<Row> df = SparkReads.load(Map.of("maxPartitionBytes", size), file);
      Dataset<Row> perPartition =
          df.groupBy(functions.spark_partition_id().as("p"))
              .agg(
                  functions.count(functions.lit(1)),
                  functions.min("_offset"),
                  functions.max("_offset"),
                  functions.sum("_offset"));
      Map<Integer, Row> rows = new TreeMap<>();
      for (Row r : perPartition.collectAsList()) {
        rows.put(r.getInt(0), r);
      }
      Map<String, Long> metrics = ScanMetrics.sql(perPartition);
      long split = sizeInBytes(size); // page multiples, under total bytes / 2 cores
      int partitions = (int) ((length + split - 1) / split);
      assertThat(rows.keySet()).as(size).hasSize(partitions);
      long count = 0;
      long offsetSum = 0;
      for (int p = 0; p < partitions; p++) {
        // Partition p reads [p * split, (p + 1) * split): it owns the record starts in it.
        long s = p * split;
        long e = Math.min(length, s + split);
        long first = startsBefore(s);
        long last = startsBefore(e) - 1;
        Row r = rows.get(p);
        assertThat(r.getLong(1)).as("%s partition %d count", size, p).isEqualTo(last - first + 1);
        assertThat(r.getLong(2))
            .as("%s partition %d first", size, p)
            .isEqualTo(record(first).offset());
        assertThat(r.getLong(3))
            .as("%s partition %d last", size, p)
            .isEqualTo(record(last).offset());
        count += r.getLong(1);
        offsetSum += r.getLong(4);
      }
      assertThat(count).as(size).isEqualTo(records());
      assertThat(offsetSum).as(size).isEqualTo(expectedOffsetSum);
      assertThat(metrics.get("records")).as(size).isEqualTo(records());
      assertThat(metrics.get("bases")).as(size).isEqualTo(copies * blockBases);
      assertThat(metrics.get("bytesParsed")).as(size).isEqualTo(length);
      assertThat(metrics.get("malformedRecords")).as(size).isZero();
      System.out.printf(
          Locale.ROOT,
          "BigFileIT: maxPartitionBytes=%s, %d partitions, %d records: %.1f s%n",
          size,
          partitions,
          count,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  @Test
  void evenCutPartitionsAreContiguousAndExact() {
    // At 333 MiB Spark cuts 14 ranges (the last 23 MiB) for the 2 cores; the even last wave cuts
    // equal ones wherever they fall. Each partition must hold consecutive records, and each the
    // record after the previous partition's last, from the first record to the last.
    Dataset<Row> df = SparkReads.load(Map.of("maxPartitionBytes", "333m"), file);
    List<Row> rows =
        df.groupBy(functions.spark_partition_id().as("p"))
            .agg(
                functions.count(functions.lit(1)),
                functions.min("_offset"),
                functions.max("_offset"))
            .orderBy("p")
            .collectAsList();
    assertThat(rows.size()).isGreaterThan(2);
    long next = 0;
    for (Row r : rows) {
      long first = startsBefore(r.getLong(2));
      long last = startsBefore(r.getLong(3));
      assertThat(first).as("partition %d's first record", r.getInt(0)).isEqualTo(next);
      assertThat(r.getLong(1)).as("partition %d's count", r.getInt(0)).isEqualTo(last - first + 1);
      next = last + 1;
    }
    assertThat(next).isEqualTo(records());
  }

  private static long sizeInBytes(String size) {
    long n = Long.parseLong(size.substring(0, size.length() - 1));
    return size.endsWith("g") ? n << 30 : n << 20;
  }

  /** The records around 2^31 and 2^32 and at the end: global indexes. */
  private static List<Long> recordsOfInterest() {
    List<Long> out = new ArrayList<>();
    for (long at : new long[] {TWO_31, TWO_32}) {
      long next = startsBefore(at); // the first record starting at or after 'at'
      out.add(next - 1); // the record holding byte 'at' (or ending just before it)
      out.add(next);
      out.add(next + 1);
    }
    out.add(records() - 1);
    return out;
  }

  @Test
  void recordsPast2To31And2To32AreExactThroughSpark() {
    List<Long> wanted = recordsOfInterest();
    List<Long> offsetsWanted = new ArrayList<>();
    List<Read> expected = new ArrayList<>();
    for (long i : wanted) {
      expected.add(record(i));
      offsetsWanted.add(record(i).offset());
    }
    assertThat(offsetsWanted.get(0)).isLessThan(TWO_31);
    assertThat(offsetsWanted.get(1)).isGreaterThanOrEqualTo(TWO_31);
    assertThat(offsetsWanted.get(3)).isLessThan(TWO_32);
    assertThat(offsetsWanted.get(4)).isGreaterThanOrEqualTo(TWO_32);
    // 1 GiB ranges end exactly at 2^31 and 2^32: the records across those bytes are finished by
    // the range before and skipped by the range after.
    long t0 = System.nanoTime();
    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "1g"), file)
            .filter(col("_offset").isin(offsetsWanted.toArray()))
            .orderBy("_offset");
    List<Read> actual = SparkReads.reads(df);
    SparkReads.assertSameReads(actual, expected, "records around 2^31 and 2^32");
    System.out.printf(
        Locale.ROOT,
        "BigFileIT: every column of every record, filtered to %d: %.1f s%n",
        expected.size(),
        (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void rangesAround2To32AreExactWithoutSpark() throws IOException {
    int page = MappedFile.pageSize();
    for (long at : new long[] {TWO_31, TWO_32}) {
      long first = startsBefore(at - 3 * page);
      long end = startsBefore(at + 5 * page);
      List<Item> expected = new ArrayList<>();
      for (long i = first; i < end; i++) {
        expected.add(record(i));
      }
      List<Item> actual = new ArrayList<>();
      // Three ranges meeting at page boundaries around the 2^n offset.
      long[] cuts = {at - 3 * page, at - page, at, at + 5 * page};
      for (int k = 0; k + 1 < cuts.length; k++) {
        try (RecordReader reader =
            FastqFiles.open(
                file,
                cuts[k],
                cuts[k + 1],
                ParseOptions.defaults(),
                MappingOptions.defaults(),
                new ParseCounters(),
                new MappingCounters())) {
          actual.addAll(RecordReaderOutput.drain(reader));
        }
      }
      assertThat(actual).as("records in [%d, %d)", cuts[0], cuts[3]).isEqualTo(expected);
      assertThat(expected).hasSizeGreaterThan(20);
    }
  }
}
