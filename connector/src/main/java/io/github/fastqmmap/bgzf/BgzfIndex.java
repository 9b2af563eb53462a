/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bgzf;

import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code .gzi} index as {@code bgzip -i} writes it: a little-endian count, then one (compressed
 * offset, uncompressed offset) pair of 64-bit integers per block start after the first. Looked up
 * by binary search with positional reads, so a task reads a few hundred bytes of it, not all.
 */
public final class BgzfIndex implements Closeable {
  /** The suffix an index has next to its data file. */
  public static final String SUFFIX = ".gzi";

  private final RandomAccessInput input;
  private final String name;
  private final long entries;

  /**
   * @param input the index file; closed with this index
   * @param name how messages name the index
   */
  public BgzfIndex(RandomAccessInput input, String name) throws IOException {
    this.input = input;
    this.name = name;
    if (input.length() < 8) {
      throw invalid("it is shorter than its 8-byte entry count");
    }
    this.entries = readLong(0);
    if (entries < 0 || 8 + 16 * entries != input.length()) {
      throw invalid(
          "it announces " + entries + " entries but is " + input.length() + " bytes long");
    }
  }

  private FastqParseException invalid(String why) {
    return new FastqParseException(
        name, 0, "Invalid BGZF index " + name + ": " + why + ". Rebuild it with bgzip -r.");
  }

  private long readLong(long position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    input.readFully(position, b);
    return b.getLong(0);
  }

  /** Compressed offset of block start {@code i}: 0 for the first, then the entries in order. */
  private long blockStart(long i) throws IOException {
    return i == 0 ? 0 : readLong(8 + 16 * (i - 1));
  }

  /** The first listed block start at or after {@code offset}, or {@link Bgzf#NONE}. */
  public long firstBlockAtOrAfter(long offset) throws IOException {
    long lo = 0;
    long hi = entries + 1; // block starts 0 .. entries
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (blockStart(mid) < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo <= entries ? blockStart(lo) : Bgzf.NONE;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
