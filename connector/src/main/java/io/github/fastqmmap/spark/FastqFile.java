/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.stream.Compression;
import java.io.Serializable;
import java.util.List;

/** A file found at planning time: where it is, how long, when modified, which hosts hold it. */
final class FastqFile implements Serializable {
  private static final long serialVersionUID = 1L;

  final String uri;
  final long length;
  final long modificationTime;
  final List<Block> blocks;

  /** What the file's first bytes say it holds. */
  final Compression compression;

  /** URI of a BGZF file's {@code .gzi} index (not older than the file), or null. */
  final String indexUri;

  FastqFile(String uri, long length, long modificationTime, List<Block> blocks) {
    this(uri, length, modificationTime, blocks, Compression.NONE, null);
  }

  FastqFile(
      String uri,
      long length,
      long modificationTime,
      List<Block> blocks,
      Compression compression,
      String indexUri) {
    this.uri = uri;
    this.length = length;
    this.modificationTime = modificationTime;
    this.blocks = blocks;
    this.compression = compression;
    this.indexUri = indexUri;
  }

  /** Whether the file is on the local file system, where plain files are mapped. */
  boolean isLocal() {
    return uri.startsWith("file:");
  }

  /** A file-system block and the hosts that store it. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final long offset;
    final long length;
    final String[] hosts;

    Block(long offset, long length, String[] hosts) {
      this.offset = offset;
      this.length = length;
      this.hosts = hosts;
    }
  }

  @Override
  public String toString() {
    return uri
        + " ("
        + length
        + " bytes"
        + (compression == Compression.NONE ? "" : ", " + compression.label())
        + ")";
  }
}
