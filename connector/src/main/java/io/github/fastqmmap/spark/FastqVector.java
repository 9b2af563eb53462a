/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A column of a {@link FastqBatchWriter} batch. Spark's own writable vectors copy only from arrays,
 * while a record's fields are usually addresses in a mapping, so the batch has its own small
 * vectors; each overrides the getters of its types, and every other getter is refused here. Only
 * the abstract methods common to Spark 3.5 and 4.x are implemented.
 */
abstract class FastqVector extends ColumnVector {
  /** Rows in the current batch, set by the writer. */
  int numRows;

  FastqVector(DataType type) {
    super(type);
  }

  /** Drops the current batch's rows. */
  void reset() {
    numRows = 0;
  }

  /** The number of rows of the batch about to be returned. */
  void rows(int n) {
    numRows = n;
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        "fastq-mmap: a " + dataType().simpleString() + " column has no " + what + " values");
  }

  /**
   * Kept: Spark's {@code ColumnarToRow} frees each batch it has read through this, for vectors made
   * per batch (Arrow's); these are reused by the next batch and freed by {@link #close()}.
   */
  @Override
  public void closeIfFreeable() {}

  @Override
  public int numNulls() {
    int n = 0;
    for (int i = 0; i < numRows; i++) {
      if (isNullAt(i)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean hasNull() {
    return numNulls() > 0;
  }

  @Override
  public boolean getBoolean(int rowId) {
    throw unsupported("boolean");
  }

  @Override
  public byte getByte(int rowId) {
    throw unsupported("byte");
  }

  @Override
  public short getShort(int rowId) {
    throw unsupported("short");
  }

  @Override
  public int getInt(int rowId) {
    throw unsupported("int");
  }

  @Override
  public long getLong(int rowId) {
    throw unsupported("long");
  }

  @Override
  public float getFloat(int rowId) {
    throw unsupported("float");
  }

  @Override
  public double getDouble(int rowId) {
    throw unsupported("double");
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    throw unsupported("array");
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw unsupported("map");
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    throw unsupported("decimal");
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported("string");
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported("binary");
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported("struct");
  }
}
