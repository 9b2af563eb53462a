/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.metrics.ReadTaskMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.open.OrdinalReader;
import io.github.fastqmmap.open.PairReader;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.parse.ByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the pairs of one partition: for each range, the {@link PairSpan} the counting pass planned,
 * through a {@link PairReader} over the same ordinals of R1 and R2 (or of one interleaved file).
 * Metrics count both mates' records and bytes; a malformed pair counts as a malformed record.
 */
final class PairPartitionReader implements PartitionReader<InternalRow> {
  private final FastqInputPartition partition;
  private final FastqOptions options;
  private final ScanAccumulators accumulators;
  private final ReadCounters counters = new ReadCounters();
  private final CustomTaskMetric[] taskMetrics = ReadTaskMetric.of(counters);
  private final FastqRowWriter rowWriter;
  private final boolean wantsCorruptText;
  private final RangeOpener opener;

  private int nextRange;
  private PairReader pairs;
  private UTF8String fileUri;
  private long closedBytesRead;
  private InternalRow row;
  private boolean closed;

  PairPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this.partition = partition;
    this.options = options;
    this.accumulators = accumulators;
    this.rowWriter = new FastqRowWriter(columns, partitionColumns, counters);
    this.wantsCorruptText = rowWriter.wantsCorruptText();
    HadoopStorage storage =
        new HadoopStorage(() -> hadoopConf == null ? null : hadoopConf.value().value());
    this.opener =
        new RangeOpener(
            storage, options.parse(), options.mapping(), counters.mapping, counters.codec);
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (pairs == null && !openNextRange()) {
        return false;
      }
      if (pairs.next()) {
        rowWriter.ordinal(pairs.ordinal());
        Mate m1 = pairs.first();
        Mate m2 = pairs.second();
        if (pairs.isMalformed()) {
          byte[] text =
              wantsCorruptText
                  ? (m1.toFastq() + "\n" + m2.toFastq()).getBytes(StandardCharsets.UTF_8)
                  : new byte[0];
          row = rowWriter.writeCorrupt(text, m1.offset(), fileUri);
        } else {
          row = rowWriter.writePair(m1, m2, fileUri);
        }
        return true;
      }
      closePairs();
    }
  }

  private boolean openNextRange() throws IOException {
    while (nextRange < partition.ranges.size()) {
      FileRange range = partition.ranges.get(nextRange);
      PairSpan span = partition.pairs.get(nextRange);
      nextRange++;
      if (span.isEmpty()) {
        continue;
      }
      fileUri = UTF8String.fromString(range.file.uri);
      rowWriter.startRange(range);
      InputFileBlockHolder.set(range.file.sparkPath(), range.start, range.length());
      OrdinalReader first =
          new OrdinalReader(
              opener,
              span.first.input,
              span.entry1,
              span.entry1,
              span.from,
              span.to,
              options.parse(),
              counters.parse);
      OrdinalReader second = null;
      try {
        if (span.second != null) {
          second =
              new OrdinalReader(
                  opener,
                  span.second.input,
                  span.entry2,
                  span.fallback2,
                  span.from,
                  span.to,
                  options.parse(),
                  counters.parse);
        }
      } catch (IOException | RuntimeException e) {
        first.close();
        throw e;
      }
      pairs =
          new PairReader(
              first,
              second,
              span.firstPair,
              options.parse(),
              counters.parse,
              options.checkPairNames());
      return true;
    }
    return false;
  }

  private static long bytesRead(OrdinalReader r) {
    ByteSource s = r == null ? null : r.source();
    return s == null ? 0 : s.bytesRead();
  }

  private void closePairs() throws IOException {
    PairReader p = pairs;
    pairs = null;
    if (p != null) {
      closedBytesRead += bytesRead(p.firstReader()) + bytesRead(p.secondReader());
      counters.bytesRead = closedBytesRead;
      p.close();
    }
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    counters.bytesRead =
        closedBytesRead
            + (pairs == null
                ? 0
                : bytesRead(pairs.firstReader()) + bytesRead(pairs.secondReader()));
    return taskMetrics;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closePairs();
    } finally {
      InputFileBlockHolder.unset();
      accumulators.add(counters);
    }
  }
}
