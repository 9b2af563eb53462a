/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.IOException;

/**
 * The file changed while it was read: a page of its mapping could no longer be read because the
 * file was truncated (or replaced by a shorter one) after it was opened. The message names the file
 * and what to do.
 *
 * <p>The JVM raises such a fault (SIGBUS) as an {@link InternalError} from {@code Unsafe}. That
 * error is attached as a suppressed exception, deliberately not as the cause: Spark's executors
 * treat a {@link VirtualMachineError} anywhere in a failed task's cause chain as fatal and exit the
 * JVM, and this failure is not fatal.
 */
public class FileChangedDuringReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  /**
   * @param fault the JVM's error for the fault, kept as a suppressed exception; may be null
   */
  public FileChangedDuringReadException(String file, long offset, String message, Throwable fault) {
    super(message);
    this.file = file;
    this.offset = offset;
    if (fault != null) {
      addSuppressed(fault);
    }
  }

  /**
   * The exception for a fault, whatever reported it first: the JVM's error is kept as a suppressed
   * exception (never as the cause, see the class comment); an earlier report of the same change (a
   * reader's own {@code FileChangedDuringReadException}) gives its fault and offset, not a second
   * message; any other exception (what a fault's garbage made a parser say) is the cause.
   *
   * @param offset where the reader was, unless the earlier report knows better
   */
  public static FileChangedDuringReadException of(
      String file, long offset, String message, Throwable fault) {
    if (fault instanceof FileChangedDuringReadException earlier) {
      FileChangedDuringReadException e =
          new FileChangedDuringReadException(file, earlier.offset(), message, null);
      for (Throwable s : earlier.getSuppressed()) {
        e.addSuppressed(s);
      }
      return e;
    }
    if (fault instanceof Error) {
      return new FileChangedDuringReadException(file, offset, message, fault);
    }
    FileChangedDuringReadException e =
        new FileChangedDuringReadException(file, offset, message, null);
    e.initCause(fault);
    return e;
  }

  /** The file, as the reader names it. */
  public String file() {
    return file;
  }

  /** About where the reader was in the file when the fault happened. */
  public long offset() {
    return offset;
  }
}
