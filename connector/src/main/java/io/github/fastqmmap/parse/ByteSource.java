package io.github.fastqmmap.parse;

import java.io.Closeable;
import java.io.IOException;

/**
 * Bytes of one file, handed out as windows of native memory. A memory-mapped file and a buffered
 * stream both implement it, so one scanner serves every input path.
 */
public interface ByteSource extends Closeable {

  /** The file's name as messages should show it (a URI or path). */
  String name();

  /** Total length in bytes. */
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
}
