/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.impl.OpenFileParameters;

/**
 * Local files under the scheme {@code countfs:} (enable with the read option {@code
 * fs.countfs.impl} set to this class) that records how they are opened: every {@code openFile} with
 * the status and read policy it was given, and every status asked for (those a task asks for
 * outside an open apart: on HDFS each is a request to the NameNode). Static, as Spark's tasks reach
 * their own instance through the Hadoop configuration.
 */
public final class CountingFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "countfs";

  /**
   * One {@code openFile}: what it opened, the status it was handed (or null), its read policy, and
   * whether a Spark task opened it (else the driver).
   */
  public record OpenFile(String name, FileStatus status, String readPolicy, boolean task) {}

  public static final List<OpenFile> OPEN_FILES = new CopyOnWriteArrayList<>();
  public static final AtomicInteger STATUS_CALLS = new AtomicInteger();

  /** {@code getFileStatus} calls of Spark tasks, apart from those an open makes itself. */
  public static final AtomicInteger TASK_STATUS_CALLS = new AtomicInteger();

  /** Whether this thread is inside an open (whose own status call the local file system makes). */
  private static final ThreadLocal<Boolean> OPENING = ThreadLocal.withInitial(() -> false);

  /** Forgets what was recorded. */
  public static void reset() {
    OPEN_FILES.clear();
    STATUS_CALLS.set(0);
    TASK_STATUS_CALLS.set(0);
  }

  /** Whether the current thread runs a Spark task (in local mode, an executor thread). */
  private static boolean inTask() {
    return Thread.currentThread().getName().startsWith("Executor task launch worker");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    STATUS_CALLS.incrementAndGet();
    if (inTask() && !OPENING.get()) {
      TASK_STATUS_CALLS.incrementAndGet();
    }
    return super.getFileStatus(f);
  }

  @Override
  protected CompletableFuture<FSDataInputStream> openFileWithOptions(
      Path path, OpenFileParameters parameters) throws IOException {
    OPEN_FILES.add(
        new OpenFile(
            path.getName(),
            parameters.getStatus(),
            parameters.getOptions().get("fs.option.openfile.read.policy"),
            inTask()));
    OPENING.set(true);
    try {
      return super.openFileWithOptions(path, parameters);
    } finally {
      OPENING.set(false);
    }
  }
}
