/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link ByteSource} over a memory-mapped file. It maps only what the reader asks for, one window
 * at a time, and keeps at most two windows: the current one and, once the cursor is within {@code
 * prefetchBytes} of its end, the next one, already advised with {@code MADV_WILLNEED}. Consumed
 * windows are unmapped, and with {@code dropBehind} their pages leave the page cache.
 */
public final class MappedByteSource implements ByteSource {
  private final MappedFile file;
  private final String name;
  private final MappingOptions options;
  private final MappingCounters counters;
  private final ThreadFaults faults = new ThreadFaults();
  private MappedWindow current;
  private MappedWindow next;

  /** File offset up to which {@code MADV_WILLNEED} has been asked for. */
  private long prefetchedTo;

  /** Where {@link #advance} next has something to do: prefetch or drop-behind. */
  private long nextAdvanceAction;

  private long droppedTo;

  /** Where windows stop unless a request needs more: the range end plus the overhang. */
  private long windowLimit = Long.MAX_VALUE;

  private long bytesMapped;
  private long faultsMinorAtStart;
  private long faultsMajorAtStart;

  private MappedByteSource(
      MappedFile file, String name, MappingOptions options, MappingCounters c) {
    this.file = file;
    this.name = name;
    this.options = options;
    this.counters = c;
    faults.sample();
    faultsMinorAtStart = faults.minor;
    faultsMajorAtStart = faults.major;
  }

  /**
   * Opens a file for mapping.
   *
   * @param name how messages name the file, for example its URI
   */
  public static MappedByteSource open(
      Path path, String name, MappingOptions options, MappingCounters counters) throws IOException {
    return new MappedByteSource(MappedFile.open(path, counters), name, options, counters);
  }

  /** The mapped file, for its length and modification time as opened. */
  public MappedFile file() {
    return file;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long length() {
    return file.length();
  }

  @Override
  public ByteWindow window(long pos, long minBytes) throws IOException {
    long length = file.length();
    ByteSource.checkOffset(pos, length);
    long want = ByteSource.wantedEnd(pos, minBytes, length);
    if (current != null && current.start() <= pos && want <= current.end()) {
      return current.view();
    }
    if (next != null && next.start() <= pos && want <= next.end()) {
      release(current);
      current = next;
      next = null;
      return current.view();
    }
    release(current);
    release(next);
    current = null;
    next = null;
    if (pos == length) {
      // Nothing to map: an empty file, or a look at the end.
      return new ByteWindow(0L, length, length, true);
    }
    long stop = windowLimit;
    if (pos >= windowLimit) {
      // Past the overhang a long record or the search for the next record start needs more: grow
      // windows with the distance gone past the limit, so that scanning a line of n bytes takes
      // O(log n) mappings (windows of 'want' bytes took one mapping per byte).
      stop = pos + Math.max(OVERHANG_BYTES, pos - windowLimit);
    }
    // Mappings are whole pages: a window under a page saves nothing and made long lines cost a
    // mapping every few bytes (windowBytes=1 took minutes over megabase reads).
    long windowBytes = Math.max(options.windowBytes(), MappedFile.pageSize());
    long end = Math.min(length, Math.max(want, Math.min(stop, pos + windowBytes)));
    current = map(pos, end);
    prefetchedTo = pos;
    nextAdvanceAction = pos;
    advance(pos);
    return current.view();
  }

  @Override
  public void advance(long pos) throws IOException {
    if (pos < nextAdvanceAction || current == null) {
      return;
    }
    long prefetch = options.prefetchBytes();
    if (prefetch > 0) {
      long target = Math.min(file.length(), pos + prefetch);
      if (target > current.end() && next == null) {
        // The next window starts OVERHANG_BYTES before the current one ends, so that it holds a
        // record of up to that size crossing the current end. Starting it at the cursor held every
        // crossing record but mapped, and faulted in, the last prefetchBytes of every window twice
        // (half of each window at 16m/8m). A longer crossing record maps its own window.
        long nextStart = Math.max(pos, current.end() - OVERHANG_BYTES);
        long nextEnd =
            Math.min(file.length(), Math.min(windowLimit, nextStart + options.windowBytes()));
        if (nextEnd > current.end()) {
          next = map(nextStart, nextEnd);
        }
      }
      if (target > prefetchedTo) {
        willNeed(current, prefetchedTo, target);
        if (next != null) {
          willNeed(next, Math.max(prefetchedTo, current.end()), target);
        }
        prefetchedTo = target;
      }
    }
    if (options.dropBehind()) {
      // Pages still mapped cannot be dropped, so drop only what lies before the current window.
      long dropTo = current.mapOffset;
      if (dropTo > droppedTo) {
        file.dropFromCache(droppedTo, dropTo);
        droppedTo = dropTo;
      }
    }
    // Act again after a quarter of the prefetch distance, or of a window without prefetch.
    long step = Math.max(1L << 16, (prefetch > 0 ? prefetch : options.windowBytes()) / 4);
    nextAdvanceAction = pos + step;
  }

  @Override
  public void expectRange(long start, long end) {
    windowLimit = ByteSource.windowLimit(end);
  }

  private MappedWindow map(long start, long end) throws IOException {
    MappedWindow w = file.map(start, end, options);
    bytesMapped += w.mapLength;
    return w;
  }

  /** Bytes covered by the windows this source mapped (page-aligned lengths). */
  @Override
  public long bytesRead() {
    return bytesMapped;
  }

  private void willNeed(MappedWindow window, long from, long to) {
    long f = Math.max(from, window.start());
    long t = Math.min(to, window.end());
    if (t > f) {
      file.advise(window, f, t, ReadAdvice.WILLNEED.madviseValue());
    }
  }

  private void release(MappedWindow window) {
    if (window == null) {
      return;
    }
    file.unmap(window);
  }

  /**
   * Unmaps both windows and closes the file, each step even if an earlier one threw.
   *
   * <p>After a fault on a mapped page (the file shrank), HotSpot may raise its InternalError late,
   * at the thread's next return from native code. Sampling the fault counters first gives it that
   * point before any unmapping, and each field is cleared before its window is unmapped, so an
   * error raised on the way out can neither skip a window nor make a retry unmap an address twice.
   */
  @Override
  public void close() throws IOException {
    MappedWindow first = current;
    MappedWindow second = next;
    current = null;
    next = null;
    try {
      sampleFaults();
    } finally {
      try {
        release(first);
      } finally {
        try {
          release(second);
        } finally {
          file.close();
        }
      }
    }
  }

  private void sampleFaults() {
    faults.sample();
    counters.minorFaults += faults.minor - faultsMinorAtStart;
    counters.majorFaults += faults.major - faultsMajorAtStart;
    faultsMinorAtStart = faults.minor;
    faultsMajorAtStart = faults.major;
  }
}
