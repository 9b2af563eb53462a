package io.github.fastqmmap.parse;

import java.io.IOException;

/**
 * The file changed while it was read: a page of its mapping could no longer be read because the
 * file was truncated (or replaced by a shorter one) after it was opened. The JVM raises such a
 * fault (SIGBUS) as an {@link InternalError} from {@code Unsafe}, the cause of this exception. The
 * message names the file and what to do.
 */
public class FileChangedDuringReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  public FileChangedDuringReadException(String file, long offset, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.offset = offset;
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
