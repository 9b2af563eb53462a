/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.PendingFault;
import java.io.IOException;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads a partition as column batches: the {@link FastqPartitionReader} (single reads) or the
 * {@link PairPartitionReader} (pairs) reads records as for rows (the same ranges, errors, modes and
 * metrics), but appends each to a {@link FastqBatchWriter}, so Spark's per-row work (its iterator,
 * metrics, an {@code UnsafeRow}) is paid once per batch. A batch ends when full or at the end of a
 * range; an empty range gives none.
 */
final class ColumnarPartitionReader implements PartitionReader<ColumnarBatch> {
  private final RangePartitionReader records;
  private final FastqBatchWriter batch;
  private boolean exhausted;

  ColumnarPartitionReader(RangePartitionReader records) {
    this.records = records;
    this.batch = records.batch;
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      fill();
      if (batch.rows() == 0) {
        return false;
      }
      // A fault skipped while the batch was filled would be raised in Spark's code, after the
      // batch (whose rows may hold bytes of the skipped load) was handed over: raised here.
      InternalError late = PendingFault.take();
      if (late == null) {
        return true;
      }
      records.handled(late); // throws unless ignoreCorruptFiles skips the range
      // Skipped: the batch's rows are all the faulted range's (a batch never spans two ranges).
    }
  }

  /** Fills the batch with the rows of one range, up to its size. */
  private void fill() throws IOException {
    batch.reset();
    records.releaseHeldWindows();
    while (!exhausted && !batch.full()) {
      boolean more;
      try {
        more = records.advance(true);
      } catch (InternalError late) {
        // A fault on the mapping raised after advance() returned: handled as advance() handles
        // it, the range's rows in the batch dropped with it.
        records.handled(late);
        batch.reset();
        continue;
      }
      if (!more) {
        if (records.rangeFaulted) {
          batch.reset(); // rows of the range whose file changed: any may hold skipped bytes
        }
        if (!records.rangeEnded) {
          exhausted = true;
        } else if (batch.rows() > 0) {
          break;
        }
      }
    }
  }

  @Override
  public ColumnarBatch get() {
    return batch.batch();
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return records.currentMetricsValues();
  }

  @Override
  public void close() throws IOException {
    try {
      records.close();
    } finally {
      try {
        batch.close();
      } finally {
        records.releaseHeldWindows();
      }
    }
  }
}
