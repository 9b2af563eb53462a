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
 * Inflates one raw deflate stream piece by piece, as a gzip member's body is read: with ISA-L when
 * present, else with the JDK's zlib. Bytes read past the stream's end are given back (the buffer's
 * position stops at the end), so the next member's header is where the caller expects it. One
 * instance per reader; not thread-safe.
 */
public final class StreamInflater implements AutoCloseable {
  private final CodecCounters counters;
  private IsalState isal;
  private Inflater jdk;
  private boolean finished;

  private StreamInflater(boolean useIsal, CodecCounters counters) {
    this.counters = counters;
    if (useIsal) {
      isal = new IsalState();
    } else {
      jdk = new Inflater(true);
    }
  }

  /** ISA-L when present, else the JDK; counts the bytes produced into {@code counters}. */
  public static StreamInflater create(CodecCounters counters) {
    return new StreamInflater(NativeCodecs.useIsal(), counters);
  }

  /** The JDK's zlib, whatever is present (to replay damaged data for zlib's message). */
  public static StreamInflater jdk(CodecCounters counters) {
    return new StreamInflater(false, counters);
  }

  public boolean isNative() {
    return isal != null;
  }

  /** Starts a new stream. */
  public void reset() {
    finished = false;
    if (isal != null) {
      isal.reset();
    } else {
      jdk.reset();
    }
  }

  /**
   * Inflates from {@code src} (position to limit, direct for ISA-L) into {@code dst} (position to
   * limit), advancing both positions.
   *
   * @return the bytes written
   * @throws DataFormatException for damaged data: zlib's message from the JDK, ISA-L's result name
   *     from ISA-L
   */
  public int inflate(ByteBuffer src, ByteBuffer dst) throws DataFormatException {
    if (isal == null) {
      jdk.setInput(src); // zlib advances src's position as it consumes
      int n = jdk.inflate(dst);
      finished = jdk.finished();
      counters.bytesInflatedByJdk += n;
      return n;
    }
    int inBytes = src.remaining();
    int outBytes = dst.remaining();
    isal.setInput(NativeMemory.addressOf(src) + src.position(), inBytes);
    isal.setOutput(NativeMemory.addressOf(dst) + dst.position(), outBytes);
    int r = isal.inflate();
    finished = r >= 0 && isal.finished();
    int consumed = inBytes - isal.availIn();
    if (finished) {
      consumed -= isal.unusedInputBytes(); // the next member's bytes, read ahead
    }
    int n = outBytes - isal.availOut();
    src.position(src.position() + consumed);
    dst.position(dst.position() + n);
    counters.bytesInflatedNatively += n;
    if (r < 0) {
      throw new DataFormatException(LibIsal.describe(r));
    }
    return n;
  }

  /** Whether the stream's end was reached. */
  public boolean finished() {
    return finished;
  }

  /** Whether zlib asks for a preset dictionary (never for ISA-L's raw deflate). */
  public boolean needsDictionary() {
    return jdk != null && jdk.needsDictionary();
  }

  @Override
  public void close() {
    if (isal != null) {
      isal.close();
      isal = null;
    }
    if (jdk != null) {
      jdk.end();
      jdk = null;
    }
  }
}
