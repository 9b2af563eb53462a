/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Bytes of one file, handed out as windows of native memory. A memory-mapped file and a buffered
 * stream both implement it, so one scanner serves every input path.
 */
public interface ByteSource extends Closeable {
  /**
   * How far past its range end a source's windows reach before a record asks for more: the records
   * that cross the end, and the next record start the successor check looks for, are usually there.
   */
  long OVERHANG_BYTES = 64 << 10;

  /**
   * Bytes a source keeps (or reads again) before a requested position, for the reader's short
   * look-backs: the record-start rule looks one byte back, an error message to its line's start.
   */
  int LOOK_BACK_BYTES = 64;

  /** The file's name as messages should show it (a URI or path). */
  String name();

  /**
   * Total length in bytes, or -1 while a streamed (decompressed) source has not reached its end.
   */
  long length();

  /**
   * Returns a window that holds {@code [pos, pos + minBytes)}, or {@code [pos, length())} when that
   * is shorter. The previous window may become invalid.
   */
  ByteWindow window(long pos, long minBytes) throws IOException;

  /**
   * Says that the reader will not look before {@code pos} again except for short look-backs; the
   * source may prefetch ahead of it and release what lies behind.
   */
  default void advance(long pos) throws IOException {}

  /**
   * Says that the reader owns the records starting in {@code [start, end)}, so it will read little
   * past {@code end}: a source may size what it loads to the range.
   */
  default void expectRange(long start, long end) {}

  /**
   * For a range whose end in this source's offsets is known only once the bytes before it have been
   * produced (BGZF: the uncompressed offset where the first block at or after the compressed range
   * end begins), the source calls {@code listener} with that end as soon as it knows it, and at the
   * latest once it has produced every byte before it, so before a reader can stand at it. A {@link
   * RecordReader} registers here; it is given {@code Long.MAX_VALUE} as its end until then. Sources
   * whose ranges end where the reader was told never call it.
   */
  default void onRangeEnd(LongConsumer listener) {}

  /**
   * How messages name an offset of this source: {@code "byte offset 123"} for a plain file; a
   * decompressing source says that the offset is uncompressed and, for BGZF, which block it is in.
   */
  default String describeOffset(long offset) {
    return "byte offset " + offset;
  }

  /**
   * The number the {@code _offset} column and {@link FastqParseException#offset()} report for an
   * offset of this source: the offset itself, or for BGZF the virtual offset {@code (compressed
   * block offset << 16) | offset in the uncompressed block}.
   */
  default long reportedOffset(long offset) {
    return offset;
  }

  /**
   * Bytes this source has read from storage so far: bytes mapped for a mapping, compressed bytes
   * for a decompressing source, bytes read for positional reads; 0 when it reads no storage.
   */
  default long bytesRead() {
    return 0;
  }

  /** Rejects an offset outside {@code [0, length]}, the offsets a window can be asked for. */
  static void checkOffset(long pos, long length) {
    if (pos < 0 || pos > length) {
      throw new IllegalArgumentException("offset " + pos + " outside [0, " + length + "]");
    }
  }

  /**
   * The end of what {@code window(pos, minBytes)} must hold: {@code pos + max(1, minBytes)}, but
   * not past {@code length}, and {@code length} when the sum overflows.
   */
  static long wantedEnd(long pos, long minBytes, long length) {
    long want = pos + Math.max(1, minBytes);
    return want < pos ? length : Math.min(length, want);
  }

  /**
   * Where windows stop, unless a request needs more, for a reader whose range ends at {@code
   * rangeEnd}: the range end plus {@link #OVERHANG_BYTES}.
   */
  static long windowLimit(long rangeEnd) {
    return rangeEnd > Long.MAX_VALUE - OVERHANG_BYTES ? Long.MAX_VALUE : rangeEnd + OVERHANG_BYTES;
  }
}
