/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.Compression;
import io.github.fastqmmap.stream.StreamByteSource;
import io.github.fastqmmap.stream.StreamSources;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The counting pass of one byte range: how many well-formed records the range owns (the same
 * records a read of the range returns), and where to reopen the file at about every {@code
 * stride}-th of them, so that a reader that needs record {@code n} skips fewer than {@code stride}
 * records (and about {@link #STRIDE_BYTES} bytes) after the closest place. Plain files can be
 * reopened at any record; BGZF files at the block holding a record's '@' (the first record starting
 * in it); gzip and bzip2 only at 0.
 */
public final class RangeCounter {
  /**
   * An entry also every this many bytes of the file (compressed bytes for BGZF), whatever the
   * records' count: long reads would otherwise leave megabytes between entries to skip.
   */
  public static final long STRIDE_BYTES = 1 << 20;

  private RangeCounter() {}

  /**
   * The count of one range, and its sparse entries: ordinals relative to the range's first record,
   * the position to open at, and the {@code _offset} of the record found there. {@code lastOffset}
   * is the {@code _offset} of the range's last counted record (or stretch), -1 if it has none: what
   * an error about a file's last record names.
   */
  public record Result(
      long records,
      long[] entryOrdinals,
      long[] entryPositions,
      long[] entryOffsets,
      long lastOffset,
      String failure)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An empty range's count, or a range not counted because of {@code failure} (may be null). */
    public static Result empty(String failure) {
      return new Result(0, new long[0], new long[0], new long[0], -1, failure);
    }
  }

  /** Counts the records of {@code [start, end)}, noting an entry every {@code stride} records. */
  public static Result count(
      RangeOpener opener,
      InputFile file,
      long start,
      long end,
      ParseOptions parse,
      ParseCounters counters,
      int stride)
      throws IOException {
    return count(opener, file, start, end, parse, counters, stride, false, false, false);
  }

  /**
   * Counts the records of {@code [start, end)}, noting an entry every {@code stride} records.
   *
   * @param malformedHaveOrdinals whether a malformed stretch takes an ordinal, as a record does
   *     (pairs: a malformed mate keeps its pair's place, so both files count alike); in
   *     DROPMALFORMED mode the stretches are then seen as PERMISSIVE mode sees them
   * @param tolerant whether an error ends the count instead of failing it ({@code
   *     ignoreCorruptFiles}): the records before it are counted, and {@link Result#failure()} says
   *     what happened; a file that cannot be opened fails all the same
   * @param fast whether, in FAILFAST mode and not {@code tolerant}, records are found without the
   *     checks a well-formed record passes anyway ({@link RecordReader#countOnly()}): the same
   *     count on a well-formed file, for less work; on a malformed one the count may differ where a
   *     read fails, so a caller that compares counts recounts exactly before reporting a difference
   */
  public static Result count(
      RangeOpener opener,
      InputFile file,
      long start,
      long end,
      ParseOptions parse,
      ParseCounters counters,
      int stride,
      boolean malformedHaveOrdinals,
      boolean tolerant,
      boolean fast)
      throws IOException {
    ParseOptions options =
        malformedHaveOrdinals && parse.mode() == ParseMode.DROPMALFORMED
            ? parse.withMode(ParseMode.PERMISSIVE)
            : parse;
    StreamSources.Opened opened = opener.open(file, start, end);
    ByteSource source = opened.source();
    Compression compression = file.compression();
    long[] ordinals = new long[8];
    long[] positions = new long[8];
    long[] offsets = new long[8];
    int entries = 0;
    long count = 0;
    long lastEntry = 0;
    long lastBlock = -1;
    long lastPosition = start;
    long lastOffset = -1;
    String failure = null;
    try (RecordReader reader = opened.reader(options, counters)) {
      if (fast && !tolerant && options.mode() == ParseMode.FAILFAST) {
        reader.countOnly();
      }
      while (reader.next()) {
        if (reader.isMalformed()) {
          if (malformedHaveOrdinals) {
            count++;
            lastOffset = source.reportedOffset(reader.malformedOffset());
          }
          continue; // else malformed stretches have no ordinal
        }
        long offset = reader.record().offset();
        long position = -1;
        long reported = offset;
        if (compression == Compression.NONE) {
          position = offset;
        } else if (compression == Compression.BGZF) {
          reported = source.reportedOffset(offset);
          long block = reported >>> 16;
          if (block != lastBlock) {
            position = block; // the first record whose '@' lies in this block
            lastBlock = block;
          }
        }
        if (position >= 0
            && count > 0
            && (count - lastEntry >= stride || position - lastPosition >= STRIDE_BYTES)) {
          if (entries == ordinals.length) {
            ordinals = Arrays.copyOf(ordinals, entries * 2);
            positions = Arrays.copyOf(positions, entries * 2);
            offsets = Arrays.copyOf(offsets, entries * 2);
          }
          ordinals[entries] = count;
          positions[entries] = position;
          offsets[entries] = reported;
          entries++;
          lastEntry = count;
          lastPosition = position;
        }
        lastOffset = reported;
        count++;
      }
    } catch (IOException | RuntimeException e) {
      Exception explained =
          e instanceof IOException io && source instanceof StreamByteSource stream
              ? stream.explain(io)
              : e;
      if (!tolerant) {
        if (explained instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) explained;
      }
      failure = String.valueOf(explained.getMessage());
    }
    return new Result(
        count,
        Arrays.copyOf(ordinals, entries),
        Arrays.copyOf(positions, entries),
        Arrays.copyOf(offsets, entries),
        lastOffset,
        failure);
  }
}
