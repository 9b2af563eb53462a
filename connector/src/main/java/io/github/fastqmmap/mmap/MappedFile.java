/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An open regular file that is mapped window by window. Through libc (JNA) where available, with
 * {@code madvise} and friends; otherwise through {@code FileChannel.map} without advice.
 *
 * <p>NOTE: every window costs address space and one entry of {@code vm.max_map_count}; callers keep
 * at most two windows per file mapped and unmap them promptly.
 */
public abstract class MappedFile implements Closeable {
  private final Path path;
  private final long length;
  private final long lastModifiedMillis;

  MappedFile(Path path, BasicFileAttributes attributes) {
    this.path = path;
    this.length = attributes.size();
    this.lastModifiedMillis = attributes.lastModifiedTime().toMillis();
  }

  /**
   * Opens a regular file for mapping.
   *
   * @throws NoSuchFileException if it does not exist
   * @throws IOException if it is not a regular file or cannot be opened
   */
  public static MappedFile open(Path path, MappingCounters counters) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new IOException(
          path
              + " is "
              + (attributes.isDirectory() ? "a directory" : "not a regular file")
              + ", not a FASTQ file; name the files to read, or a directory that holds them.");
    }
    return NativeLibc.AVAILABLE
        ? PosixMappedFile.openPosix(path, counters)
        : ChannelMappedFile.openChannel(path, counters);
  }

  /** The operating system's page size; mappings start at multiples of it. */
  public static int pageSize() {
    return NativeLibc.PAGE_SIZE;
  }

  /** Whether mapping goes through libc, with {@code madvise}; false in the fallback. */
  public static boolean nativeMappingAvailable() {
    return NativeLibc.AVAILABLE;
  }

  public Path path() {
    return path;
  }

  /** Length when opened. */
  public long length() {
    return length;
  }

  /** Modification time when opened, in milliseconds since the epoch. */
  public long lastModifiedMillis() {
    return lastModifiedMillis;
  }

  /** Maps file offsets {@code [start, end)}; {@code end} must not pass the file's length. */
  abstract MappedWindow map(long start, long end, MappingOptions options) throws IOException;

  abstract void unmap(MappedWindow window);

  /** Applies advice to the pages that hold {@code [from, to)} of a window; false if refused. */
  abstract boolean advise(MappedWindow window, long from, long to, int advice);

  /**
   * Whether {@link #copy} works here: positional reads through libc on Linux, where per-thread
   * fault counts let the reader choose between mapping and copying.
   */
  boolean canCopy() {
    return false;
  }

  /**
   * Copies file offsets {@code [from, to)} to native memory at {@code address}.
   *
   * @return {@code to}, or where the file ended before it (it shrank)
   * @throws IOException if reading fails
   */
  long copy(long address, long from, long to) throws IOException {
    throw new UnsupportedOperationException("copy without libc");
  }

  /** Asks the kernel to drop {@code [from, to)} from the page cache. */
  abstract void dropFromCache(long from, long to);

  static long pageFloor(long offset) {
    return offset - Math.floorMod(offset, (long) NativeLibc.PAGE_SIZE);
  }
}
