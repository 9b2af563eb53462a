/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.lang.System.Logger.Level;

/**
 * Whether the libc binding could be loaded, checked once per JVM. When it cannot (no JNA native
 * part for this platform, no writable {@code jna.tmpdir}), mapping falls back to {@code
 * FileChannel.map} and one warning says why.
 */
final class NativeLibc {
  private static final System.Logger LOG = System.getLogger(NativeLibc.class.getName());

  static final boolean LINUX;
  static final boolean AVAILABLE;
  static final String UNAVAILABLE_REASON;
  static final int PAGE_SIZE;

  static {
    boolean available = false;
    String reason = null;
    boolean linux = false;
    int pageSize = 4096;
    try {
      linux = Platform.isLinux();
      if (!Platform.is64Bit() || !(linux || Platform.isMac())) {
        reason = "only 64-bit Linux and macOS are mapped through libc";
      } else {
        pageSize = LibC.getpagesize();
        available = true;
      }
    } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, SecurityException
      reason = e.toString();
    }
    LINUX = linux;
    AVAILABLE = available && !Boolean.getBoolean("fastqmmap.disableNativeMapping");
    UNAVAILABLE_REASON =
        available && !AVAILABLE ? "disabled by -Dfastqmmap.disableNativeMapping=true" : reason;
    PAGE_SIZE = pageSize;
    if (!AVAILABLE) {
      LOG.log(
          Level.WARNING,
          "fastq-mmap: libc mapping through JNA is unavailable ("
              + UNAVAILABLE_REASON
              + "); falling back to FileChannel.map without madvise."
              + (available
                  ? ""
                  : " Check that JNA can unpack its native library (set -Djna.tmpdir to a"
                      + " writable directory)."));
    }
  }

  private NativeLibc() {}

  /** The text of an errno value, for example {@code "[12] Cannot allocate memory"}. */
  static String describe(LastErrorException e) {
    int errno = e.getErrorCode();
    String text;
    try {
      text = LibC.strerror(errno);
    } catch (Throwable ignored) {
      text = e.getMessage();
    }
    return "errno " + errno + " (" + text + ")";
  }
}
