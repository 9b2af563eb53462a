/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files under the scheme {@code failfs:} (enable with the read option {@code fs.failfs.impl}
 * set to this class) whose {@code open} throws a {@link RuntimeException} for names containing
 * {@link #failing}, once a test sets it: a file system client failing in an unchecked way while a
 * task opens a file.
 */
public final class FailingFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failfs";

  /** Opens of paths whose name contains this fail; null for none. */
  public static volatile String failing;

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    String fragment = failing;
    if (fragment != null && f.getName().contains(fragment)) {
      throw new IllegalStateException("simulated failure opening " + f.getName());
    }
    return super.open(f, bufferSize);
  }
}
