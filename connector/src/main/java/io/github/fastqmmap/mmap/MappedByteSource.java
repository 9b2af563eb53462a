/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.NativeMemory;
import io.github.fastqmmap.parse.PendingFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ByteSource} over a memory-mapped file. It maps only what the reader asks for, one window
 * at a time, and keeps at most two windows: the current one and, once the cursor is within {@code
 * prefetchBytes} of its end, the next one, already advised with {@code MADV_WILLNEED}. Consumed
 * windows are unmapped, and with {@code dropBehind} their pages leave the page cache.
 *
 * <p>With {@link WindowRead#AUTO} (the default) a window may be copied instead. Right after mapping
 * a window, a probe touches every page of one MiB of it (from a 2 MiB boundary), copies the same
 * MiB with {@code pread} into a buffer, and runs the touch loop again over the copy (the loop's own
 * cost), timing each in thread CPU time. When reaching the pages through the mapping cost more than
 * twice copying them ({@link WindowChoice#COPY_MARGIN}), as in a file just written or copied into
 * the page cache (five to six times the copy in this project's VM, about the copy's cost for a file
 * read ahead into a cold cache), this window and the following ones of the file are read with
 * {@code pread} into a reused buffer, {@link #COPY_WINDOW_BYTES} at a time, with a probe again once
 * {@link WindowChoice#PROBE_EVERY} windows' worth of bytes has been copied (see {@link
 * WindowChoice}). The probe's touches are costs a mapped scan pays anyway; a window given up for a
 * copy wastes them, and while a file is mapped every eighth probe also times a copy (a sixteenth of
 * copying the window), the others reuse that time (see {@link WindowChoice#timeCopy()}). Either way
 * the reader sees the same bytes at the same offsets; the metrics {@code windowsMapped} and {@code
 * windowsCopied} say which was used.
 */
public final class MappedByteSource implements ByteSource {
  /** Bytes the probe touches and copies, from the window's first 2 MiB boundary. */
  static final long PROBE_BYTES = 1 << 20;

  /**
   * The kernel maps a large folio 2 MiB at a time only where the mapping covers the whole aligned 2
   * MiB, so the probe starts at a 2 MiB file offset (the kernel aligns file mappings to match); the
   * part of a window before it maps in 4 KiB steps whatever the cache holds.
   */
  static final long HUGE_BYTES = 2L << 20;

  /** Windows shorter than this hold no whole probe after a 2 MiB boundary: they are mapped. */
  static final long PROBE_MIN_WINDOW = HUGE_BYTES + PROBE_BYTES;

  /**
   * The probe's step: one touch per 4 KiB page, as a scan touches them. A touch per 64 KiB (the
   * kernel's fault-around) saw the faults but not the cost per page, which is what differs.
   */
  static final long PROBE_STRIDE = 4 << 10;

  /** The longest window copied: longer ones (records of megabases) are mapped. */
  static final long MAX_COPY_BYTES = 64L << 20;

  /**
   * A copied window's bytes, unless a record needs more: a copy this short is written into the
   * core's caches and scanned from there, where a copy of a whole mapped window ({@code
   * windowBytes}, 16 MiB) is written back to memory and read from it again. On the AMD EPYC host
   * (2026-12-06, page cache warm, C, two threads reading a 1 GiB file each) {@code pread} into a
   * reused buffer and a read of every 64th byte took 0.07 to 0.08 s in 2 MiB steps against 0.13 to
   * 0.19 s in 16 MiB ones; docs/measurements/page-cache.md, "Shorter copies".
   */
  static final long COPY_WINDOW_BYTES = 2L << 20;

  /**
   * The system property that sets a copied window's bytes instead of {@link #COPY_WINDOW_BYTES}, in
   * the JVM that reads, to measure.
   */
  static final String COPY_WINDOW_PROPERTY = "fastqmmap.copyWindowBytes";

  /** What the last probe of a file found, for the readers of its other ranges in this JVM. */
  private static final Map<String, WindowChoice> HINTS =
      Collections.synchronizedMap(
          new LinkedHashMap<String, WindowChoice>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WindowChoice> eldest) {
              return size() > 256;
            }
          });

  /** Keeps the probe's loads from being optimised away. */
  @SuppressWarnings("unused")
  private static volatile int probeSink;

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
  private final WindowChoice hint;
  private final long copyCapacity;

  /** A copied window's bytes, unless a record needs more ({@link #COPY_WINDOW_BYTES}). */
  private final long copyWindow;

  private final NativeMemory[] copyBuffers = new NativeMemory[2];
  private final boolean[] copyInUse = new boolean[2];

  /** Whether a copy buffer's pages have been written once: a fresh one faults on first use. */
  private final boolean[] copyWarm = new boolean[2];

  /**
   * Where copy buffers of consumed windows wait until the reader's consumer is done with them
   * (their windows are then {@link ByteWindow#retained()}); null: reused at once.
   */
  private final BufferHold hold;

  private long faultsMinorAtStart;
  private long faultsMajorAtStart;

  private MappedByteSource(
      MappedFile file, String name, MappingOptions options, MappingCounters c, BufferHold hold) {
    this.file = file;
    this.hold = hold;
    this.name = name;
    this.options = options;
    this.counters = c;
    this.copyCapacity =
        Math.min(MAX_COPY_BYTES, Math.max(options.windowBytes(), MappedFile.pageSize()));
    this.copyWindow = Math.min(copyCapacity, copyWindowBytes());
    this.hint =
        options.windowRead() == WindowRead.AUTO && file.canCopy()
            ? HINTS.computeIfAbsent(
                choiceKey(file.path(), file.length(), file.lastModifiedMillis()),
                k -> new WindowChoice())
            : null;
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
    return open(path, name, options, counters, null);
  }

  /**
   * Opens a file for mapping whose copied windows stay in their buffers, held by {@code hold} once
   * consumed, until the hold is released; null as {@link #open(Path, String, MappingOptions,
   * MappingCounters)}.
   */
  public static MappedByteSource open(
      Path path, String name, MappingOptions options, MappingCounters counters, BufferHold hold)
      throws IOException {
    return new MappedByteSource(MappedFile.open(path, counters), name, options, counters, hold);
  }

  private static long copyWindowBytes() {
    String bytes = System.getProperty(COPY_WINDOW_PROPERTY);
    if (bytes == null) {
      return COPY_WINDOW_BYTES;
    }
    try {
      long n = Long.parseLong(bytes.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(
        "-D" + COPY_WINDOW_PROPERTY + " is '" + bytes + "': use a number of bytes above 0");
  }

  private static String choiceKey(Path path, long length, long lastModifiedMillis) {
    return path.toAbsolutePath() + "|" + length + "|" + lastModifiedMillis;
  }

  /**
   * Makes {@code choice} decide for the readers of {@code path} as it is now, for tests that need
   * each outcome of the probe whatever the machine measures.
   */
  static void useChoice(Path path, WindowChoice choice) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    HINTS.put(choiceKey(path, a.size(), a.lastModifiedTime().toMillis()), choice);
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
    current = map(pos, end, want);
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
          next = map(nextStart, nextEnd, current.end());
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

  /**
   * Maps {@code [start, end)}, or copies it from {@code start}: {@link #copyWindow} bytes, or up to
   * {@code want} when a record needs more.
   */
  private MappedWindow map(long start, long end, long want) throws IOException {
    long copyEnd = Math.min(end, Math.max(want, start + copyWindow));
    if (options.windowRead() != WindowRead.MAP
        && file.canCopy()
        && copyEnd - start <= copyCapacity) {
      if (hint == null || (hold != null && hold.valuesFillWindows())) {
        return copy(start, copyEnd); // WindowRead.COPY, or AUTO for a consumer that would copy all
      }
      long n = end - start;
      if (hint.copyWithoutProbe(n, copyEnd - start)) {
        return copy(start, copyEnd);
      }
      if (n >= PROBE_MIN_WINDOW) {
        MappedWindow w = file.map(start, end, options);
        if (!probeFindsCopyCheaper(w, start)) {
          bytesMapped += w.mapLength;
          return w;
        }
        // Counted as a copy, not as a mapping: the window is read from the buffer.
        counters.windowsMapped--;
        counters.bytesMapped -= w.mapLength;
        file.unmap(w);
        return copy(start, copyEnd);
      }
    }
    MappedWindow w = file.map(start, end, options);
    bytesMapped += w.mapLength;
    return w;
  }

  /**
   * Times touching the pages of {@link #PROBE_BYTES} of a fresh mapping against copying the same
   * bytes into a free copy buffer, and records the result for the file (see {@link WindowChoice}).
   */
  private boolean probeFindsCopyCheaper(MappedWindow w, long start) throws IOException {
    long probeStart = (start + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
    long probeEnd = Math.min(w.end(), probeStart + PROBE_BYTES);
    int i = copyInUse[0] ? 1 : 0;
    long address = buffer(i, probeEnd - probeStart);
    if (!copyWarm[i]) {
      // A fresh buffer's first write faults its pages in: the copy would look slow once.
      file.copy(address, probeStart, probeEnd);
      copyWarm[i] = true;
    }
    // Once untimed over the buffer: the loop's first runs in a JVM paid one-off costs (2 ms once)
    // that the timed runs would have put on either side of the comparison; and the buffer's lines
    // are cached for the timed loop below when this probe copies nothing.
    int sum = touch(address, probeEnd - probeStart);
    boolean timeCopy = hint.timeCopy();
    long t0 = ProbeClock.now();
    sum += touch(w.addressOf(probeStart), probeEnd - probeStart);
    long t1 = ProbeClock.now();
    long copied = timeCopy ? file.copy(address, probeStart, probeEnd) : probeEnd;
    long t2 = ProbeClock.now();
    // The same loop over the bytes just copied (cached): what the loop itself costs, which is most
    // of the touch time while the JIT has not compiled it yet (the first probes of a JVM).
    sum += touch(address, probeEnd - probeStart);
    long t3 = ProbeClock.now();
    probeSink = sum;
    if (copied < probeEnd) {
      // The file shrank: keep the mapping, whose read fails as a mapped read of a changed file
      // does.
      return false;
    }
    return hint.probed(t1 - t0, t3 - t2, timeCopy ? t2 - t1 : -1);
  }

  /** Reads one byte of every page of {@code [address, address + bytes)}. */
  private static int touch(long address, long bytes) {
    int sum = 0;
    for (long off = 0; off < bytes; off += PROBE_STRIDE) {
      sum += NativeMemory.getByte(address + off);
    }
    return sum;
  }

  /**
   * The address of copy buffer {@code i}, which holds at least {@code bytes}: a record longer than
   * a copied window, or a probe's MiB when copied windows are set shorter, gets a larger one.
   */
  private long buffer(int i, long bytes) {
    if (copyBuffers[i] != null && copyBuffers[i].length() < bytes) {
      CopyBuffers.give(copyBuffers[i]);
      copyBuffers[i] = null;
      copyWarm[i] = false;
    }
    if (copyBuffers[i] == null) {
      copyBuffers[i] = CopyBuffers.take(Math.max(bytes, copyWindow));
    }
    return copyBuffers[i].address();
  }

  /** Reads {@code [start, end)} into a free copy buffer. */
  private MappedWindow copy(long start, long end) throws IOException {
    int i = copyInUse[0] ? 1 : 0;
    if (copyInUse[i]) {
      throw new IllegalStateException("both copy buffers are in use");
    }
    long address = buffer(i, end - start);
    long copied = file.copy(address, start, end);
    if (copied < end) {
      // A mapping faults (SIGBUS) here; the copy finds the end early. Same cause, same words.
      throw new FileChangedDuringReadException(
          name,
          copied,
          "File changed during read: "
              + name
              + " was "
              + file.length()
              + " bytes when it was opened, and reading it at byte offset "
              + copied
              + " found its end: it was truncated or replaced while being read. Do not modify"
              + " files while they are read; open the file again to read it as it is now.",
          null);
    }
    copyInUse[i] = true;
    copyWarm[i] = true;
    counters.windowsCopied++;
    counters.bytesCopied += end - start;
    bytesMapped += end - start;
    return new MappedWindow(
        address, end - start, start, start, end, end == file.length(), null, i, hold != null);
  }

  /** Bytes covered by the windows this source mapped (page-aligned lengths) or copied. */
  @Override
  public long bytesRead() {
    return bytesMapped;
  }

  private void willNeed(MappedWindow window, long from, long to) {
    long f = Math.max(from, window.start());
    long t = Math.min(to, window.end());
    if (t > f && !window.copied()) {
      file.advise(window, f, t, ReadAdvice.WILLNEED.madviseValue());
    }
  }

  private void release(MappedWindow window) {
    if (window == null) {
      return;
    }
    if (window.copied()) {
      int i = window.copyBuffer;
      copyInUse[i] = false;
      if (hold != null) {
        // Values of the consumer's batch may still point into it: the next copy takes another.
        hold.keep(copyBuffers[i]);
        copyBuffers[i] = null;
        copyWarm[i] = false;
      }
    } else {
      file.unmap(window);
    }
  }

  /**
   * Unmaps both windows and closes the file, each step even if an earlier one threw.
   *
   * <p>After a fault on a mapped page (the file shrank), HotSpot may raise its InternalError late
   * ({@link PendingFault}). It is taken before anything is released and thrown after everything is,
   * so that it can neither skip a window nor make a retry unmap an address twice.
   *
   * @throws InternalError a fault on the mapping that HotSpot had not raised yet
   */
  @Override
  public void close() throws IOException {
    InternalError pending = PendingFault.take();
    MappedWindow first = current;
    MappedWindow second = next;
    current = null;
    next = null;
    try {
      sampleFaults();
      if (pending != null) {
        throw pending;
      }
    } finally {
      try {
        release(first);
      } finally {
        try {
          release(second);
        } finally {
          try {
            file.close();
          } finally {
            for (int i = 0; i < copyBuffers.length; i++) {
              if (copyBuffers[i] != null) {
                CopyBuffers.give(copyBuffers[i]);
                copyBuffers[i] = null;
              }
            }
          }
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
