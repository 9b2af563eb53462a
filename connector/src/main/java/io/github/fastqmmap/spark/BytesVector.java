/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.Arrays;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A string column of a batch: each value either copied once into one array (each at a word
 * boundary, as {@link FastqRowWriter#copy} writes), with its start and length, or, when it lies in
 * a retained window ({@link io.github.fastqmmap.parse.ByteWindow#retained()}), its native address
 * and length, not copied at all. The array is reused by the next batch and grows when a batch needs
 * more; the windows are held until the next batch; Spark copies a value it keeps, as it does a
 * row's (and as with its own off-heap vectors).
 */
final class BytesVector extends FastqVector {
  private byte[] data = new byte[1 << 16];
  private int[] starts;

  /** Each row's native address when the value was not copied; 0 when it is in {@link #data}. */
  private long[] addresses;

  /** Each row's length; -1 for null. */
  private int[] lengths;

  private int cursor;

  BytesVector(int capacity) {
    super(DataTypes.StringType);
    starts = new int[capacity];
    addresses = new long[capacity];
    lengths = new int[capacity];
  }

  @Override
  void reset() {
    super.reset();
    cursor = 0;
  }

  /**
   * Row {@code row}'s value: {@code length} bytes at {@code offset} of {@code base} (null: native).
   */
  void put(int row, Object base, long offset, int length) {
    int rounded = (length + 7) & ~7;
    long end = (long) cursor + rounded;
    if (end > data.length) {
      grow(end);
    }
    FastqRowWriter.copy(base, offset, data, cursor, length);
    starts[row] = cursor;
    addresses[row] = 0;
    lengths[row] = length;
    cursor += rounded;
  }

  /**
   * Row {@code row}'s value: {@code length} bytes at native {@code address}, which stay in place
   * until the batch is reset (a retained window's).
   */
  void putRetained(int row, long address, int length) {
    addresses[row] = address;
    lengths[row] = length;
  }

  /** Row {@code row}'s value from an array. */
  void put(int row, byte[] value) {
    put(row, value, Platform.BYTE_ARRAY_OFFSET, value.length);
  }

  void putNull(int row) {
    lengths[row] = -1;
  }

  private void grow(long needed) {
    if (needed > Integer.MAX_VALUE - 15) {
      throw new UnsupportedOperationException(
          "Cannot hold a value of "
              + needed
              + " bytes in a column batch: a Spark value holds at most 2 GiB");
    }
    data =
        Arrays.copyOf(
            data, (int) Math.min(Integer.MAX_VALUE - 15, Math.max(needed, 2L * data.length)));
  }

  @Override
  public boolean isNullAt(int rowId) {
    return lengths[rowId] < 0;
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    int length = lengths[rowId];
    if (length < 0) {
      return null;
    }
    // One allocation site: C2 leaves the string unallocated when the query reads only its length
    // or bytes, but not when two allocations merge (two sites here cost 180 bytes per record).
    long address = addresses[rowId];
    Object base = null;
    if (address == 0) {
      base = data;
      address = Platform.BYTE_ARRAY_OFFSET + starts[rowId];
    }
    return UTF8String.fromAddress(base, address, length);
  }

  @Override
  public byte[] getBinary(int rowId) {
    int length = lengths[rowId];
    if (length < 0) {
      return null;
    }
    long address = addresses[rowId];
    if (address != 0) {
      byte[] out = new byte[length];
      Platform.copyMemory(null, address, out, Platform.BYTE_ARRAY_OFFSET, length);
      return out;
    }
    return Arrays.copyOfRange(data, starts[rowId], starts[rowId] + length);
  }

  @Override
  public void close() {
    data = new byte[0];
    starts = new int[0];
    addresses = new long[0];
    lengths = new int[0];
  }
}
