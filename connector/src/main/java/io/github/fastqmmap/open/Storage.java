/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.stream.RandomAccessInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where files live, for {@link InputFile#inspect} and {@link RangeOpener}: a file is known by a
 * name (a path for {@link LocalStorage}, a URI for the Spark data source's Hadoop storage), and
 * storage tells its status, opens it for positional reads, and says whether it is a local file that
 * can be memory-mapped.
 */
public interface Storage {
  /** A file's length and modification time (milliseconds since the epoch). */
  record Status(long length, long modificationTime, boolean regularFile) {}

  /** A file opened for positional reads, with its status as of opening. */
  interface Input extends RandomAccessInput {
    Status status();
  }

  /**
   * The status of a file.
   *
   * @throws java.nio.file.NoSuchFileException or {@link java.io.FileNotFoundException} if there is
   *     none
   */
  Status status(String name) throws IOException;

  /**
   * Opens a file for positional reads.
   *
   * @throws java.nio.file.NoSuchFileException or {@link java.io.FileNotFoundException} if there is
   *     none
   */
  Input open(String name) throws IOException;

  /**
   * Opens a file whose status is known (from the listing that planned it), for positional reads.
   * Storage that would ask for the status again (a request to a NameNode or an object store) takes
   * this one instead, and the input then checks what it reads against it: a read that ends before
   * {@code planned}'s length, or finds bytes after it, fails with {@link #changedSincePlanned}. The
   * default asks for the status, as {@link #open(String)} does (free on local disks).
   *
   * @throws java.nio.file.NoSuchFileException or {@link java.io.FileNotFoundException} if there is
   *     none
   */
  default Input open(String name, Status planned) throws IOException {
    return open(name);
  }

  /**
   * The error of a reader that finds a file other than planned: not the length or modification time
   * it had when the query was planned.
   */
  static IOException changedSincePlanned(String name, Status planned, Status now) {
    return new IOException(
        "File changed since the query was planned: "
            + name
            + " was "
            + planned.length()
            + " bytes, modified "
            + Instant.ofEpochMilli(planned.modificationTime())
            + ", and is now "
            + now.length()
            + " bytes, modified "
            + Instant.ofEpochMilli(now.modificationTime())
            + ". Load the DataFrame again to read the file as it is now.");
  }

  /** The local file behind a name, which can be memory-mapped; null when the file is elsewhere. */
  Path localPath(String name) throws IOException;

  /**
   * A stream of the bzip2-compressed file {@code name}, decompressed. Without a codec (the default)
   * this fails with a message saying what to do.
   *
   * @param compressed the file's bytes from its start; closed with the returned stream
   */
  default InputStream bzip2(InputStream compressed, String name) throws IOException {
    compressed.close();
    throw new FastqParseException(
        name,
        0,
        "Cannot read "
            + name
            + " here: it is bzip2-compressed, which the Spark data source reads through"
            + " Hadoop's codec. Without Spark, pass a decompressing stream to"
            + " FastqFiles.open(InputStream, ...).");
  }
}
