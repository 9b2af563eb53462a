/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * A file of any Hadoop {@link FileSystem} (HDFS, S3A, ...), read by position through one stream
 * that reads on from where the last read ended: readers read a file forward, and a stream that goes
 * on keeps its connection (HDFS's block reader, S3A's GET) where a positional read would set one up
 * per call. Reads go straight into native memory where the stream reads into byte buffers (HDFS
 * does), else through a small array.
 *
 * <p>The file is opened with {@link FileSystem#openFile} and the status just asked for, so that a
 * store that would ask for it again while opening (S3A, ABFS, GCS) does not, and with the
 * sequential read policy ({@value #READ_POLICY}, ignored by clients that predate it).
 */
final class HadoopInput implements Storage.Input {
  /** {@code Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY}, from Hadoop 3.3.5 on. */
  static final String READ_POLICY = "fs.option.openfile.read.policy";

  private final FSDataInputStream in;
  private final FileStatus status;
  private final boolean byteBufferReads;
  private byte[] chunk;

  private HadoopInput(FSDataInputStream in, FileStatus status) {
    this.in = in;
    this.status = status;
    this.byteBufferReads = in.hasCapability(StreamCapabilities.READBYTEBUFFER);
  }

  /**
   * Opens a file and its status (length and modification time as of opening).
   *
   * @throws java.io.FileNotFoundException if it does not exist
   */
  static HadoopInput open(FileSystem fs, Path path) throws IOException {
    // The status the reader checks against the plan: asked for once, here, and handed to the open.
    FileStatus status = fs.getFileStatus(path);
    if (!status.isFile()) {
      // The client's own open says, in its words, what this is instead of a file.
      return new HadoopInput(fs.open(path), status);
    }
    CompletableFuture<FSDataInputStream> opening =
        fs.openFile(status.getPath()).withFileStatus(status).opt(READ_POLICY, "sequential").build();
    try {
      return new HadoopInput(opening.get(), status);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while opening " + path);
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException("opening " + path + " failed", cause);
    }
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
    if (in.getPos() != position) {
      in.seek(position);
    }
    if (byteBufferReads && dst.isDirect()) {
      return in.read(dst);
    }
    if (dst.hasArray()) {
      int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    if (chunk == null) {
      chunk = new byte[1 << 20];
    }
    int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
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
