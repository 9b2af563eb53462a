/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import io.github.fastqmmap.parse.NativeMemory;
import java.nio.ByteBuffer;

/**
 * FASTQ bytes in native memory (a direct buffer) handed out as one window: the record reader's
 * input without a file, a mapping or page faults, for the JMH benchmarks. Readers may close it
 * after each pass; the memory stays until the buffer is collected.
 */
public final class NativeChunkSource implements ByteSource {
  private final ByteBuffer buffer;
  private final ByteWindow window;
  private final long length;

  public NativeChunkSource(byte[] data) {
    buffer = ByteBuffer.allocateDirect(Math.max(1, data.length));
    buffer.put(data).flip();
    length = data.length;
    window = new ByteWindow(NativeMemory.addressOf(buffer), 0, length, true);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public ByteWindow window(long pos, long minBytes) {
    if (pos < 0 || pos > length) {
      throw new IllegalArgumentException("offset " + pos + " outside [0, " + length + "]");
    }
    return window;
  }

  @Override
  public void close() {
    // The same bytes serve every pass.
  }
}
