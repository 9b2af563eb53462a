/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import io.github.fastqmmap.parse.NativeMemory;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates whole raw deflate streams such as BGZF blocks: with ISA-L when present, else with
 * libdeflate, else with the JDK's zlib. A block the native library rejects is inflated again by the
 * JDK, so that damaged data fails with the same result and message as without native libraries. One
 * instance per reader; not thread-safe.
 */
public final class BlockInflater implements AutoCloseable {
  /** Which library inflates. */
  public enum Kind {
    ISAL,
    LIBDEFLATE,
    JDK
  }

  private final Kind kind;
  private final CodecCounters counters;
  private IsalState isal;
  private long libdeflate;
  private NativeBlock actualOut;
  private Inflater jdk;

  private BlockInflater(Kind kind, CodecCounters counters) {
    this.kind = kind;
    this.counters = counters;
    if (kind == Kind.ISAL) {
      isal = new IsalState();
    } else if (kind == Kind.LIBDEFLATE) {
      libdeflate = LibDeflate.libdeflate_alloc_decompressor();
      if (libdeflate == 0) {
        throw new OutOfMemoryError("libdeflate_alloc_decompressor failed");
      }
      actualOut = new NativeBlock(8);
    }
  }

  /** The fastest inflater present; counts the bytes it produces into {@code counters}. */
  public static BlockInflater create(CodecCounters counters) {
    return new BlockInflater(
        NativeCodecs.useIsal()
            ? Kind.ISAL
            : NativeCodecs.useLibdeflate() ? Kind.LIBDEFLATE : Kind.JDK,
        counters);
  }

  /**
   * An inflater of the given kind, for tests and benchmarks.
   *
   * @throws IllegalStateException when that library is not available
   */
  public static BlockInflater create(Kind kind, CodecCounters counters) {
    if (kind == Kind.ISAL && !NativeCodecs.ISAL
        || kind == Kind.LIBDEFLATE && !NativeCodecs.LIBDEFLATE) {
      throw new IllegalStateException(kind + " is not available");
    }
    return new BlockInflater(kind, counters);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Inflates the raw deflate stream in {@code src} (position to limit) into {@code dst} (from its
   * position, up to its limit). Neither buffer's position moves.
   *
   * @return the bytes written when the stream ended within {@code dst}'s room, or -1 when it did
   *     not
   * @throws DataFormatException for damaged data, with zlib's message
   */
  public int inflate(ByteBuffer src, ByteBuffer dst) throws DataFormatException {
    if (kind != Kind.JDK && src.isDirect() && dst.isDirect()) {
      long in = NativeMemory.addressOf(src) + src.position();
      long out = NativeMemory.addressOf(dst) + dst.position();
      int n =
          kind == Kind.ISAL
              ? isal(in, src.remaining(), out, dst.remaining())
              : libdeflate(in, src.remaining(), out, dst.remaining());
      if (n >= 0) {
        counters.bytesInflatedNatively += n;
        return n;
      }
    }
    return jdk(src, dst); // also for what the native library rejected: the JDK's verdict and words
  }

  private int isal(long in, int inBytes, long out, int outBytes) {
    isal.reset();
    isal.setInput(in, inBytes);
    isal.setOutput(out, outBytes);
    int r = isal.inflate();
    return r >= 0 && isal.finished() ? isal.totalOut() : -1;
  }

  private int libdeflate(long in, int inBytes, long out, int outBytes) {
    int r =
        LibDeflate.libdeflate_deflate_decompress(
            libdeflate, in, inBytes, out, outBytes, actualOut.address());
    return r == LibDeflate.SUCCESS ? (int) actualOut.getLong(0) : -1;
  }

  private int jdk(ByteBuffer src, ByteBuffer dst) throws DataFormatException {
    if (jdk == null) {
      jdk = new Inflater(true);
    }
    jdk.reset();
    jdk.setInput(src.duplicate());
    int n = jdk.inflate(dst.duplicate());
    if (!jdk.finished()) {
      return -1;
    }
    counters.bytesInflatedByJdk += n;
    return n;
  }

  @Override
  public void close() {
    if (isal != null) {
      isal.close();
      isal = null;
    }
    if (libdeflate != 0) {
      LibDeflate.libdeflate_free_decompressor(libdeflate);
      libdeflate = 0;
      actualOut.close();
    }
    if (jdk != null) {
      jdk.end();
    }
  }
}
