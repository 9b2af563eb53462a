/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bgzf;

import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The BGZF format of htslib (SAM/BAM specification, section 4.1): a series of gzip members, each at
 * most 64 KiB compressed and uncompressed, whose header carries an extra subfield {@code BC} with
 * the block's size, ending with an empty 28-byte end-of-file block.
 *
 * <p>A reader of compressed offsets {@code [cs, ce)} owns the blocks that start in it, found with
 * {@link #firstBlockAtOrAfter}; every reader of a file uses that one function (or one {@code .gzi}
 * index), so the blocks of a file are shared out exactly once.
 */
public final class Bgzf {
  /** A block's largest total size (BSIZE + 1). */
  public static final int MAX_BLOCK_SIZE = 65536;

  /** A block's largest uncompressed size. */
  public static final int MAX_DATA_SIZE = 65536;

  /** Uncompressed bytes per block that htslib's bgzip writes (0xff00). */
  public static final int DEFAULT_DATA_SIZE = 0xFF00;

  /** Length of the standard header (XLEN = 6, the BC subfield alone). */
  public static final int HEADER_SIZE = 18;

  /** The empty block that ends a BGZF file. */
  static final byte[] EOF_BLOCK = {
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

  /** Returned by the finders when no block starts at or after an offset. */
  public static final long NONE = -1;

  /** The smallest block: header, an empty deflate stream (2 bytes) and the trailer. */
  private static final int MIN_BLOCK_SIZE = HEADER_SIZE + 2 + 8;

  private static final int SCAN_CHUNK = 256 << 10;

  private Bgzf() {}

  /**
   * The total size of the BGZF block whose header starts at {@code b[off]}, 0 when more than the
   * {@code available} bytes are needed to tell, or -1 when the bytes are not a BGZF header.
   */
  public static int blockSize(byte[] b, int off, int available) {
    if (available < 12) {
      return available >= 4 && !magic(b, off) ? -1 : 0;
    }
    if (!magic(b, off)) {
      return -1;
    }
    int xlen = (b[off + 10] & 0xFF) | (b[off + 11] & 0xFF) << 8;
    if (xlen < 6) {
      return -1;
    }
    if (available < 12 + xlen) {
      return 0;
    }
    int bsize = -1;
    int k = off + 12;
    int extraEnd = k + xlen;
    while (k + 4 <= extraEnd) {
      int slen = (b[k + 2] & 0xFF) | (b[k + 3] & 0xFF) << 8;
      if (b[k] == 'B' && b[k + 1] == 'C' && slen == 2 && k + 6 <= extraEnd) {
        bsize = (b[k + 4] & 0xFF) | (b[k + 5] & 0xFF) << 8;
      }
      k += 4 + slen;
    }
    if (k != extraEnd || bsize < 0) {
      return -1;
    }
    int total = bsize + 1;
    return total >= 12 + xlen + 2 + 8 ? total : -1;
  }

  private static boolean magic(byte[] b, int off) {
    return (b[off] & 0xFF) == 0x1F
        && (b[off + 1] & 0xFF) == 0x8B
        && b[off + 2] == 8
        && b[off + 3] == 4; // FLG: FEXTRA only
  }

  /** The header length of a valid block at {@code b[off]} (12 + XLEN). */
  public static int headerSize(byte[] b, int off) {
    return 12 + ((b[off + 10] & 0xFF) | (b[off + 11] & 0xFF) << 8);
  }

  /**
   * The first block start at or after compressed offset {@code from}, or {@link #NONE}: with an
   * index, from it; otherwise the first offset where a valid BGZF header is followed, right after
   * the block it announces, by another valid header or by the end of the file. Every reader of a
   * file calls this with the same index (or none), so they agree on the blocks.
   */
  public static long firstBlockAtOrAfter(
      RandomAccessInput in, long from, BgzfIndex index, String name) throws IOException {
    long length = in.length();
    if (from >= length) {
      return NONE;
    }
    if (index != null) {
      long block = index.firstBlockAtOrAfter(from);
      if (block != NONE && block < length) {
        requireBlock(in, block, name, "the .gzi index names a block start at");
        return block;
      }
      return NONE;
    }
    long chunkStart = from;
    while (chunkStart < length) {
      int n = (int) Math.min(length - chunkStart, SCAN_CHUNK + MAX_BLOCK_SIZE);
      byte[] chunk = in.readFully(chunkStart, n);
      int scanEnd = chunkStart + n >= length ? n : SCAN_CHUNK;
      for (int i = 0; i < scanEnd; i++) {
        if ((chunk[i] & 0xFF) != 0x1F) {
          continue;
        }
        int size = blockSize(chunk, i, n - i);
        if (size <= 0) {
          continue; // not a header (a header cut by the file's end cannot be a block either)
        }
        long at = chunkStart + i;
        long next = at + size;
        if (next == length || (next < length && blockSizeAt(in, next) > 0)) {
          return at;
        }
      }
      chunkStart += scanEnd;
    }
    return NONE;
  }

  /** The size of the block at {@code offset}, or -1 when there is none. */
  public static int blockSizeAt(RandomAccessInput in, long offset) throws IOException {
    int n = (int) Math.min(in.length() - offset, 12 + 65535L);
    if (n < 12) {
      return -1;
    }
    byte[] head = in.readFully(offset, Math.min(n, HEADER_SIZE));
    int size = blockSize(head, 0, head.length);
    if (size == 0) {
      head = in.readFully(offset, n);
      size = blockSize(head, 0, head.length);
    }
    return size > 0 && offset + size <= in.length() ? size : -1;
  }

  private static void requireBlock(RandomAccessInput in, long offset, String name, String what)
      throws IOException {
    if (blockSizeAt(in, offset) <= 0) {
      throw new FastqParseException(
          name,
          offset,
          "Not a BGZF block in "
              + name
              + " at compressed byte offset "
              + offset
              + ", although "
              + what
              + " it. The .gzi index does not belong to this file (rebuild it with bgzip -r,"
              + " or delete it).");
    }
  }

  /**
   * The last uncompressed byte before the block at {@code block}: of the nearest block before it
   * that holds data. Returns -1 when every block before it is empty (the block's data then starts
   * the uncompressed stream).
   */
  public static int lastByteBefore(RandomAccessInput in, long block, String name)
      throws IOException {
    long end = block;
    while (end > 0) {
      long previous = previousBlock(in, end, name);
      byte[] data = inflateBlock(in, previous, (int) (end - previous), name);
      if (data.length > 0) {
        return data[data.length - 1] & 0xFF;
      }
      end = previous;
    }
    return -1;
  }

  /** The start of the block that ends at {@code end}, found by its size field. */
  private static long previousBlock(RandomAccessInput in, long end, String name)
      throws IOException {
    long lo = Math.max(0, end - MAX_BLOCK_SIZE);
    byte[] bytes = in.readFully(lo, (int) (end - lo));
    for (int i = bytes.length - MIN_BLOCK_SIZE; i >= 0; i--) {
      if ((bytes[i] & 0xFF) == 0x1F && blockSize(bytes, i, bytes.length - i) == bytes.length - i) {
        return lo + i;
      }
    }
    throw new FastqParseException(
        name,
        end,
        "Corrupt BGZF file "
            + name
            + ": no BGZF block ends at compressed byte offset "
            + end
            + ", where a block starts. The file is damaged; check it with bgzip -t.");
  }

  /** Inflates the whole block at {@code offset} of {@code size} bytes, checking CRC and length. */
  static byte[] inflateBlock(RandomAccessInput in, long offset, int size, String name)
      throws IOException {
    byte[] block = in.readFully(offset, size);
    ByteBuffer trailer = ByteBuffer.wrap(block, size - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
    long crc = trailer.getInt() & 0xFFFFFFFFL;
    int isize = trailer.getInt();
    if (isize < 0 || isize > MAX_DATA_SIZE) {
      throw corrupt(
          name, offset, "its trailer says " + (isize & 0xFFFFFFFFL) + " bytes, more than 65536");
    }
    byte[] out = new byte[isize + 64]; // room past the data: zlib reaches the stream's end
    Inflater inflater = new Inflater(true);
    try {
      int header = headerSize(block, 0);
      inflater.setInput(block, header, size - header - 8);
      int n = inflater.inflate(out);
      if (!inflater.finished() || n != isize) {
        throw corrupt(
            name, offset, "it does not inflate to the " + isize + " bytes its trailer says");
      }
    } catch (DataFormatException e) {
      throw corrupt(name, offset, "damaged deflate data (" + e.getMessage() + ")");
    } finally {
      inflater.end();
    }
    CRC32 check = new CRC32();
    check.update(out, 0, isize);
    if (check.getValue() != crc) {
      throw corrupt(name, offset, "CRC-32 mismatch");
    }
    return Arrays.copyOf(out, isize);
  }

  /** The error for a damaged block at compressed offset {@code at}; {@code what} says how. */
  public static FastqParseException corrupt(String name, long at, String what) {
    return new FastqParseException(
        name,
        at,
        "Corrupt BGZF block in "
            + name
            + " at compressed byte offset "
            + at
            + ": "
            + what
            + ". Check the file with bgzip -t (or gzip -t); set ignoreCorruptFiles=true to skip"
            + " the rest of damaged files.");
  }
}
