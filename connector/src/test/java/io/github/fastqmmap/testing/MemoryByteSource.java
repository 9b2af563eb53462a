/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import com.sun.jna.Pointer;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteWindow;
import io.github.fastqmmap.parse.NativeMemory;

/**
 * A {@link ByteSource} over a byte array copied into native memory, for tests that need the
 * scanner's window handling without a file.
 *
 * <p>Windows are deliberately small: {@code window(pos, minBytes)} returns at least {@code
 * min(minBytes, length - pos)} bytes from {@code pos} and never more than {@code max(windowSize,
 * minBytes)} bytes in all, so readers meet the scanner's INCOMPLETE answer at every record longer
 * than a window and switch windows often. A fresh window starts at the multiple of {@code
 * windowSize} at or before the requested position (so windows also start before the position asked
 * for); the current window is reused while it holds the requested bytes within that bound.
 *
 * <p>With {@code isolatedWindows}, every new window is a separate native copy of its bytes, and the
 * window it replaces is overwritten with {@link #POISON} (kept allocated until the next switch,
 * then freed). A reader that keeps using a window after asking for another one then sees poison
 * instead of the file's bytes, which the tests notice as wrong records, instead of silently reading
 * the right bytes from one shared buffer.
 *
 * <p>Not thread-safe; frees its native memory on {@link #close()}.
 */
public final class MemoryByteSource implements ByteSource {
  /** The byte written over windows that were replaced (isolated mode). */
  public static final byte POISON = (byte) 0xA5;

  private final String name;
  private final long length;
  private final int windowSize;
  private final boolean isolatedWindows;

  /** The whole data in native memory (shared mode), or null in isolated mode. */
  private NativeMemory shared;

  /** Isolated mode: a copy of the data on the Java heap, from which windows are copied. */
  private final byte[] heapCopy;

  private ByteWindow current;
  private NativeMemory currentAllocation; // isolated mode: the native block behind current
  private NativeMemory retiredAllocation; // isolated mode: the poisoned previous block
  private boolean closed;

  private long windowsCreated;
  private long largestWindow;
  private long advanceCalls;
  private long lastAdvance = -1;

  /**
   * @param name the name messages show
   * @param data the bytes; copied
   * @param windowSize the largest window handed out unless more bytes are asked for; at least 1
   * @param isolatedWindows whether each window is a separate, poisoned-on-replace copy
   */
  public MemoryByteSource(String name, byte[] data, int windowSize, boolean isolatedWindows) {
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be at least 1, got " + windowSize);
    }
    this.name = name;
    this.length = data.length;
    this.windowSize = windowSize;
    this.isolatedWindows = isolatedWindows;
    if (isolatedWindows) {
      this.heapCopy = data.clone();
    } else {
      this.heapCopy = null;
      this.shared = new NativeMemory(data.length);
      copyIn(data, 0, this.shared.address(), data.length);
    }
  }

  /** A source with windows of {@code windowSize} bytes sharing one native copy of the data. */
  public MemoryByteSource(String name, byte[] data, int windowSize) {
    this(name, data, windowSize, false);
  }

  /** A source whose windows cover the whole data. */
  public static MemoryByteSource of(byte[] data) {
    return new MemoryByteSource("memory", data, Math.max(1, data.length), false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public ByteWindow window(long pos, long minBytes) {
    if (closed) {
      throw new IllegalStateException("window() after close()");
    }
    if (pos < 0 || pos > length) {
      throw new IllegalArgumentException("offset " + pos + " outside [0, " + length + "]");
    }
    long need = pos + Math.min(Math.max(1, minBytes), length - pos); // never past the data
    long bound = Math.max(windowSize, need - pos); // the most a window may hold for this request
    if (current != null
        && current.start() <= pos
        && need <= current.end()
        && current.end() - current.start() <= bound) {
      return current;
    }
    long start = pos - pos % windowSize;
    long end = Math.min(length, start + windowSize);
    if (end < need) {
      start = pos;
      end = need;
    }
    current = isolatedWindows ? isolatedWindow(start, end) : sharedWindow(start, end);
    windowsCreated++;
    largestWindow = Math.max(largestWindow, end - start);
    return current;
  }

  private ByteWindow sharedWindow(long start, long end) {
    return new ByteWindow(shared.address() + start, start, end, end == length);
  }

  private ByteWindow isolatedWindow(long start, long end) {
    if (retiredAllocation != null) {
      retiredAllocation.close();
      retiredAllocation = null;
    }
    if (currentAllocation != null) {
      poison(currentAllocation.address(), current.end() - current.start());
      retiredAllocation = currentAllocation;
    }
    long bytes = end - start;
    currentAllocation = new NativeMemory(bytes);
    copyIn(heapCopy, (int) start, currentAllocation.address(), (int) bytes);
    return new ByteWindow(currentAllocation.address(), start, end, end == length);
  }

  @Override
  public void advance(long pos) {
    advanceCalls++;
    lastAdvance = pos;
  }

  /** Windows handed out that were not reuses of the current one. */
  public long windowsCreated() {
    return windowsCreated;
  }

  /** The largest window handed out, in bytes. */
  public long largestWindow() {
    return largestWindow;
  }

  /** How often {@link #advance} was called. */
  public long advanceCalls() {
    return advanceCalls;
  }

  /** The last position passed to {@link #advance}, or -1. */
  public long lastAdvance() {
    return lastAdvance;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (shared != null) {
      shared.close();
      shared = null;
    }
    if (currentAllocation != null) {
      currentAllocation.close();
      currentAllocation = null;
    }
    if (retiredAllocation != null) {
      retiredAllocation.close();
      retiredAllocation = null;
    }
    current = null;
  }

  private static void copyIn(byte[] data, int from, long address, int bytes) {
    // NativeMemory copies native memory into arrays only; the other direction is one bulk JNA call.
    new Pointer(address).write(0, data, from, bytes);
  }

  private static void poison(long address, long bytes) {
    new Pointer(address).setMemory(0, bytes, POISON);
  }
}
