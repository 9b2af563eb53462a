/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * A file of any Hadoop {@link FileSystem} (HDFS, S3A, ...) read by position: straight into native
 * memory where the stream supports positional reads into byte buffers (HDFS does), else through a
 * small array.
 */
final class HadoopInput implements Storage.Input {
  private final FSDataInputStream in;
  private final FileStatus status;
  private final boolean byteBufferReads;
  private byte[] chunk;

  private HadoopInput(FSDataInputStream in, FileStatus status) {
    this.in = in;
    this.status = status;
    this.byteBufferReads = in.hasCapability(StreamCapabilities.PREADBYTEBUFFER);
  }

  /**
   * Opens a file and its status (length and modification time as of opening).
   *
   * @throws java.io.FileNotFoundException if it does not exist
   */
  static HadoopInput open(FileSystem fs, Path path) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    return new HadoopInput(fs.open(path), status);
  }

  @Override
  public Storage.Status status() {
    return new Storage.Status(status.getLen(), status.getModificationTime(), status.isFile());
  }

  @Override
  public long length() {
    return status.getLen();
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (position >= status.getLen()) {
      return -1;
    }
    if (byteBufferReads && dst.isDirect()) {
      return in.read(position, dst);
    }
    if (chunk == null) {
      chunk = new byte[1 << 20];
    }
    int n = in.read(position, chunk, 0, Math.min(chunk.length, dst.remaining()));
    if (n > 0) {
      dst.put(chunk, 0, n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
