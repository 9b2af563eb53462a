/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A {@link RandomAccessInput} read from start to end as an {@link InputStream}. */
final class InputAsStream extends InputStream {
  private final RandomAccessInput input;
  private long position;

  /**
   * @param input read from offset 0; closed with this stream
   */
  public InputAsStream(RandomAccessInput input) {
    this.input = input;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = input.read(position, ByteBuffer.wrap(b, off, len));
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /** Bytes read so far. */
  public long position() {
    return position;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
