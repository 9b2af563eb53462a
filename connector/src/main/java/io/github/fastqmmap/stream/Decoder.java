/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * Produces a file's bytes in order (decompressing them, usually) for a {@link StreamByteSource}.
 * Offsets are positions in the produced stream.
 */
interface Decoder extends Closeable {
  /** The room {@link #decode} may need for one step: one BGZF block. */
  int STEP_BYTES = 64 * 1024 + 64;

  /**
   * Writes the next bytes into {@code dst} (from its position to its limit) and advances its
   * position.
   *
   * @return the number of bytes written, at least 1 when {@code dst} has {@link #STEP_BYTES} of
   *     room, possibly 0 when it has less; or -1 at the end of the data
   */
  int decode(ByteBuffer dst) throws IOException;

  /** The stream's bytes before {@code offset} will not be asked about again. */
  default void released(long offset) {}

  /** See {@link io.github.fastqmmap.parse.ByteSource#onRangeEnd}. */
  default void onRangeEnd(LongConsumer listener) {}

  /** See {@link io.github.fastqmmap.parse.ByteSource#describeOffset}. */
  default String describeOffset(long offset) {
    return "uncompressed byte offset " + offset;
  }

  /** See {@link io.github.fastqmmap.parse.ByteSource#reportedOffset}. */
  default long reportedOffset(long offset) {
    return offset;
  }

  /** Compressed bytes read from storage so far. */
  default long compressedBytesRead() {
    return 0;
  }
}
