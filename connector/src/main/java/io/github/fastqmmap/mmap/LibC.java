/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Direct-mapped libc calls. Addresses and sizes are passed as {@code long}, so no JNA {@code
 * Pointer} is created per call. Calls that set {@code errno} throw {@link LastErrorException}.
 */
final class LibC {
  static final int PROT_READ = 0x1;
  static final int MAP_SHARED = 0x01;
  static final int MAP_POPULATE = 0x8000; // Linux only
  static final long MAP_FAILED = -1L;
  static final int O_RDONLY = 0;
  static final int MADV_HUGEPAGE = 14; // Linux only
  static final int POSIX_FADV_WILLNEED = 3;
  static final int POSIX_FADV_DONTNEED = 4;
  static final int RUSAGE_SELF = 0;
  static final int RUSAGE_THREAD = 1; // Linux only

  /** {@code struct rusage} as longs on LP64: two timevals, then maxrss, ..., minflt, majflt. */
  static final int RUSAGE_LONGS = 18;

  static final int RUSAGE_MINFLT = 8;
  static final int RUSAGE_MAJFLT = 9;

  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  static native int open(byte[] path, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
      throws LastErrorException;

  static native int munmap(long addr, long length) throws LastErrorException;

  static native int madvise(long addr, long length, int advice) throws LastErrorException;

  /** Returns an error number instead of setting errno. Not available on macOS. */
  static native int posix_fadvise(int fd, long offset, long length, int advice);

  /** Reads up to {@code count} bytes at {@code offset} to native memory at {@code buf}. */
  static native long pread(int fd, long buf, long count, long offset) throws LastErrorException;

  static native int mlock(long addr, long length) throws LastErrorException;

  static native int munlock(long addr, long length) throws LastErrorException;

  static native int getpagesize();

  static native int getrusage(int who, long[] usage) throws LastErrorException;

  static native String strerror(int errno);
}
