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
 * the status and read policy it was given, and every status asked for. Static, as Spark's tasks
 * reach their own instance through the Hadoop configuration.
 */
public final class CountingFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "countfs";

  /** One {@code openFile}: what it opened, the status it was handed (or null), its read policy. */
  public record OpenFile(String name, FileStatus status, String readPolicy) {}

  public static final List<OpenFile> OPEN_FILES = new CopyOnWriteArrayList<>();
  public static final AtomicInteger STATUS_CALLS = new AtomicInteger();

  /** Forgets what was recorded. */
  public static void reset() {
    OPEN_FILES.clear();
    STATUS_CALLS.set(0);
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
    return super.getFileStatus(f);
  }

  @Override
  protected CompletableFuture<FSDataInputStream> openFileWithOptions(
      Path path, OpenFileParameters parameters) throws IOException {
    OPEN_FILES.add(
        new OpenFile(
            path.getName(),
            parameters.getStatus(),
            parameters.getOptions().get("fs.option.openfile.read.policy")));
    return super.openFileWithOptions(path, parameters);
  }
}
