/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/** A file mapped through libc {@code mmap}, advised with {@code madvise}. */
final class PosixMappedFile extends MappedFile {
  private static final System.Logger LOG = System.getLogger(PosixMappedFile.class.getName());
  private static final AtomicBoolean LOCK_WARNED = new AtomicBoolean();
  private static final AtomicBoolean HUGE_PAGES_WARNED = new AtomicBoolean();
  private static final AtomicBoolean POPULATE_WARNED = new AtomicBoolean();
  private static final int ENOMEM = 12;
  private static final int EINTR = 4;

  private final int fd;
  private final MappingCounters counters;
  private boolean closed;

  private PosixMappedFile(Path path, BasicFileAttributes attributes, int fd, MappingCounters c) {
    super(path, attributes);
    this.fd = fd;
    this.counters = c;
  }

  static PosixMappedFile openPosix(Path path, MappingCounters counters) throws IOException {
    int fd;
    try {
      fd = LibC.open(nativePath(path), LibC.O_RDONLY);
    } catch (LastErrorException e) {
      throw new IOException(
          "Cannot open " + path + " for reading: " + NativeLibc.describe(e) + ".", e);
    }
    try {
      // Read after open, so that a file replaced in between is caught by the caller's check.
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return new PosixMappedFile(path, attributes, fd, counters);
    } catch (IOException | RuntimeException e) {
      LibC.close(fd);
      throw e;
    }
  }

  /** The path as the JDK itself encodes file names, NUL-terminated. */
  private static byte[] nativePath(Path path) {
    String encoding = System.getProperty("sun.jnu.encoding");
    Charset charset =
        encoding != null && Charset.isSupported(encoding)
            ? Charset.forName(encoding)
            : StandardCharsets.UTF_8;
    byte[] bytes = path.toAbsolutePath().toString().getBytes(charset);
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  @Override
  MappedWindow map(long start, long end, MappingOptions options) throws IOException {
    long mapOffset = pageFloor(start);
    long mapLength = end - mapOffset;
    int flags = LibC.MAP_SHARED;
    if (options.populate()) {
      if (NativeLibc.LINUX) {
        flags |= LibC.MAP_POPULATE;
      } else if (POPULATE_WARNED.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "fastq-mmap: populate=true needs Linux (MAP_POPULATE); ignored.");
      }
    }
    long t0 = System.nanoTime();
    long address;
    try {
      address = LibC.mmap(0L, mapLength, LibC.PROT_READ, flags, fd, mapOffset);
    } catch (LastErrorException e) {
      counters.mapNanos += System.nanoTime() - t0;
      throw mapFailure(start, end, mapLength, e);
    }
    counters.windowsMapped++;
    counters.bytesMapped += mapLength;
    MappedWindow window =
        new MappedWindow(address, mapLength, mapOffset, start, end, end == length(), null);
    advise(window, start, end, options.readAdvice().madviseValue());
    if (options.hugePages() && !advise(window, start, end, LibC.MADV_HUGEPAGE)) {
      counters.hugePageFailures++;
      if (HUGE_PAGES_WARNED.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "fastq-mmap: the kernel refused MADV_HUGEPAGE for a file mapping (it needs"
                + " transparent huge pages for page-cache files); reading goes on with normal"
                + " pages. The hugePageFailures metric counts refusals.");
      }
    }
    if (options.lock()) {
      lock(window);
    }
    counters.mapNanos += System.nanoTime() - t0;
    return window;
  }

  private IOException mapFailure(long start, long end, long mapLength, LastErrorException e) {
    String hint =
        e.getErrorCode() == ENOMEM
            ? " The process ran out of address space or mappings: check ulimit -v and"
                + " vm.max_map_count (/proc/sys/vm/max_map_count), or lower windowBytes."
            : " Check that the file system supports mmap; windowBytes may be lowered.";
    return new IOException(
        "mmap of "
            + mapLength
            + " bytes of "
            + path()
            + " at offset "
            + start
            + " (a window ending at "
            + end
            + ") failed: "
            + NativeLibc.describe(e)
            + "."
            + hint,
        e);
  }

  private void lock(MappedWindow window) {
    try {
      LibC.mlock(window.mapAddress, window.mapLength);
    } catch (LastErrorException e) {
      counters.lockFailures++;
      if (LOCK_WARNED.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "fastq-mmap: mlock of "
                + window.mapLength
                + " bytes refused: "
                + NativeLibc.describe(e)
                + ". Raise the locked-memory limit (ulimit -l, RLIMIT_MEMLOCK) or set lock=false;"
                + " reading goes on without locking. The lockFailures metric counts refusals.");
      }
    }
  }

  @Override
  void unmap(MappedWindow window) {
    long t0 = System.nanoTime();
    try {
      LibC.munmap(window.mapAddress, window.mapLength);
    } catch (LastErrorException e) {
      // munmap fails only on invalid arguments, which would be a bug here.
      throw new IllegalStateException("munmap failed: " + NativeLibc.describe(e), e);
    } finally {
      counters.mapNanos += System.nanoTime() - t0;
    }
  }

  @Override
  boolean advise(MappedWindow window, long from, long to, int advice) {
    long fromOffset = Math.max(pageFloor(from), window.mapOffset);
    long length = Math.min(to, window.mapOffset + window.mapLength) - fromOffset;
    if (length <= 0) {
      return true;
    }
    counters.madviseCalls++;
    try {
      LibC.madvise(window.addressOf(fromOffset), length, advice);
      return true;
    } catch (LastErrorException e) {
      counters.madviseFailures++;
      return false;
    }
  }

  @Override
  boolean canCopy() {
    return NativeLibc.LINUX;
  }

  @Override
  long copy(long address, long from, long to) throws IOException {
    long t0 = System.nanoTime();
    try {
      long at = from;
      while (at < to) {
        long n;
        try {
          n = LibC.pread(fd, address + (at - from), to - at, at);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == EINTR) {
            continue;
          }
          throw new IOException(
              "Cannot read "
                  + path()
                  + " at byte offset "
                  + at
                  + ": "
                  + NativeLibc.describe(e)
                  + ".",
              e);
        }
        if (n <= 0) {
          return at; // the file ends early: it shrank
        }
        at += n;
      }
      return at;
    } finally {
      counters.mapNanos += System.nanoTime() - t0;
    }
  }

  @Override
  void dropFromCache(long from, long to) {
    if (NativeLibc.LINUX && to > from) {
      LibC.posix_fadvise(fd, from, to - from, LibC.POSIX_FADV_DONTNEED);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LibC.close(fd);
    }
  }
}
