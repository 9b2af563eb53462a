/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Which columns of a scan are partition columns, and where their values are in a file's partition
 * values. The row writer copies them from the file of each range into every row, as Spark's file
 * scans append partition values.
 */
final class PartitionColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** For each output column, the ordinal of its partition value, or -1. */
  private final int[] ordinals;

  private final DataType[] types;

  private PartitionColumns(int[] ordinals, DataType[] types) {
    this.ordinals = ordinals;
    this.types = types;
  }

  /**
   * The partition columns among {@code fields} (a scan's read schema), or null if there are none.
   */
  static PartitionColumns of(StructField[] fields, StructType partitionSchema) {
    int[] ordinals = new int[fields.length];
    DataType[] types = new DataType[fields.length];
    boolean any = false;
    for (int i = 0; i < fields.length; i++) {
      ordinals[i] = indexOf(partitionSchema, fields[i].name());
      if (ordinals[i] >= 0) {
        types[i] = partitionSchema.fields()[ordinals[i]].dataType();
        any = true;
      }
    }
    return any ? new PartitionColumns(ordinals, types) : null;
  }

  /** The position of a column in the partition schema (exact name, as Spark resolved it), or -1. */
  static int indexOf(StructType partitionSchema, String name) {
    String[] names = partitionSchema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Where output column {@code i}'s value is in a file's partition values. */
  int ordinal(int i) {
    return ordinals[i];
  }

  /** Output column {@code i}'s type. */
  DataType type(int i) {
    return types[i];
  }

  /** Whether a partition column of this type can be written into rows. */
  static boolean supported(DataType t) {
    return t instanceof StringType
        || t instanceof IntegerType
        || t instanceof DateType
        || t instanceof LongType
        || t instanceof TimestampType
        || t instanceof TimestampNTZType
        || t instanceof DoubleType
        || t instanceof FloatType
        || t instanceof BooleanType
        || t instanceof ShortType
        || t instanceof ByteType
        || t instanceof DecimalType
        || t instanceof BinaryType
        || t instanceof NullType;
  }

  /** Writes column {@code i}'s value from a file's partition values. */
  void write(UnsafeRowWriter writer, int i, InternalRow values) {
    int o = ordinals[i];
    DataType t = types[i];
    if (values == null || values.isNullAt(o) || t instanceof NullType) {
      writer.setNullAt(i);
    } else if (t instanceof StringType) {
      writer.write(i, values.getUTF8String(o));
    } else if (t instanceof IntegerType || t instanceof DateType) {
      writer.write(i, values.getInt(o));
    } else if (t instanceof LongType
        || t instanceof TimestampType
        || t instanceof TimestampNTZType) {
      writer.write(i, values.getLong(o));
    } else if (t instanceof DoubleType) {
      writer.write(i, values.getDouble(o));
    } else if (t instanceof FloatType) {
      writer.write(i, values.getFloat(o));
    } else if (t instanceof BooleanType) {
      writer.write(i, values.getBoolean(o));
    } else if (t instanceof ShortType) {
      writer.write(i, values.getShort(o));
    } else if (t instanceof ByteType) {
      writer.write(i, values.getByte(o));
    } else if (t instanceof DecimalType d) {
      writer.write(i, values.getDecimal(o, d.precision(), d.scale()), d.precision(), d.scale());
    } else if (t instanceof BinaryType) {
      writer.write(i, values.getBinary(o));
    } else {
      throw new AssertionError(t); // refused at planning (supported)
    }
  }
}
