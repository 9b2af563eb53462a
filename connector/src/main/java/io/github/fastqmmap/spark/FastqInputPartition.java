/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The ranges one task reads, in order, and the hosts that hold most of their bytes. */
final class FastqInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  final int index;
  final List<FileRange> ranges;
  private final String[] preferredLocations;

  FastqInputPartition(int index, List<FileRange> ranges, String[] preferredLocations) {
    this.index = index;
    this.ranges = ranges;
    this.preferredLocations = preferredLocations;
  }

  @Override
  public String[] preferredLocations() {
    return preferredLocations.clone();
  }

  long bytes() {
    long sum = 0;
    for (FileRange r : ranges) {
      sum += r.length();
    }
    return sum;
  }

  @Override
  public String toString() {
    return "FastqInputPartition " + index + " " + ranges;
  }
}
