/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.bgzf.BgzfOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * BGZF test files with blocks cut wherever a test likes, and their block layout worked out
 * independently of the production reader (each block inflated on its own), for expected virtual
 * offsets and {@code .gzi} indexes.
 */
public final class BgzfTestFiles {
  /** The empty end-of-file block of the BGZF specification. */
  public static final byte[] EOF_BLOCK = {
    0x1f,
    (byte) 0x8b,
    8,
    4,
    0,
    0,
    0,
    0,
    0,
    (byte) 0xff,
    6,
    0,
    0x42,
    0x43,
    2,
    0,
    0x1b,
    0,
    3,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0
  };

  private BgzfTestFiles() {}

  /** One block: its compressed offset and size, and where its data lies uncompressed. */
  public record Block(long offset, int size, long dataStart, int dataSize) {}

  /**
   * Compresses {@code data} into blocks of random data sizes from 1 to {@code maxBlockData}; with
   * {@code emptyBlockChance}, an empty block (as between concatenated files) follows a block.
   */
  public static byte[] randomBlocks(
      byte[] data, int maxBlockData, double emptyBlockChance, long seed) throws IOException {
    Random random = new Random(seed);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (BgzfOutputStream out = new BgzfOutputStream(sink, 6, maxBlockData)) {
      int at = 0;
      while (at < data.length) {
        int n = Math.min(data.length - at, 1 + random.nextInt(maxBlockData));
        out.write(data, at, n);
        out.flush(); // ends the block here
        at += n;
        if (random.nextDouble() < emptyBlockChance) {
          sink.write(EOF_BLOCK);
        }
      }
    }
    return sink.toByteArray();
  }

  /** Compresses {@code data} as bgzip does (65280-byte blocks). */
  public static byte[] bgzip(byte[] data) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (BgzfOutputStream out = new BgzfOutputStream(sink)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  /** Walks the blocks by their size fields and inflates each one. */
  public static List<Block> layout(byte[] bgzf) {
    List<Block> blocks = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bgzf).order(ByteOrder.LITTLE_ENDIAN);
    long dataStart = 0;
    int at = 0;
    while (at < bgzf.length) {
      int xlen = b.getShort(at + 10) & 0xFFFF;
      int bsize = -1;
      for (int k = at + 12; k < at + 12 + xlen; ) {
        int slen = b.getShort(k + 2) & 0xFFFF;
        if (bgzf[k] == 'B' && bgzf[k + 1] == 'C') {
          bsize = b.getShort(k + 4) & 0xFFFF;
        }
        k += 4 + slen;
      }
      int size = bsize + 1;
      int dataSize = b.getInt(at + size - 4);
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(bgzf, at + 12 + xlen, size - 12 - xlen - 8);
        byte[] out = new byte[dataSize + 1];
        int n = inflater.inflate(out);
        if (n != dataSize || !inflater.finished()) {
          throw new IllegalStateException("block at " + at + " inflates to " + n);
        }
      } catch (DataFormatException e) {
        throw new IllegalStateException(e);
      } finally {
        inflater.end();
      }
      blocks.add(new Block(at, size, dataStart, dataSize));
      dataStart += dataSize;
      at += size;
    }
    return blocks;
  }

  /**
   * The virtual offset of uncompressed offset {@code u}: its block's offset and the offset in it.
   */
  public static long virtualOffset(List<Block> blocks, long u) {
    for (Block b : blocks) {
      if (b.dataSize() > 0 && u >= b.dataStart() && u < b.dataStart() + b.dataSize()) {
        return b.offset() << 16 | (u - b.dataStart());
      }
    }
    throw new IllegalArgumentException("no block holds uncompressed offset " + u);
  }

  /** A {@code .gzi} index as bgzip -i writes it: every block start after the first. */
  public static byte[] gzi(List<Block> blocks) {
    ByteBuffer out =
        ByteBuffer.allocate(8 + 16 * (blocks.size() - 1)).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(blocks.size() - 1);
    for (Block b : blocks.subList(1, blocks.size())) {
      out.putLong(b.offset());
      out.putLong(b.dataStart());
    }
    return out.array();
  }
}
