/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer's buffer passes on exactly what it is given, in blocks, and closes what it wraps. */
class UnlockedBufferedOutputStreamTest {

  /** Records the calls it receives. */
  private static final class Recording extends ByteArrayOutputStream {
    final List<Integer> writes = new ArrayList<>();
    int flushes;
    int closes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(len);
      super.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void passesOnSingleBytesAndArraysOfAnySizeInOrderInWholeBuffers() throws IOException {
    Random random = new Random(7);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    Recording sink = new Recording();
    try (UnlockedBufferedOutputStream out = new UnlockedBufferedOutputStream(sink, 16)) {
      for (int i = 0; i < 200; i++) {
        if (i % 3 == 0) {
          int b = random.nextInt(256);
          out.write(b);
          expected.write(b);
        } else {
          byte[] chunk = new byte[random.nextInt(40)]; // from empty to more than two buffers
          random.nextBytes(chunk);
          int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
          out.write(chunk, off, chunk.length - off);
          expected.write(chunk, off, chunk.length - off);
        }
      }
    }
    assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
    // Every call but the last hands on a full buffer.
    assertThat(sink.writes.subList(0, sink.writes.size() - 1)).containsOnly(16);
    assertThat(sink.writes.get(sink.writes.size() - 1)).isBetween(1, 16);
    assertThat(sink.closes).isEqualTo(1);
  }

  @Test
  void flushHandsOnWhatIsBufferedAndCloseClosesOnce() throws IOException {
    Recording sink = new Recording();
    UnlockedBufferedOutputStream out = new UnlockedBufferedOutputStream(sink, 1024);
    out.write(new byte[] {'@', 'r', '1'}, 0, 3);
    assertThat(sink.size()).isZero();
    out.flush();
    assertThat(sink.toByteArray()).containsExactly('@', 'r', '1');
    assertThat(sink.flushes).isEqualTo(1);
    out.flush(); // nothing buffered: no empty write
    assertThat(sink.writes).containsExactly(3);
    out.close();
    out.close();
    assertThat(sink.closes).isEqualTo(1);
  }
}
