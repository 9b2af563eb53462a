/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered stream for one writer thread: the JDK's {@code BufferedOutputStream} takes a lock on
 * every call, and a writer makes about eight calls per record (the record's values and the bytes
 * between them).
 */
public final class UnlockedBufferedOutputStream extends BlockBufferedOutputStream {
  public UnlockedBufferedOutputStream(OutputStream out, int bufferBytes) {
    super(out, bufferBytes);
  }

  @Override
  protected void writeBlock() throws IOException {
    out.write(data, 0, dataLength);
    dataLength = 0;
  }

  @Override
  protected void finish() {}

  @Override
  protected void release() {}
}
