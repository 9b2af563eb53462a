/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * Makes HotSpot raise now the error of a fault on a mapped page that it has noted but not raised
 * yet.
 *
 * <p>In JIT-compiled code HotSpot skips a faulting load (SIGBUS: the file shrank under its mapping)
 * and raises the {@code InternalError} later, when the thread returns to Java from a call into the
 * VM's runtime (a safepoint, or an allocation the compiled code cannot make itself). A native call
 * is not such a point on JDK 17, so unmapping could not be trusted to take it: an error raised in
 * the middle of closing could skip the unmapping of a window. Closing code calls {@link #take()}
 * first and finishes closing before it reports the error.
 *
 * <p>The runtime call used is the allocation of a two-dimensional array whose length the compiler
 * cannot know: the interpreter, C1 and C2 all allocate it in the runtime (measured on JDK 17 and
 * 25; a one-dimensional array is allocated inline and is not such a point). It costs about 20 ns.
 */
public final class PendingFault {
  /** Read as volatile so that no compiler can know the length and allocate inline. */
  private static volatile int rows;

  /** Keeps the allocation from being removed as unused; races on it are harmless. */
  @SuppressWarnings("unused")
  private static Object sink;

  private PendingFault() {}

  /**
   * Raises a pending fault's error, if the thread has one.
   *
   * @throws InternalError the JVM's error for a fault on a mapped page noted earlier
   */
  public static void raise() {
    sink = new byte[rows][0];
  }

  /** The pending fault's error, raised and caught here, or null when the thread has none. */
  public static InternalError take() {
    try {
      raise();
      return null;
    } catch (InternalError e) {
      return e;
    }
  }
}
