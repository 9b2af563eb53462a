/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.codec.BlockInflater;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.parse.FastqParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/**
 * Decodes the BGZF blocks of one compressed range, block after block from its first block, and on
 * past the range end as far as the reader asks. Stream offsets count the uncompressed bytes from
 * the first block; with a look-back byte (the last uncompressed byte before the first block, which
 * the record-start rule needs) that byte is offset 0 and the first block starts at 1.
 *
 * <p>The range ends where the block at or after the compressed range end begins ({@code endBlock}):
 * once the blocks before it are decoded, with any empty blocks that follow the last one with data,
 * its uncompressed offset is known and reported to the reader. If the chain of blocks passes over
 * {@code endBlock} instead of reaching it, the file is not what the next range's reader will see,
 * and decoding fails rather than lose or repeat records.
 */
final class BgzfDecoder implements Decoder {
  private static final int NO_ROOM = -2;

  private final String name;
  private final CompressedReader in;
  private final long length;
  private final long endBlock;
  private final BlockInflater inflater;
  private final CRC32 crc = new CRC32();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(64);
  private final byte[] header = new byte[Bgzf.HEADER_SIZE];
  private int lookBackByte;
  private LongConsumer rangeEndListener;

  /** Compressed offset of the next block to decode. */
  private long nextBlock;

  /** Stream offset of the next byte to produce. */
  private long produced;

  private boolean endKnown;

  // Blocks still in the reader's buffer: uncompressed start, compressed offset, data size.
  private long[] blockStart = new long[64];
  private long[] blockOffset = new long[64];
  private int[] blockSize = new int[64];
  private int head;
  private int tail;

  /**
   * @param firstBlock compressed offset of the first block to decode
   * @param endBlock compressed offset of the block where the range ends, or {@link Bgzf#NONE}
   * @param lookBackByte the uncompressed byte before {@code firstBlock}, or -1 for none
   */
  BgzfDecoder(
      RandomAccessInput input, String name, long firstBlock, long endBlock, int lookBackByte) {
    this(input, name, firstBlock, endBlock, lookBackByte, new CodecCounters());
  }

  /**
   * @param counters where the bytes inflated natively and by the JDK are counted
   */
  BgzfDecoder(
      RandomAccessInput input,
      String name,
      long firstBlock,
      long endBlock,
      int lookBackByte,
      CodecCounters counters) {
    this.inflater = BlockInflater.create(counters);
    this.name = name;
    this.in = new CompressedReader(input, firstBlock, CompressedReader.DEFAULT_CHUNK);
    this.length = input.length();
    this.endBlock = endBlock;
    this.nextBlock = firstBlock;
    this.lookBackByte = lookBackByte;
  }

  @Override
  public int decode(ByteBuffer dst) throws IOException {
    if (lookBackByte >= 0) {
      dst.put((byte) lookBackByte);
      lookBackByte = -1;
      produced = 1;
      return 1;
    }
    while (true) {
      if (nextBlock >= length) {
        return -1;
      }
      int n = decodeBlock(dst);
      if (n == NO_ROOM) {
        return 0;
      }
      if (n > 0) {
        skipEmptyBlocks();
        return n;
      }
    }
  }

  /**
   * Decodes the block at {@link #nextBlock} into {@code dst}; returns its data size, 0 for an empty
   * block, or {@link #NO_ROOM} (leaving it) when {@code dst} lacks room.
   */
  private int decodeBlock(ByteBuffer dst) throws IOException {
    long at = nextBlock;
    in.ensure(Bgzf.MAX_BLOCK_SIZE); // a whole block when the file has one
    ByteBuffer b = in.buffer();
    int available = b.remaining();
    byte[] hdr = header; // the standard header; a longer one is copied below
    int hdrLength = Math.min(available, Bgzf.HEADER_SIZE);
    b.get(b.position(), hdr, 0, hdrLength);
    int size = Bgzf.blockSize(hdr, 0, hdrLength);
    if (size == 0 && available > hdrLength) {
      hdr = new byte[Math.min(available, 12 + 65535)];
      b.get(b.position(), hdr);
      size = Bgzf.blockSize(hdr, 0, hdr.length);
    }
    if (size < 0 || (size == 0 && available >= 12 + 65535)) {
      throw Bgzf.corrupt(name, at, "it is not a BGZF block header");
    }
    if (size == 0 || size > available) {
      throw new FastqParseException(
          name,
          at,
          "Truncated BGZF file "
              + name
              + ": the block at compressed byte offset "
              + at
              + " needs "
              + (size == 0 ? "a complete header" : size + " bytes")
              + " but the file ends after "
              + available
              + ". The file was cut short; fetch it again, or set ignoreCorruptFiles=true to keep"
              + " what was read.");
    }
    long trailerSize = in.getIntLE(size - 4);
    if (trailerSize > Bgzf.MAX_DATA_SIZE) {
      throw Bgzf.corrupt(name, at, "its trailer says " + trailerSize + " bytes, more than 65536");
    }
    int dataSize = (int) trailerSize;
    if (dataSize > dst.remaining()) {
      return NO_ROOM;
    }
    long storedCrc = in.getIntLE(size - 8);
    int headerSize = Bgzf.headerSize(hdr, 0);
    ByteBuffer compressed = b.duplicate();
    compressed.position(b.position() + headerSize);
    compressed.limit(b.position() + size - 8);
    int before = dst.position();
    ByteBuffer out = dst.duplicate();
    // Room past the data lets zlib reach the end of the deflate stream in the same call.
    out.limit(before + Math.min(dst.remaining(), dataSize + 64));
    try {
      int n = inflater.inflate(compressed, out);
      if (n != dataSize) {
        throw Bgzf.corrupt(
            name, at, "it does not inflate to the " + dataSize + " bytes its trailer says");
      }
    } catch (DataFormatException e) {
      throw Bgzf.corrupt(name, at, "damaged deflate data (" + e.getMessage() + ")");
    }
    ByteBuffer written = dst.duplicate();
    written.limit(before + dataSize);
    written.position(before);
    crc.reset();
    crc.update(written);
    if (crc.getValue() != storedCrc) {
      throw Bgzf.corrupt(name, at, "CRC-32 mismatch (damaged data)");
    }
    dst.position(before + dataSize);
    in.skip(size);
    if (dataSize > 0) {
      remember(produced, at, dataSize);
    }
    produced += dataSize;
    nextBlock = at + size;
    checkRangeEnd();
    return dataSize;
  }

  /**
   * After a block with data: decodes the empty blocks that follow (an end-of-file marker, or those
   * between concatenated files), so that a range end right after them is known before the reader
   * stands there.
   */
  private void skipEmptyBlocks() throws IOException {
    while (nextBlock < length && !endKnown && emptyBlockAhead()) {
      scratch.clear();
      if (decodeBlock(scratch) != 0) {
        throw new IllegalStateException("an empty block expected at " + nextBlock);
      }
    }
  }

  private boolean emptyBlockAhead() throws IOException {
    if (!in.ensure(28)) {
      return false;
    }
    int hdrLength = Math.min(in.remaining(), Bgzf.HEADER_SIZE);
    in.buffer().get(in.buffer().position(), header, 0, hdrLength);
    int size = Bgzf.blockSize(header, 0, hdrLength);
    if (size <= 0 || !in.ensure(size)) {
      return false; // decodeBlock will say what is wrong
    }
    return in.getIntLE(size - 4) == 0;
  }

  private void checkRangeEnd() throws FastqParseException {
    if (endKnown || endBlock == Bgzf.NONE) {
      return;
    }
    if (nextBlock == endBlock) {
      endKnown = true;
      if (rangeEndListener != null) {
        rangeEndListener.accept(produced);
      }
    } else if (nextBlock > endBlock) {
      throw new FastqParseException(
          name,
          endBlock,
          "BGZF block boundary mismatch in "
              + name
              + ": a block was recognised at compressed byte offset "
              + endBlock
              + ", where the next range begins, but the chain of blocks passes over it (the block"
              + " before it ends at "
              + nextBlock
              + "). The file is damaged, or bytes inside a block look like a block header;"
              + " read it as one range with a larger maxPartitionBytes, or add a .gzi index.");
    }
  }

  private void remember(long start, long offset, int size) {
    if (tail == blockStart.length) {
      if (head > 0) {
        int n = tail - head;
        System.arraycopy(blockStart, head, blockStart, 0, n);
        System.arraycopy(blockOffset, head, blockOffset, 0, n);
        System.arraycopy(blockSize, head, blockSize, 0, n);
        head = 0;
        tail = n;
      } else {
        blockStart = Arrays.copyOf(blockStart, 2 * tail);
        blockOffset = Arrays.copyOf(blockOffset, 2 * tail);
        blockSize = Arrays.copyOf(blockSize, 2 * tail);
      }
    }
    blockStart[tail] = start;
    blockOffset[tail] = offset;
    blockSize[tail] = size;
    tail++;
  }

  @Override
  public void released(long offset) {
    while (tail - head > 1 && blockStart[head] + blockSize[head] <= offset) {
      head++;
    }
  }

  /** The index of the remembered block holding {@code offset}, or -1. */
  private int blockOf(long offset) {
    int lo = head;
    int hi = tail - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (blockStart[mid] + blockSize[mid] <= offset) {
        lo = mid + 1;
      } else if (blockStart[mid] > offset) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * The BGZF virtual offset of a stream offset: the block's compressed offset and the offset in it.
   */
  @Override
  public long reportedOffset(long offset) {
    int i = blockOf(offset);
    if (i >= 0) {
      return blockOffset[i] << 16 | (offset - blockStart[i]);
    }
    return offset >= produced ? nextBlock << 16 : -1;
  }

  @Override
  public String describeOffset(long offset) {
    int i = blockOf(offset);
    if (i < 0) {
      return offset >= produced
          ? "the BGZF block at compressed byte offset " + nextBlock
          : "an uncompressed byte before the range";
    }
    return "uncompressed byte offset "
        + (offset - blockStart[i])
        + " of the BGZF block at compressed byte offset "
        + blockOffset[i]
        + " (virtual offset "
        + reportedOffset(offset)
        + ")";
  }

  @Override
  public void onRangeEnd(LongConsumer listener) {
    this.rangeEndListener = listener;
  }

  @Override
  public long compressedBytesRead() {
    return in.bytesRead();
  }

  @Override
  public void close() throws IOException {
    inflater.close();
    in.close();
  }
}
