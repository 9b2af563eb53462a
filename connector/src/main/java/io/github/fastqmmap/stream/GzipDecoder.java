/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.codec.StreamInflater;
import io.github.fastqmmap.parse.FastqParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/**
 * Decompresses a gzip file (RFC 1952), member after member as {@code gzip -d} does, straight into
 * the reader's native buffer. Every member's CRC-32 and length are checked. Errors name the file
 * and the compressed byte offset: a damaged deflate stream, a file cut short, a CRC mismatch, data
 * after the last member that is neither gzip nor zero padding.
 *
 * <p>Members inflate through ISA-L when it is present (see {@link StreamInflater}), else through
 * the JDK's zlib. Damaged deflate data is inflated again by the JDK from the member's start, so
 * that the message carries zlib's words either way.
 */
final class GzipDecoder implements Decoder {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private enum State {
    HEADER,
    BODY,
    TRAILER,
    DONE
  }

  private final String name;
  private final CompressedReader in;
  private final RandomAccessInput input;
  private final StreamInflater inflater;
  private final CRC32 crc = new CRC32();
  private State state = State.HEADER;
  private long members;
  private long memberStart;
  private long memberDataStart;
  private long memberBytes;
  private long produced;

  /**
   * @param input the compressed file; closed with this decoder
   * @param name how messages name the file
   */
  GzipDecoder(RandomAccessInput input, String name) {
    this(input, name, new CodecCounters());
  }

  /**
   * @param input the compressed file; closed with this decoder
   * @param name how messages name the file
   * @param counters where the bytes inflated natively and by the JDK are counted
   */
  GzipDecoder(RandomAccessInput input, String name, CodecCounters counters) {
    this.name = name;
    this.input = input;
    this.inflater = StreamInflater.create(counters);
    this.in = new CompressedReader(input, 0, CompressedReader.DEFAULT_CHUNK);
  }

  @Override
  public int decode(ByteBuffer dst) throws IOException {
    while (true) {
      switch (state) {
        case HEADER:
          if (!readHeader()) {
            state = State.DONE;
            return -1;
          }
          break;
        case BODY:
          int n = inflate(dst);
          if (n != 0 || !dst.hasRemaining()) {
            return n;
          }
          break;
        case TRAILER:
          readTrailer();
          break;
        default:
          return -1;
      }
    }
  }

  /** Reads a member header; false at the end of the file (or of zero padding after a member). */
  private boolean readHeader() throws IOException {
    if (in.atEnd()) {
      if (members == 0) {
        throw error(0, "the file is empty, not gzip");
      }
      return false;
    }
    long at = in.position();
    if (!in.ensure(2) || in.get(0) != 0x1F || in.get(1) != 0x8B) {
      if (members > 0 && onlyZerosRemain()) {
        return false;
      }
      throw error(
          at,
          members == 0
              ? "the file does not start with the gzip magic number 1f 8b"
              : "after "
                  + members
                  + " complete gzip member(s) the file goes on with data that is not gzip"
                  + " (trailing garbage, or a damaged member header)");
    }
    if (!in.ensure(10)) {
      throw truncated("inside a gzip member header");
    }
    if (in.get(2) != 8) {
      throw error(at, "gzip compression method " + in.get(2) + " is not deflate (8)");
    }
    int flags = in.get(3);
    if ((flags & 0xE0) != 0) {
      throw error(at, "reserved gzip header flags are set (" + flags + "): not a gzip header");
    }
    int k = 10;
    if ((flags & FEXTRA) != 0) {
      if (!in.ensure(k + 2)) {
        throw truncated("inside a gzip member header");
      }
      k += 2 + in.getShortLE(k);
      if (!in.ensure(k)) {
        throw truncated("inside a gzip member header");
      }
    }
    if ((flags & FNAME) != 0) {
      k = skipZeroTerminated(k);
    }
    if ((flags & FCOMMENT) != 0) {
      k = skipZeroTerminated(k);
    }
    if ((flags & FHCRC) != 0) {
      k += 2;
      if (!in.ensure(k)) {
        throw truncated("inside a gzip member header");
      }
    }
    in.skip(k);
    memberStart = at;
    memberDataStart = at + k;
    memberBytes = 0;
    inflater.reset();
    crc.reset();
    state = State.BODY;
    return true;
  }

  private int skipZeroTerminated(int from) throws IOException {
    int k = from;
    while (true) {
      if (!in.ensure(k + 1)) {
        throw truncated("inside a gzip member header");
      }
      if (in.get(k++) == 0) {
        return k;
      }
    }
  }

  private boolean onlyZerosRemain() throws IOException {
    while (in.ensure(1)) {
      ByteBuffer b = in.buffer();
      while (b.hasRemaining()) {
        if (b.get() != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private int inflate(ByteBuffer dst) throws IOException {
    if (!in.buffer().hasRemaining() && !in.ensure(1)) {
      throw truncated("inside the compressed data of the member");
    }
    int before = dst.position();
    int n;
    try {
      n = inflater.inflate(in.buffer(), dst); // advances both buffers' positions
    } catch (DataFormatException e) {
      throw damaged(e);
    }
    if (n > 0) {
      ByteBuffer written = dst.duplicate();
      written.limit(before + n);
      written.position(before);
      crc.update(written);
      memberBytes += n;
      produced += n;
    }
    if (inflater.finished()) {
      state = State.TRAILER;
    } else if (inflater.needsDictionary()) {
      throw error(in.position(), "the deflate stream asks for a preset dictionary");
    }
    return n;
  }

  /**
   * The error for damaged deflate data. What ISA-L rejects is inflated again by the JDK from the
   * member's start, so the message gives zlib's words and the compressed offset where zlib stopped,
   * as without ISA-L.
   */
  private FastqParseException damaged(DataFormatException e) throws IOException {
    if (!inflater.isNative()) {
      return damagedAt(in.position(), e.getMessage());
    }
    RandomAccessInput unclosed =
        new RandomAccessInput() {
          @Override
          public long length() {
            return input.length();
          }

          @Override
          public int read(long position, ByteBuffer dst) throws IOException {
            return input.read(position, dst);
          }

          @Override
          public void close() {}
        };
    try (CompressedReader replay =
            new CompressedReader(unclosed, memberDataStart, CompressedReader.DEFAULT_CHUNK);
        StreamInflater zlib = StreamInflater.jdk(new CodecCounters())) {
      ByteBuffer sink = ByteBuffer.allocateDirect(Decoder.STEP_BYTES);
      while (!zlib.finished() && (replay.buffer().hasRemaining() || replay.ensure(1))) {
        sink.clear();
        try {
          zlib.inflate(replay.buffer(), sink);
        } catch (DataFormatException jdk) {
          return damagedAt(replay.position(), jdk.getMessage());
        }
      }
    }
    return damagedAt(in.position(), e.getMessage()); // zlib accepted what ISA-L did not
  }

  private FastqParseException damagedAt(long at, String detail) {
    return error(
        at,
        "the compressed data is damaged ("
            + detail
            + ") in the gzip member that starts at compressed byte offset "
            + memberStart);
  }

  private void readTrailer() throws IOException {
    long at = in.position();
    if (!in.ensure(8)) {
      throw truncated("inside the 8-byte trailer of the member");
    }
    long storedCrc = in.getIntLE(0);
    long storedSize = in.getIntLE(4);
    in.skip(8);
    if (storedCrc != crc.getValue()) {
      throw error(
          at,
          String.format(
              Locale.ROOT,
              "CRC-32 mismatch in the gzip member that starts at compressed byte offset %d:"
                  + " stored %08x, computed %08x over its %d uncompressed bytes (damaged data)",
              memberStart,
              storedCrc,
              crc.getValue(),
              memberBytes));
    }
    if (storedSize != (memberBytes & 0xFFFFFFFFL)) {
      throw error(
          at,
          "the gzip member that starts at compressed byte offset "
              + memberStart
              + " holds "
              + memberBytes
              + " uncompressed bytes but its trailer says "
              + storedSize
              + " (mod 2^32)");
    }
    members++;
    state = State.HEADER;
  }

  private FastqParseException truncated(String where) {
    long end = in.input().length();
    return new FastqParseException(
        name,
        end,
        "Truncated gzip file "
            + name
            + ": it ends at compressed byte offset "
            + end
            + ", "
            + where
            + " (member starting at compressed byte offset "
            + memberStart
            + ", after "
            + produced
            + " uncompressed bytes). The file was cut short, perhaps by an interrupted"
            + " copy or download; fetch it again, or set ignoreCorruptFiles=true to keep what"
            + " was read.");
  }

  private FastqParseException error(long at, String what) {
    return new FastqParseException(
        name,
        at,
        "Corrupt gzip file "
            + name
            + " at compressed byte offset "
            + at
            + ": "
            + what
            + ". Check the file with gzip -t; set ignoreCorruptFiles=true to skip the rest of"
            + " damaged files.");
  }

  @Override
  public long compressedBytesRead() {
    return in.bytesRead();
  }

  @Override
  public void close() throws IOException {
    inflater.close();
    in.close();
  }
}
