/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import io.github.fastqmmap.parse.FastqParseException;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * A {@link ByteSource} over bytes produced in order by a {@link Decoder} (gzip, BGZF, bzip2, any
 * stream): they land in one native buffer, and the record scanner reads them there exactly as it
 * reads a mapping. Windows always end at the last byte decoded so far and grow (the buffer doubles)
 * while a record needs more.
 *
 * <p>A stream cannot be re-read, so the buffer keeps what a reader may look back at: everything
 * from shortly before the last {@link #advance} position (the record-start rule looks one byte
 * back, an error message to the start of its line, a malformed stretch's text to the stretch's
 * start), and, once the reader has passed its range end, from shortly before that end (the
 * successor check looks back to it). What lies before is dropped when the buffer needs room. The
 * buffer is bounded by {@code retainLimit} (twice the longest record, by default): beyond it the
 * oldest bytes go even if a reader might still ask for them, and such a request then fails with a
 * message rather than growing without bound.
 */
public final class StreamByteSource implements ByteSource {
  /** The initial buffer, and the most decoded ahead of the reader past its range end. */
  public static final int DEFAULT_BUFFER_BYTES = 4 << 20;

  /**
   * How far ahead of the reader a fill decodes (once it has what the reader asked for). Small
   * enough that the bytes just inflated are still in the core's L2 cache when the CRC-32 and the
   * record scan read them, and that the same few hundred KiB of the buffer are reused: filling the
   * whole 4 MiB buffer before scanning cost 0.2 CPU s per GB of FASTQ more (BGZF, no Spark,
   * CodecBench --breakdown).
   */
  static final int FILL_AHEAD = 256 << 10;

  private final String name;
  private final Decoder decoder;
  private final long retainLimit;
  private final NativeBuffer buffer;

  /** Stream offset of the buffer's first byte. */
  private long bufferStart;

  /** Bytes decoded into the buffer. */
  private int filled;

  private boolean eof;
  private boolean closed;

  /** The reader's last {@link #advance} position. */
  private long advanced;

  /** The reader's range end in stream offsets, once known. */
  private long rangeEnd = Long.MAX_VALUE;

  private LongConsumer readerListener;

  /**
   * A decoding error met while bytes before it were still unread: raised when the reader needs
   * bytes past them, so that what decoded cleanly is read first (as ignoreCorruptFiles expects).
   */
  private IOException pendingError;

  /**
   * @param name how messages name the file
   * @param decoder produces the bytes; closed with this source
   * @param bufferBytes initial buffer size
   * @param retainLimit the most bytes kept for look-backs before the oldest are dropped
   */
  StreamByteSource(String name, Decoder decoder, int bufferBytes, long retainLimit) {
    this.name = name;
    this.decoder = decoder;
    this.retainLimit = retainLimit;
    this.buffer = new NativeBuffer(Math.max(Decoder.STEP_BYTES, bufferBytes));
    decoder.onRangeEnd(this::rangeEndKnown);
  }

  /** A retain limit for records up to {@code maxRecordBytes} long. */
  public static long retainLimitFor(long maxRecordBytes) {
    return 2 * maxRecordBytes + 2L * DEFAULT_BUFFER_BYTES;
  }

  private void rangeEndKnown(long end) {
    rangeEnd = end;
    if (readerListener != null) {
      readerListener.accept(end);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The length of the decoded data once the end was reached, else -1. */
  @Override
  public long length() {
    return eof ? bufferStart + filled : -1;
  }

  @Override
  public ByteWindow window(long pos, long minBytes) throws IOException {
    if (closed) {
      throw new IllegalStateException("window() after close() of " + name);
    }
    if (pos < bufferStart) {
      throw new IOException(
          "Cannot look back to "
              + decoder.describeOffset(pos)
              + " in "
              + name
              + ": a streamed (compressed) file keeps only "
              + retainLimit
              + " bytes behind the reader, and this look-back (a malformed stretch or record"
              + " longer than that) needs more. Decompress the file, or raise maxRecordBytes.");
    }
    long need = pos + Math.max(1, minBytes);
    if (need < 0) {
      need = Long.MAX_VALUE; // overflow: as much as there is
    }
    while (!eof && bufferStart + filled < need) {
      fill(pos, need);
    }
    if (pos > bufferStart + filled) {
      throw new IllegalArgumentException(
          "offset " + pos + " is past the end of the data of " + name + " at " + length());
    }
    return new ByteWindow(buffer.address(), bufferStart, bufferStart + filled, eof);
  }

  /**
   * Makes room (dropping what no reader needs, or growing) and decodes until the buffer is full.
   */
  private void fill(long pos, long need) throws IOException {
    if (pendingError != null) {
      throw pendingError;
    }
    long keep = Math.min(pos, Math.min(advanced, rangeEnd)) - LOOK_BACK_BYTES;
    if (need - keep > retainLimit) {
      keep = pos - LOOK_BACK_BYTES; // bounded memory beats a look-back far behind
    }
    keep = Math.max(bufferStart, Math.min(keep, bufferStart + filled));
    if (keep > bufferStart) {
      int drop = (int) (keep - bufferStart);
      buffer.moveToFront(drop, filled - drop);
      filled -= drop;
      bufferStart = keep;
      decoder.released(keep);
    }
    if (buffer.capacity() - filled < Decoder.STEP_BYTES) {
      long wanted = Math.max(2L * buffer.capacity(), (long) filled + Decoder.STEP_BYTES);
      if ((long) filled + Decoder.STEP_BYTES > NativeBuffer.MAX_CAPACITY) {
        throw new IOException(
            "A record in "
                + name
                + " at "
                + decoder.describeOffset(pos)
                + " needs more than "
                + NativeBuffer.MAX_CAPACITY
                + " bytes of buffer; set maxRecordBytes lower to fail such records as malformed.");
      }
      buffer.grow((int) Math.min(NativeBuffer.MAX_CAPACITY, wanted), filled);
    }
    while (buffer.capacity() - filled >= Decoder.STEP_BYTES) {
      int n;
      try {
        n = decoder.decode(buffer.slice(filled, buffer.capacity()));
      } catch (IOException e) {
        if (bufferStart + filled > pos) {
          pendingError = e;
          return;
        }
        throw e;
      }
      if (n < 0) {
        eof = true;
        return;
      }
      if (n == 0) {
        throw new IllegalStateException("decoder of " + name + " made no progress");
      }
      filled += n;
      long end = bufferStart + filled;
      if (end >= need && (end >= rangeEnd || end - pos >= FILL_AHEAD)) {
        return; // past the range end, decode only what the reader asks for
      }
    }
  }

  @Override
  public void advance(long pos) {
    advanced = pos;
  }

  @Override
  public void expectRange(long start, long end) {
    advanced = start;
    if (end != Long.MAX_VALUE) {
      rangeEnd = end;
    }
  }

  @Override
  public void onRangeEnd(LongConsumer listener) {
    this.readerListener = listener;
    if (rangeEnd != Long.MAX_VALUE) {
      listener.accept(rangeEnd);
    }
  }

  @Override
  public String describeOffset(long offset) {
    return decoder.describeOffset(offset);
  }

  @Override
  public long reportedOffset(long offset) {
    return decoder.reportedOffset(offset);
  }

  /**
   * The most {@link #explain} decodes on: enough for a damaged deflate block to fail (it does
   * within kilobytes, mostly), bounded so that ignoreCorruptFiles over many damaged files does not
   * decode each to its end.
   */
  public static final long DAMAGE_CHECK_BYTES = 8L << 20;

  /**
   * A parse error in a gzip stream may come from damaged compressed data that yields garbage before
   * the member's CRC-32 is checked: decodes on (up to {@link #DAMAGE_CHECK_BYTES}) and returns the
   * damage, with the parse error suppressed, if there is some; else the error itself. Leaves this
   * source unusable when it decoded on.
   */
  public IOException explain(IOException e) {
    if (e instanceof FastqParseException) {
      IOException damage = damage(DAMAGE_CHECK_BYTES);
      if (damage != null && damage != e) {
        damage.addSuppressed(e);
        return damage;
      }
    }
    return e;
  }

  /**
   * Decodes the rest of the stream (up to {@code maxBytes}, discarding it) to find damage that
   * explains an error: a damaged gzip member yields garbage that the parser may reject before the
   * member's CRC-32 is checked at its end. Returns the decoder's error, or null when the data
   * decodes cleanly (or is longer than {@code maxBytes}). Leaves this source unusable.
   */
  public IOException damage(long maxBytes) {
    if (pendingError != null) {
      return pendingError;
    }
    if (closed || eof) {
      return null;
    }
    java.nio.ByteBuffer scratch = buffer.slice(0, Math.min(buffer.capacity(), 1 << 20));
    long decoded = 0;
    try {
      while (decoded < maxBytes) {
        scratch.clear();
        int n = decoder.decode(scratch);
        if (n < 0) {
          return null;
        }
        decoded += n;
      }
    } catch (IOException e) {
      return e;
    } finally {
      eof = true;
      filled = 0;
    }
    return null;
  }

  /** Compressed bytes the decoder read from storage. */
  @Override
  public long bytesRead() {
    return decoder.compressedBytesRead();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      decoder.close();
    } finally {
      buffer.free();
    }
  }
}
