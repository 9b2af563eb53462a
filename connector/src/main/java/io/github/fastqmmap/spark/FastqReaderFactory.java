package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ScanAccumulators;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Shipped to executors: the resolved options, the wanted columns and the scan's accumulators. */
final class FastqReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final FastqOptions options;
  private final FastqColumn[] columns;
  private final boolean countOnly;
  private final ScanAccumulators accumulators;

  FastqReaderFactory(
      FastqOptions options,
      FastqColumn[] columns,
      boolean countOnly,
      ScanAccumulators accumulators) {
    this.options = options;
    this.columns = columns;
    this.countOnly = countOnly;
    this.accumulators = accumulators;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    FastqPartitionReader reader =
        new FastqPartitionReader((FastqInputPartition) partition, options, columns, accumulators);
    return countOnly ? new CountingReader(reader) : reader;
  }
}
