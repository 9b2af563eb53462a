/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * Opens the byte sources of files that are not mapped, for one range each, with the range in the
 * source's own offsets: give {@link Opened#start()} and {@link Opened#end()} to the {@code
 * RecordReader}.
 *
 * <ul>
 *   <li>Plain text that cannot be mapped: positional reads, the same offsets as the file.
 *   <li>gzip and any other stream: one reader per file. The range that starts at 0 owns every
 *       record; any other range owns none (a file is split only if it was wrongly taken for plain
 *       text).
 *   <li>BGZF: a range {@code [cs, ce)} of compressed offsets owns the records whose '@' lies in the
 *       blocks that start in it (see {@link BgzfDecoder}).
 * </ul>
 */
public final class StreamSources {
  private StreamSources() {}

  /** A source and the range of it a reader owns, in the source's offsets. */
  public record Opened(ByteSource source, long start, long end) {
    /** A reader of the range; it closes the source. */
    public RecordReader reader(ParseOptions options, ParseCounters counters) {
      return new RecordReader(source, start, end, options, counters);
    }
  }

  /**
   * How readers buffer: the initial decode buffer, the look-back bound of streams, and the size of
   * one positional read.
   */
  public record Settings(
      int bufferBytes, long retainLimit, int readBytes, CodecCounters codecCounters) {
    public Settings(int bufferBytes, long retainLimit) {
      this(bufferBytes, retainLimit, PositionalByteSource.DEFAULT_READ_BYTES);
    }

    public Settings(int bufferBytes, long retainLimit, int readBytes) {
      this(bufferBytes, retainLimit, readBytes, new CodecCounters());
    }

    /** The same, counting inflated bytes into {@code counters}. */
    public Settings withCodecCounters(CodecCounters counters) {
      return new Settings(bufferBytes, retainLimit, readBytes, counters);
    }

    /** Settings for records up to {@code maxRecordBytes}. */
    public static Settings forMaxRecordBytes(long maxRecordBytes) {
      return new Settings(
          StreamByteSource.DEFAULT_BUFFER_BYTES, StreamByteSource.retainLimitFor(maxRecordBytes));
    }

    /** The same with another positional read size. */
    public Settings withReadBytes(int bytes) {
      return new Settings(bufferBytes, retainLimit, bytes, codecCounters);
    }
  }

  /**
   * Opens range {@code [start, end)} of a file of the given kind (not bzip2, which needs Hadoop's
   * codec: see {@link #stream}). The input is closed with the source, or here if opening fails.
   *
   * @param index a BGZF file's {@code .gzi} index, or null to find blocks by their headers
   */
  public static Opened open(
      RandomAccessInput input,
      String name,
      Compression kind,
      long start,
      long end,
      BgzfIndex index,
      Settings settings)
      throws IOException {
    try {
      switch (kind) {
        case NONE:
          return new Opened(
              new PositionalByteSource(input, name, settings.readBytes()), start, end);
        case GZIP:
          if (start > 0) {
            return empty(input, name);
          }
          return new Opened(
              new StreamByteSource(
                  name,
                  new GzipDecoder(input, name, settings.codecCounters()),
                  settings.bufferBytes(),
                  settings.retainLimit()),
              0,
              Long.MAX_VALUE);
        case BGZF:
          return bgzf(input, name, start, end, index, settings);
        default:
          throw new FastqParseException(
              name,
              0,
              "Cannot read "
                  + name
                  + ": it is "
                  + kind.label()
                  + "-compressed, which fastq-mmap does not read. Decompress it, or recompress"
                  + " it with gzip or bgzip.");
      }
    } catch (IOException | RuntimeException e) {
      try {
        input.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * A stream read whole (bzip2 through Hadoop's codec, or any decompressed stream): like gzip, the
   * range that starts at 0 owns everything and other ranges own nothing.
   */
  public static Opened stream(
      InputStream in, String name, String offsetWords, long start, Settings settings)
      throws IOException {
    return stream(in, name, offsetWords, start, settings, () -> 0);
  }

  /**
   * The same, for a stream that decompresses a file: {@code compressedBytes} tells how many bytes
   * of the file it has read.
   */
  public static Opened stream(
      InputStream in,
      String name,
      String offsetWords,
      long start,
      Settings settings,
      LongSupplier compressedBytes)
      throws IOException {
    if (start > 0) {
      in.close();
      return new Opened(
          new StreamByteSource(
              name,
              new InputStreamDecoder(InputStream.nullInputStream(), offsetWords),
              Decoder.STEP_BYTES,
              settings.retainLimit()),
          0,
          0);
    }
    return new Opened(
        new StreamByteSource(
            name,
            new InputStreamDecoder(in, offsetWords, compressedBytes),
            settings.bufferBytes(),
            settings.retainLimit()),
        0,
        Long.MAX_VALUE);
  }

  private static Opened empty(RandomAccessInput input, String name) throws IOException {
    input.close();
    return new Opened(
        new StreamByteSource(
            name,
            new InputStreamDecoder(InputStream.nullInputStream(), "byte offset"),
            Decoder.STEP_BYTES,
            Decoder.STEP_BYTES),
        0,
        0);
  }

  private static Opened bgzf(
      RandomAccessInput input,
      String name,
      long start,
      long end,
      BgzfIndex index,
      Settings settings)
      throws IOException {
    long length = input.length();
    long first = Bgzf.firstBlockAtOrAfter(input, start, index, name);
    if (start == 0 && first != 0 && length > 0) {
      throw Bgzf.corrupt(name, 0, "the file does not start with a BGZF block");
    }
    // Empty blocks (end-of-file markers, also between concatenated files) own nothing: start at
    // the first block with data, so that a range end just after empty blocks is seen in time.
    while (first != Bgzf.NONE && first < end && first < length) {
      int size = Bgzf.blockSizeAt(input, first);
      if (size <= 0) {
        throw Bgzf.corrupt(name, first, "it is not a BGZF block header");
      }
      ByteBuffer isize = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      input.readFully(first + size - 4, isize);
      if (isize.getInt(0) != 0) {
        break;
      }
      first += size;
    }
    if (first == Bgzf.NONE || first >= end || first >= length) {
      return empty(input, name);
    }
    long endBlock = end >= length ? Bgzf.NONE : Bgzf.firstBlockAtOrAfter(input, end, index, name);
    int lookBack = first == 0 ? -1 : Bgzf.lastByteBefore(input, first, name);
    BgzfDecoder decoder =
        new BgzfDecoder(input, name, first, endBlock, lookBack, settings.codecCounters());
    StreamByteSource source =
        new StreamByteSource(name, decoder, settings.bufferBytes(), settings.retainLimit());
    return new Opened(source, lookBack >= 0 ? 1 : 0, Long.MAX_VALUE);
  }
}
