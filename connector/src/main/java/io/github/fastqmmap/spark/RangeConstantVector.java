/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A column whose value is the same in every row of a batch: {@code _file}, {@code _metadata} and
 * the partition columns, which are the range's, as a batch never spans two ranges. The value is
 * field {@link #field} of a row set at each range's start (null row: null); a struct's fields are
 * children reading the struct's row.
 */
final class RangeConstantVector extends FastqVector {
  private final int field;

  /** The row holding the value, or the struct's own row; null for a null value. */
  private InternalRow values;

  private final RangeConstantVector[] children;

  RangeConstantVector(DataType type, int field) {
    super(type);
    this.field = field;
    if (type instanceof StructType struct) {
      children = new RangeConstantVector[struct.fields().length];
      for (int i = 0; i < children.length; i++) {
        children[i] = new RangeConstantVector(struct.fields()[i].dataType(), i);
      }
    } else {
      children = null;
    }
  }

  /** The range's values: the row holding this column's value (a struct: its fields), or null. */
  void set(InternalRow row) {
    values = row;
    if (children != null) {
      for (RangeConstantVector c : children) {
        c.values = row;
      }
    }
  }

  @Override
  void rows(int n) {
    super.rows(n);
    if (children != null) {
      for (RangeConstantVector c : children) {
        c.rows(n);
      }
    }
  }

  @Override
  public boolean isNullAt(int rowId) {
    if (children != null) {
      return values == null;
    }
    return values == null || dataType() instanceof NullType || values.isNullAt(field);
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    return children[ordinal];
  }

  @Override
  public boolean getBoolean(int rowId) {
    return values.getBoolean(field);
  }

  @Override
  public byte getByte(int rowId) {
    return values.getByte(field);
  }

  @Override
  public short getShort(int rowId) {
    return values.getShort(field);
  }

  @Override
  public int getInt(int rowId) {
    return values.getInt(field);
  }

  @Override
  public long getLong(int rowId) {
    return values.getLong(field);
  }

  @Override
  public float getFloat(int rowId) {
    return values.getFloat(field);
  }

  @Override
  public double getDouble(int rowId) {
    return values.getDouble(field);
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    return isNullAt(rowId) ? null : values.getDecimal(field, precision, scale);
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return isNullAt(rowId) ? null : values.getUTF8String(field);
  }

  @Override
  public byte[] getBinary(int rowId) {
    return isNullAt(rowId) ? null : values.getBinary(field);
  }

  @Override
  public void close() {
    set(null);
  }
}
