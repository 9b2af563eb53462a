/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An input whose first bytes were already read (to tell the file's format): reads of them are
 * served from memory, and a read that goes past them goes on in the input, where its stream already
 * stands. Reading the start again would cost a second open or a backward seek (on HDFS a new
 * connection to a DataNode); for a file smaller than the head, nothing more is asked of storage.
 */
final class HeadInput implements Storage.Input {
  private final Storage.Input input;
  private final byte[] head;

  /**
   * @param head the file's first bytes, read from {@code input}; closed with this input
   */
  HeadInput(Storage.Input input, byte[] head) {
    this.input = input;
    this.head = head;
  }

  @Override
  public Storage.Status status() {
    return input.status();
  }

  @Override
  public long length() {
    return input.length();
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining() || position >= head.length) {
      return input.read(position, dst);
    }
    int n = (int) Math.min(dst.remaining(), head.length - position);
    dst.put(head, (int) position, n);
    if (!dst.hasRemaining() || position + n >= input.length()) {
      return n;
    }
    int more = input.read(position + n, dst);
    return more < 0 ? n : n + more;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
