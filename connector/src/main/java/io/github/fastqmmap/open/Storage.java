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
