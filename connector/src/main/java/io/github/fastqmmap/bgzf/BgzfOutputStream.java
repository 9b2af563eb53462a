/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bgzf;

import io.github.fastqmmap.codec.BlockDeflater;
import io.github.fastqmmap.codec.DeflatedBlockOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes BGZF as htslib's {@code bgzip} does: blocks of at most 65280 uncompressed bytes, each a
 * gzip member with the {@code BC} extra subfield, and the 28-byte empty end-of-file block on {@link
 * #close()}. Plain gzip readers ({@code gzip -d}, {@link java.util.zip.GZIPInputStream}) read it as
 * concatenated members.
 *
 * <p>Blocks are deflated by libdeflate when it is present (see {@link BlockDeflater}), at the level
 * htslib gives libdeflate for the same {@code bgzip -l} level: the output is then byte-identical to
 * {@code bgzip}'s built on the same libdeflate. Without it, the JDK's zlib writes equally valid
 * BGZF with other bytes.
 *
 * <p>It also keeps the {@code .gzi} index of what it wrote ({@link #writeIndex}), the bytes {@code
 * bgzip -i} writes beside its output and {@code bgzip -r} rebuilds, so that a reader finds block
 * starts without scanning for headers.
 */
public final class BgzfOutputStream extends DeflatedBlockOutputStream {
  /** Compressed and uncompressed bytes written so far, in whole blocks. */
  private long compressedOffset;

  private long uncompressedOffset;

  /** (compressed, uncompressed) offset pairs of the block starts after the first. */
  private long[] index = new long[64];

  private int indexLength;

  /**
   * @param out where blocks go; closed with this stream
   * @param level deflate level, 0 to 9 ({@link Deflater#DEFAULT_COMPRESSION} for the default:
   *     zlib's 6, or with libdeflate what {@code bgzip} uses by default)
   */
  public BgzfOutputStream(OutputStream out, int level) {
    this(out, level, Bgzf.DEFAULT_DATA_SIZE);
  }

  /**
   * @param blockDataSize uncompressed bytes per block, 1 to 65280 (smaller blocks are for tests)
   */
  public BgzfOutputStream(OutputStream out, int level, int blockDataSize) {
    this(out, level, blockDataSize, 1);
  }

  /**
   * @param threads threads that may deflate this stream's blocks at once, shared with the JVM's
   *     other writers ({@link DeflatedBlockOutputStream}); 1 deflates on the writing thread
   */
  public BgzfOutputStream(OutputStream out, int level, int blockDataSize, int threads) {
    super(out, checkedBlockSize(blockDataSize), level, Bgzf.MAX_BLOCK_SIZE, threads);
  }

  private static int checkedBlockSize(int blockDataSize) {
    if (blockDataSize < 1 || blockDataSize > Bgzf.DEFAULT_DATA_SIZE) {
      throw new IllegalArgumentException("block data size must be 1 to 65280: " + blockDataSize);
    }
    return blockDataSize;
  }

  public BgzfOutputStream(OutputStream out) {
    this(out, Deflater.DEFAULT_COMPRESSION);
  }

  @Override
  protected int encode(byte[] data, int length, BlockDeflater deflater, byte[] block) {
    int limit = block.length - 8;
    int size = Bgzf.HEADER_SIZE;
    int n = deflater.deflate(data, length, block, size, limit - size);
    if (n >= 0) {
      size += n;
    } else {
      // Incompressible data that does not fit: store it (deflate level 0 always fits 65280 bytes).
      Deflater stored = new Deflater(Deflater.NO_COMPRESSION, true);
      try {
        stored.setInput(data, 0, length);
        stored.finish();
        size = Bgzf.HEADER_SIZE;
        while (!stored.finished()) {
          size += stored.deflate(block, size, limit - size);
        }
      } finally {
        stored.end();
      }
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, length);
    int total = size + 8;
    header(block, total);
    putInt(block, size, (int) crc.getValue());
    putInt(block, size + 4, length);
    return total;
  }

  @Override
  protected void wrote(int dataLength, int encodedLength) {
    if (compressedOffset > 0) {
      if (indexLength == index.length) {
        index = Arrays.copyOf(index, index.length * 2);
      }
      index[indexLength++] = compressedOffset;
      index[indexLength++] = uncompressedOffset;
    }
    compressedOffset += encodedLength;
    uncompressedOffset += dataLength;
  }

  /**
   * Writes the {@code .gzi} index of the blocks written so far (all of them once closed) to {@code
   * to}, which stays open: a little-endian count, then the (compressed, uncompressed) offsets of
   * every data block after the first, as {@code bgzip -r} writes it for the same file. The empty
   * end-of-file block is not listed (nor by bgzip); a file without data gets a count of 0 (where
   * htslib 1.16 writes a count of -1, which its own reader cannot use).
   */
  public void writeIndex(OutputStream to) throws IOException {
    int entries = indexLength / 2;
    ByteBuffer b = ByteBuffer.allocate(8 + 8 * indexLength).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(entries);
    for (int i = 0; i < indexLength; i++) {
      b.putLong(index[i]);
    }
    to.write(b.array());
  }

  private static void header(byte[] b, int total) {
    b[0] = 0x1f;
    b[1] = (byte) 0x8b;
    b[2] = 8; // deflate
    b[3] = 4; // FEXTRA
    b[4] = 0; // MTIME
    b[5] = 0;
    b[6] = 0;
    b[7] = 0;
    b[8] = 0; // XFL
    b[9] = (byte) 0xff; // OS unknown
    b[10] = 6; // XLEN
    b[11] = 0;
    b[12] = 'B';
    b[13] = 'C';
    b[14] = 2; // SLEN
    b[15] = 0;
    b[16] = (byte) (total - 1); // BSIZE
    b[17] = (byte) ((total - 1) >>> 8);
  }

  /** The empty end-of-file block. */
  @Override
  protected void finish() throws IOException {
    out.write(Bgzf.EOF_BLOCK);
  }
}
