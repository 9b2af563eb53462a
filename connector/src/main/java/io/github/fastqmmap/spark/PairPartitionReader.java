/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.open.OrdinalReader;
import io.github.fastqmmap.open.PairReader;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the pairs of one partition: for each range, the {@link PairSpan} the counting pass planned,
 * through a {@link PairReader} over the same ordinals of R1 and R2 (or of one interleaved file).
 * Metrics count both mates' records and bytes; a malformed pair counts as a malformed record. The
 * range loop, faults on mappings and {@code ignoreCorruptFiles} are {@link RangePartitionReader}'s.
 */
final class PairPartitionReader extends RangePartitionReader {
  private PairReader pairs;
  private PairSpan span;

  /** The pair's row laid out by hand, when every column is a pair's string; else null. */
  private final PairRowWriter plainRows;

  /** A first mate's reader opened while the second's open failed, closed with the range. */
  private OrdinalReader opening;

  /**
   * Each mate's Casava 1.8+ header, with {@code illuminaHeaders} or {@code filterFailedQc}; else
   * null.
   */
  private final IlluminaHeader illumina1;

  private final IlluminaHeader illumina2;

  /** Whether the pair reader checks that mates' names are equal ({@code checkPairNames}). */
  private final boolean checkedNames;

  /** With {@code batches}, pairs go to the {@link #batch} of a {@link ColumnarPartitionReader}. */
  PairPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf,
      boolean batches) {
    super(partition, options, columns, partitionColumns, accumulators, hadoopConf, batches);
    // -Dfastqmmap.pairRowsByHand=false keeps the general writer, to measure what the layout saves.
    this.plainRows =
        batch != null || "false".equals(System.getProperty("fastqmmap.pairRowsByHand"))
            ? null
            : PairRowWriter.forColumns(columns, counters);
    boolean headers = options.parsesIlluminaHeaders();
    this.illumina1 = headers ? new IlluminaHeader() : null;
    this.illumina2 = headers ? new IlluminaHeader() : null;
    this.checkedNames = options.checkPairNames();
    rowWriter.illumina(illumina1, illumina2);
    if (batch != null) {
      batch.illumina(illumina1, illumina2);
    }
  }

  @Override
  boolean nextInRange() throws IOException {
    while (pairs.next()) {
      if (!span.aligned) {
        // (A span aligned by names reads no _ordinal, and would count to know its ordinals.)
        rowWriter.ordinal(pairs.ordinal());
      }
      Mate m1 = pairs.first();
      Mate m2 = pairs.second();
      if (pairs.isMalformed()) {
        writeCorrupt(m1, m2);
        return true;
      }
      if (illumina1 != null) {
        int bad = 0;
        if (!illumina1.parse(m1)) {
          bad = 1;
        } else if (!(checkedNames ? illumina2.parseComment(m2) : illumina2.parse(m2))) {
          // Names checked equal: mate 2's name fields are mate 1's, parsed already.
          bad = 2;
        }
        if (bad != 0) {
          if (badIlluminaHeader(m1, m2, bad)) {
            return true; // PERMISSIVE: the corrupt row
          }
          continue; // DROPMALFORMED
        }
        if (options.filterFailedQc() && (illumina1.filtered || illumina2.filtered)) {
          // Failed the instrument's filter: Illumina filters clusters, so both mates say so;
          // a pair either of whose mates says Y is dropped.
          continue;
        }
      }
      writePair(m1, m2);
      return true;
    }
    return false;
  }

  private void writeCorrupt(Mate m1, Mate m2) {
    byte[] text =
        wantsCorruptText
            ? (m1.toFastq() + "\n" + m2.toFastq()).getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (batch != null) {
      batch.writeCorrupt(text, m1.offset());
      row = null;
    } else {
      row = rowWriter.writeCorrupt(text, m1.offset(), fileUri);
    }
  }

  /**
   * A pair one of whose mates' header is not Casava 1.8+ while {@code illuminaHeaders} or {@code
   * filterFailedQc} is on: a malformed pair, in the mode's way, as for single reads. FAILFAST names
   * the mate's file, its offset and the pair's ordinal; DROPMALFORMED counts and drops the pair
   * (false); PERMISSIVE writes the corrupt row of both mates' text (true).
   */
  private boolean badIlluminaHeader(Mate m1, Mate m2, int which) throws IOException {
    counters.parse.malformedRecords++;
    switch (options.parse().mode()) {
      case FAILFAST:
        Mate m = which == 1 ? m1 : m2;
        OrdinalReader reader =
            which == 1 || pairs.secondReader() == null ? pairs.firstReader() : pairs.secondReader();
        String file = reader.file().name();
        String problem = (which == 1 ? illumina1 : illumina2).problem();
        throw new FastqParseException(
            file,
            m.offset(),
            IlluminaHeader.failFast(
                file,
                PairReader.offsetLabel(reader.file()) + " " + m.offset(),
                problem,
                m.name() + (m.commentLength() >= 0 ? " " + m.comment() : ""),
                " (mate " + which + " of pair " + pairs.ordinal() + ", 0-based)",
                "pairs"));
      case DROPMALFORMED:
        counters.parse.droppedRecords++;
        return false;
      default:
        writeCorrupt(m1, m2);
        return true;
    }
  }

  private void writePair(Mate m1, Mate m2) {
    if (batch != null) {
      batch.writePair(m1, m2);
      row = null;
    } else if (plainRows != null) {
      row = plainRows.write(m1, m2);
    } else {
      row = rowWriter.writePair(m1, m2, fileUri);
    }
  }

  @Override
  boolean openRange(int index) throws IOException {
    span = partition.pairs.get(index);
    if (span.isEmpty()) {
      return false;
    }
    opening =
        new OrdinalReader(
            opener,
            span.first.input,
            span.entry1,
            span.entry1,
            span.from,
            span.to,
            options.parse(),
            counters.parse,
            true,
            span.windowEnd1,
            span.end1);
    OrdinalReader second = null;
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
              counters.parse,
              true,
              span.windowEnd2,
              span.end2);
    }
    pairs =
        new PairReader(
            opening,
            second,
            span.firstPair,
            options.parse(),
            counters.parse,
            options.checkPairNames());
    if (span.aligned) {
      pairs.alignedByNames(opener, span.entry1.position(), span.entry2.position());
    }
    opening = null;
    return true;
  }

  @Override
  FastqFile[] rangeFiles() {
    return span == null || span.second == null
        ? new FastqFile[] {range.file}
        : new FastqFile[] {span.first, span.second};
  }

  @Override
  boolean rangeMapped() {
    return pairs != null
        && (pairs.firstReader().source() instanceof MappedByteSource
            || (pairs.secondReader() != null
                && pairs.secondReader().source() instanceof MappedByteSource));
  }

  private static long bytesRead(OrdinalReader r) {
    ByteSource s = r == null ? null : r.source();
    return s == null ? 0 : s.bytesRead();
  }

  @Override
  long rangeBytesRead() {
    PairReader p = pairs;
    return p == null ? 0 : bytesRead(p.firstReader()) + bytesRead(p.secondReader());
  }

  @Override
  void closeRangeReaders() throws IOException {
    PairReader p = pairs;
    OrdinalReader o = opening;
    pairs = null;
    opening = null;
    try {
      if (o != null) {
        o.close();
      }
    } finally {
      if (p != null) {
        p.close();
      }
    }
  }
}
