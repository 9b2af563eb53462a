/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.Storage;
import java.io.EOFException;
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
 * <p>The file is opened with {@link FileSystem#openFile} and its status, so that a store that would
 * ask for it again while opening (S3A, ABFS, GCS) does not, and with the sequential read policy
 * ({@value #READ_POLICY}, ignored by clients that predate it). A task opens a file with the status
 * it was planned with, asking for none (on HDFS one NameNode request per file less, which is most
 * of the cost of a small file): reads stop at the planned length, and a read that finds the file
 * shorter, or longer (a byte after the planned end), fails with "File changed since the query was
 * planned" (asking for the status then, to say what the file is now).
 */
final class HadoopInput implements Storage.Input {
  /** {@code Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY}, from Hadoop 3.3.5 on. */
  static final String READ_POLICY = "fs.option.openfile.read.policy";

  private final FSDataInputStream in;
  private final FileStatus status;
  private final FileSystem fs;
  private final String name;
  private final boolean byteBufferReads;
  private byte[] chunk;

  /** Whether a read reached the planned end and found nothing after it. */
  private boolean endChecked;

  private HadoopInput(FSDataInputStream in, FileStatus status, FileSystem fs, String name) {
    this.in = in;
    this.status = status;
    this.fs = fs;
    this.name = name;
    this.byteBufferReads = in.hasCapability(StreamCapabilities.READBYTEBUFFER);
  }

  /**
   * Opens a file and its status (length and modification time as of opening).
   *
   * @param name the file's name in errors
   * @throws java.io.FileNotFoundException if it does not exist
   */
  static HadoopInput open(FileSystem fs, Path path, String name) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    if (!status.isFile()) {
      // The client's own open says, in its words, what this is instead of a file.
      return new HadoopInput(fs.open(path), status, fs, name);
    }
    return open(fs, status, name);
  }

  /**
   * Opens a file with the status it was planned with, asking for none.
   *
   * @param name the file's name in errors
   * @throws java.io.FileNotFoundException if it does not exist
   */
  static HadoopInput open(FileSystem fs, Path path, String name, Storage.Status planned)
      throws IOException {
    FileStatus status =
        new FileStatus(planned.length(), false, 0, 0, planned.modificationTime(), path);
    return open(fs, status, name);
  }

  private static HadoopInput open(FileSystem fs, FileStatus status, String name)
      throws IOException {
    Path path = status.getPath();
    CompletableFuture<FSDataInputStream> opening =
        fs.openFile(path).withFileStatus(status).opt(READ_POLICY, "sequential").build();
    try {
      return new HadoopInput(opening.get(), status, fs, name);
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
    long length = status.getLen();
    if (position >= length) {
      return -1;
    }
    if (in.getPos() != position) {
      in.seek(position);
    }
    // Never past the planned end: the file is read as it was planned.
    int limit = dst.limit();
    if (dst.remaining() > length - position) {
      dst.limit(dst.position() + (int) (length - position));
    }
    int n;
    try {
      n = readAt(dst);
    } finally {
      dst.limit(limit);
    }
    if (n < 0) {
      throw changed(position); // ended before the planned length
    }
    if (position + n == length && !endChecked) {
      // At the planned end the stream must end too (no request: clients know the length they
      // opened, HDFS from the block list, a store from the status handed to it).
      if (in.read() >= 0) {
        throw changed(length + 1);
      }
      endChecked = true;
    }
    return n;
  }

  private int readAt(ByteBuffer dst) throws IOException {
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

  /**
   * The error for a file found not to have its planned length while reading at {@code offset}: the
   * file as it is now, from its status (asked for only now, as something is wrong).
   */
  private IOException changed(long offset) throws IOException {
    Storage.Status planned = status();
    FileStatus now = fs.getFileStatus(status.getPath());
    if (now.getLen() == planned.length()
        && now.getModificationTime() == planned.modificationTime()) {
      // The status still says what was planned while the stream read otherwise (a file being
      // written: the stream sees bytes its status does not count yet).
      return new EOFException(
          "The stream of "
              + name
              + " does not end at byte offset "
              + planned.length()
              + " as its status says (it ended or went on at "
              + offset
              + "); was it being written while the query read it?");
    }
    return Storage.changedSincePlanned(
        name, planned, new Storage.Status(now.getLen(), now.getModificationTime(), now.isFile()));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
