/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ScanAccumulators;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Shipped to executors: the resolved options, the wanted columns, the scan's accumulators and, when
 * a file needs Hadoop to be read, the Hadoop configuration.
 */
final class FastqReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final FastqOptions options;
  private final FastqColumn[] columns;

  /** The partition columns among {@link #columns}, or null. */
  private final PartitionColumns partitionColumns;

  private final boolean countOnly;
  private final ScanAccumulators accumulators;

  /** Hadoop settings for files outside the local file system (and bzip2), or null. */
  private final Broadcast<SerializableConfiguration> hadoopConf;

  /** Whether every partition reads column batches: decided once for the scan. */
  private final boolean columnar;

  FastqReaderFactory(
      FastqOptions options,
      FastqColumn[] columns,
      PartitionColumns partitionColumns,
      boolean countOnly,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this.options = options;
    this.columns = columns;
    this.partitionColumns = partitionColumns;
    this.countOnly = countOnly;
    this.accumulators = accumulators;
    this.hadoopConf = hadoopConf;
    this.columnar = options.columnar().uses(options, columns, countOnly);
  }

  /** Whether the query broadcast the Hadoop configuration to its tasks. */
  boolean shipsHadoopConf() {
    return hadoopConf != null;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return columnar;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return new ColumnarPartitionReader(reader(partition, true));
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    RangePartitionReader reader = reader(partition, false);
    return countOnly ? new CountingReader(reader) : reader;
  }

  /** The partition's reader of pairs or single reads, writing rows or {@code batches}. */
  private RangePartitionReader reader(InputPartition partition, boolean batches) {
    FastqInputPartition p = (FastqInputPartition) partition;
    return p.pairs != null
        ? new PairPartitionReader(
            p, options, columns, partitionColumns, accumulators, hadoopConf, batches)
        : new FastqPartitionReader(
            p, options, columns, partitionColumns, accumulators, hadoopConf, batches);
  }
}
