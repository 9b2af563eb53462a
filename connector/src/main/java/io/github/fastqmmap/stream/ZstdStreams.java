/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.parse.FastqParseException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * Zstandard streams through zstd-jni ({@code com.github.luben:zstd-jni}), the library Spark itself
 * ships for its own zstd codec: the connector adds no jar of its own for zstd. Code outside Spark
 * must put zstd-jni on its class path to read or write zstd; without it, these methods fail with a
 * message that says so. The calls into zstd-jni live in {@link ZstdJni}, which is loaded only after
 * the library was found.
 */
public final class ZstdStreams {
  /** The zstd command's default level. */
  public static final int DEFAULT_LEVEL = 3;

  private static final String PROBE = "com.github.luben.zstd.ZstdInputStreamNoFinalizer";

  private ZstdStreams() {}

  /** Whether zstd-jni is on the class path. */
  public static boolean available() {
    try {
      Class.forName(PROBE, false, ZstdStreams.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void requireLibrary(String name, String what) throws FastqParseException {
    if (!available()) {
      throw new FastqParseException(
          name,
          0,
          "Cannot "
              + what
              + " "
              + name
              + ": zstd needs zstd-jni (com.github.luben:zstd-jni, part of every Spark"
              + " installation) on the class path, and it is not there.");
    }
  }

  /**
   * The decompressed bytes of a zstd file: every frame in turn (files joined with {@code cat} read
   * as one, as {@code zstd -d} reads them; skippable frames are skipped), each frame's checksum
   * checked when it has one. Damage and truncation fail with "Corrupt zstd file NAME ..." naming
   * the compressed offset reached.
   *
   * @param compressed the file's bytes from its start; closed with the returned stream
   * @param position how many bytes of {@code compressed} have been read, for messages
   */
  public static InputStream decompress(InputStream compressed, String name, LongSupplier position)
      throws IOException {
    try {
      requireLibrary(name, "read");
    } catch (FastqParseException e) {
      compressed.close();
      throw e;
    }
    return new Checked(ZstdJni.decompress(compressed), name, position);
  }

  /**
   * A stream that compresses into {@code out} as one zstd frame with a content checksum (as the
   * {@code zstd} command writes), and closes {@code out} when closed.
   */
  public static OutputStream compress(OutputStream out, int level, String name) throws IOException {
    try {
      requireLibrary(name, "write");
      return ZstdJni.compress(out, level);
    } catch (IOException | RuntimeException e) {
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Names the file and offset in zstd-jni's errors, which name neither. */
  private static final class Checked extends FilterInputStream {
    private final String name;
    private final LongSupplier position;

    Checked(InputStream in, String name, LongSupplier position) {
      super(in);
      this.name = name;
      this.position = position;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    private FastqParseException corrupt(IOException e) {
      if (e instanceof FastqParseException p) {
        return p;
      }
      long at = position.getAsLong();
      FastqParseException failure =
          new FastqParseException(
              name,
              at,
              "Corrupt zstd file "
                  + name
                  + " (damaged or truncated) at or before compressed byte offset "
                  + at
                  + ": "
                  + e.getMessage()
                  + ". Check it with zstd -t.");
      failure.initCause(e);
      return failure;
    }
  }
}
