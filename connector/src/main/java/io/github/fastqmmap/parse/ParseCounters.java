/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/** What one record reader did. Plain fields: one reader, one thread. */
public final class ParseCounters {
  /** Well-formed records returned. */
  public long records;

  /** Bases in those records. */
  public long bases;

  /** Bytes of the records and malformed stretches this reader owned. */
  public long bytesParsed;

  /** Bytes between the range start and the first record start (read past to resynchronise). */
  public long bytesSkipped;

  /** Bytes read past the range end to finish the last record. */
  public long bytesOverhang;

  /** Malformed stretches met, whatever the mode did with them. */
  public long malformedRecords;

  /** Malformed stretches skipped in DROPMALFORMED mode. */
  public long droppedRecords;

  /** Time spent inside the reader, in nanoseconds. */
  public long parseNanos;

  /** Length of the longest well-formed record, in bytes. */
  public long maxRecordBytes;

  public void add(ParseCounters other) {
    records += other.records;
    bases += other.bases;
    bytesParsed += other.bytesParsed;
    bytesSkipped += other.bytesSkipped;
    bytesOverhang += other.bytesOverhang;
    malformedRecords += other.malformedRecords;
    droppedRecords += other.droppedRecords;
    parseNanos += other.parseNanos;
    maxRecordBytes = Math.max(maxRecordBytes, other.maxRecordBytes);
  }
}
