/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.stream.Compression;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * A file to read, as inspected once before reading: its name in its {@link Storage}, length and
 * modification time (a reader checks that the file it opens still has them), what its first bytes
 * say it holds, and, for BGZF, its {@code .gzi} index if there is a usable one.
 *
 * <p>A file can also be listed without being inspected ({@link #uninspected}): planning then knows
 * only its status, and the reader that opens it tells its format from the first bytes of the input
 * it then reads the range through ({@link RangeOpener#open}). Planning gives such a file one range,
 * which any format can be read as.
 *
 * @param compression what the file holds, or null when it was not inspected yet
 * @param indexName the name of a BGZF file's {@code .gzi} index, not older than the file; or null
 */
public record InputFile(
    String name, long length, long modificationTime, Compression compression, String indexName)
    implements Serializable {

  /** A plain file, as planned without looking at its bytes. */
  public static InputFile plain(String name, long length, long modificationTime) {
    return new InputFile(name, length, modificationTime, Compression.NONE, null);
  }

  /**
   * A file known from a listing only: its format is told when a reader opens it, so planning
   * thousands of small files reads none of them.
   */
  public static InputFile uninspected(String name, long length, long modificationTime) {
    return new InputFile(name, length, modificationTime, null, null);
  }

  /** Whether the file's first bytes were read (its compression is known). */
  public boolean isInspected() {
    return compression != null;
  }

  /** This file if inspected, else this file inspected now (its listed status kept). */
  public InputFile inspected(Storage storage) {
    return isInspected() ? this : inspect(storage, name, length, modificationTime);
  }

  /** Inspects a file: its status, then its first bytes and index. */
  public static InputFile inspect(Storage storage, String name) throws IOException {
    Storage.Status status = storage.status(name);
    if (!status.regularFile()) {
      // Not a file to read: the reader that opens it says so, in its own words.
      return plain(name, status.length(), status.modificationTime());
    }
    return inspect(storage, name, status.length(), status.modificationTime());
  }

  /**
   * Inspects a regular file whose status is known (from a listing): reads its first bytes (one
   * small read) and, for BGZF, looks for an index. Names do not decide: a {@code .fastq} holding
   * gzip is read as gzip, and a {@code .gz} holding BGZF is split.
   */
  public static InputFile inspect(
      Storage storage, String name, long length, long modificationTime) {
    Compression compression = detect(storage, name, length, modificationTime);
    String index = compression == Compression.BGZF ? index(storage, name, modificationTime) : null;
    return new InputFile(name, length, modificationTime, compression, index);
  }

  private static Compression detect(
      Storage storage, String name, long length, long modificationTime) {
    int n = (int) Math.min(Compression.HEAD_BYTES, length);
    if (n <= 0) {
      return Compression.NONE;
    }
    ByteBuffer head = ByteBuffer.allocate(n);
    try (Storage.Input in =
        storage.open(name, new Storage.Status(length, modificationTime, true))) {
      in.readFully(0, head);
    } catch (IOException e) {
      // Unreadable now (permissions, a race): the reader that opens it reports the error, and
      // honours ignoreCorruptFiles, as for any file.
      return Compression.NONE;
    }
    return Compression.detect(head.array(), n);
  }

  /**
   * The name of the file's {@code .gzi} index if there is one that is not older than the file (an
   * older one may describe an earlier version of it); blocks are otherwise found by their headers.
   */
  static String index(Storage storage, String name, long modificationTime) {
    String gzi = name + BgzfIndex.SUFFIX;
    try {
      Storage.Status s = storage.status(gzi);
      if (s.regularFile() && s.modificationTime() >= modificationTime) {
        return gzi;
      }
    } catch (IOException e) {
      // no (readable) index
    }
    return null;
  }

  @Override
  public String toString() {
    return name
        + " ("
        + length
        + " bytes"
        + (compression == null || compression == Compression.NONE ? "" : ", " + compression.label())
        + ")";
  }
}
