/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * Produces the bytes of any {@link InputStream}: a decompressing stream (Hadoop's bzip2 codec, for
 * instance) or plain data. Offsets are positions in the stream.
 */
final class InputStreamDecoder implements Decoder {
  private final InputStream in;
  private final byte[] chunk = new byte[256 << 10];
  private final String offsetWords;
  private final LongSupplier compressedBytes;

  /**
   * @param in the stream; closed with this decoder
   * @param offsetWords how messages name a stream offset, such as "uncompressed byte offset"
   */
  InputStreamDecoder(InputStream in, String offsetWords) {
    this(in, offsetWords, () -> 0);
  }

  /**
   * @param compressedBytes how many bytes of storage the stream has read (for a decompressing
   *     stream over a file)
   */
  InputStreamDecoder(InputStream in, String offsetWords, LongSupplier compressedBytes) {
    this.in = in;
    this.offsetWords = offsetWords;
    this.compressedBytes = compressedBytes;
  }

  @Override
  public long compressedBytesRead() {
    return compressedBytes.getAsLong();
  }

  @Override
  public int decode(ByteBuffer dst) throws IOException {
    int want = Math.min(chunk.length, dst.remaining());
    if (want == 0) {
      return 0;
    }
    int n = in.read(chunk, 0, want);
    while (n == 0) {
      n = in.read(chunk, 0, want);
    }
    if (n < 0) {
      return -1;
    }
    dst.put(chunk, 0, n);
    return n;
  }

  @Override
  public String describeOffset(long offset) {
    return offsetWords + " " + offset;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
