/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connector.read.InputPartition;

/** The partitions that the first fastq-mmap scan of a query's executed plan plans. */
final class PlannedPartitions {
  private PlannedPartitions() {}

  static List<FastqInputPartition> of(Dataset<Row> df) {
    List<FastqInputPartition> partitions = new ArrayList<>();
    for (InputPartition p :
        FastqMetrics.scans(df.queryExecution().executedPlan())
            .get(0)
            .scan()
            .toBatch()
            .planInputPartitions()) {
      partitions.add((FastqInputPartition) p);
    }
    return partitions;
  }
}
