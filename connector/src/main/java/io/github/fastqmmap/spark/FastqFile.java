package io.github.fastqmmap.spark;

import java.io.Serializable;
import java.util.List;

/** A file found at planning time: where it is, how long, when modified, which hosts hold it. */
final class FastqFile implements Serializable {
  private static final long serialVersionUID = 1L;

  final String uri;
  final long length;
  final long modificationTime;
  final List<Block> blocks;

  FastqFile(String uri, long length, long modificationTime, List<Block> blocks) {
    this.uri = uri;
    this.length = length;
    this.modificationTime = modificationTime;
    this.blocks = blocks;
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
    return uri + " (" + length + " bytes)";
  }
}
