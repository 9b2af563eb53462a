/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.parse.NativeMemory;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs code with a fault on a mapped page that HotSpot has noted and not raised yet, as
 * JIT-compiled parsing leaves it when a file shrinks under its mapping: a load compiled by the JIT
 * reads a page of a mapping whose file was truncated. Each attempt maps a file of its own, so that
 * what the code under test holds is not touched.
 *
 * <p>The interpreter raises a pending fault at any call into the VM, which includes resolving a
 * call site the first time it runs. So a test calls {@link #run} twice with the same code: once
 * without a fault, which resolves every call site on the way, then with one.
 */
public final class LateFaults {
  private static final int PAGES = 4;
  private static final int PAGE = 4096;
  private static final int WARM_UP_LOADS = 300_000;

  /**
   * Attempts (about a millisecond each) before giving up. Twenty were once not enough on Java 25 in
   * a long Surefire run on the AMD EPYC host (2026-12-06), where a standalone JVM left a fault
   * pending in 15 calls of 15 (each within its 20 attempts).
   */
  private static final int ATTEMPTS = 200;

  /** Keeps the loads from being removed as unused. */
  @SuppressWarnings("unused")
  private static volatile int sink;

  /** What runs with the fault pending. */
  public interface Action {
    void run() throws Exception;
  }

  private LateFaults() {}

  /** One load from native memory, compiled by the JIT once warmed up. */
  private static int load(long address) {
    return NativeMemory.getByte(address);
  }

  /**
   * Runs {@code action} right after a compiled load faulted on a truncated mapping and left its
   * error pending ({@code fault}), or after the same steps on an intact mapping (not {@code
   * fault}). Attempts where HotSpot raised the error at the load (before the JIT had compiled it)
   * are retried.
   *
   * @return what {@code action} threw, or null
   * @throws org.opentest4j.TestAbortedException if no attempt left a fault pending: the test is
   *     skipped with that reason, since what it checks cannot be set up in this JVM
   */
  public static Throwable run(Path dir, boolean fault, Action action) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Path file = dir.resolve("late-fault-" + fault + "-" + attempt + ".bin");
      Files.write(file, new byte[PAGES * PAGE]);
      MappedByteBuffer buffer;
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, PAGES * PAGE);
        long address = NativeMemory.addressOf(buffer);
        int s = 0;
        for (int i = 0; i < WARM_UP_LOADS; i++) {
          s += load(address + (i & (PAGES * PAGE - 1)));
        }
        sink = s;
        if (fault) {
          channel.truncate(0);
        }
      }
      // The mapping outlives the channel; it goes with the buffer, at garbage collection.
      long page = NativeMemory.addressOf(buffer) + PAGE;
      try {
        sink = load(page);
      } catch (InternalError raisedAtLoad) {
        continue;
      }
      try {
        action.run();
        return null;
      } catch (Exception | Error e) {
        return e;
      }
    }
    return Assumptions.abort(
        "no compiled load left its fault pending in " + ATTEMPTS + " attempts (only interpreted?)");
  }
}
