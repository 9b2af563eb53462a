/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files served under the scheme {@code otherfs:}, so that the reader treats them as a
 * non-local Hadoop file system (positional reads, no mapping) without a cluster. Enable it with the
 * read option {@code fs.otherfs.impl} set to this class. HDFS itself is tested in integration-tests
 * (MiniDFSCluster).
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "otherfs";

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }
}
