/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.types.DataType;

/**
 * A column of longs, ints or booleans (_offset, _ordinal, the Illumina header's numbers and flag):
 * one long per row, read back as the column's type.
 */
final class LongsVector extends FastqVector {
  private long[] values;
  private boolean[] nulls;

  LongsVector(DataType type, int capacity) {
    super(type);
    values = new long[capacity];
    nulls = new boolean[capacity];
  }

  void put(int row, long value) {
    values[row] = value;
    nulls[row] = false;
  }

  void putNull(int row) {
    nulls[row] = true;
  }

  @Override
  public boolean isNullAt(int rowId) {
    return nulls[rowId];
  }

  @Override
  public long getLong(int rowId) {
    return values[rowId];
  }

  @Override
  public int getInt(int rowId) {
    return (int) values[rowId];
  }

  @Override
  public boolean getBoolean(int rowId) {
    return values[rowId] != 0;
  }

  @Override
  public void close() {
    values = new long[0];
    nulls = new boolean[0];
  }
}
