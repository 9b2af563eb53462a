/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Answers a pushed-down {@code COUNT(*)}: reads (and checks) every record of the partition through
 * the ordinary reader, without columns, and returns one row with the count.
 */
final class CountingReader implements PartitionReader<InternalRow> {
  private final RangePartitionReader records;
  private boolean counted;
  private InternalRow row;

  CountingReader(RangePartitionReader records) {
    this.records = records;
  }

  @Override
  public boolean next() throws IOException {
    if (counted) {
      return false;
    }
    long count = 0;
    while (true) {
      try {
        if (!records.next()) {
          break;
        }
        count++;
      } catch (InternalError late) {
        // A fault on the mapping raised here, after next() returned: handled as next() handles it.
        records.handled(late);
      }
    }
    counted = true;
    row = new GenericInternalRow(new Object[] {count});
    return true;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return records.currentMetricsValues();
  }

  @Override
  public void close() throws IOException {
    records.close();
  }
}
