/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap;

import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.LocalStorage;
import io.github.fastqmmap.open.RangeOpener;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.StreamSources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads FASTQ files without Spark: opens a file (or one byte range of it) and iterates its records.
 * The Spark data source is built on the same calls: {@link InputFile#inspect} tells what a file
 * holds, {@link RangeOpener} opens a range of it, and a {@link RecordReader} reads the records.
 *
 * <pre>{@code
 * try (RecordReader reader = FastqFiles.open(Path.of("reads.fastq.gz"))) {
 *   while (reader.next()) {
 *     FastqRecord r = reader.record();
 *     System.out.println(r.name() + " " + r.sequenceLength());
 *   }
 * }
 * }</pre>
 *
 * <p>What a file holds is told by its first bytes, not its name: plain FASTQ is memory-mapped, gzip
 * is decompressed as one stream, BGZF block by block, zstd as one stream (with zstd-jni on the
 * class path). Reading a file as ranges {@code [0, a), [a, b), ..., [z, length)} with {@link
 * #open(Path, long, long, ParseOptions, MappingOptions, ParseCounters, MappingCounters)} returns
 * every record exactly once, whatever the cut points: for plain files the ranges are of bytes, for
 * BGZF of compressed bytes (a range owns the blocks that start in it), and a gzip or zstd file
 * belongs wholly to the range that starts at 0.
 */
public final class FastqFiles {
  private FastqFiles() {}

  /** Opens a whole file with default options (FAILFAST, strict, Phred+33, four-line records). */
  public static RecordReader open(Path file) throws IOException {
    return open(file, ParseOptions.defaults(), MappingOptions.defaults());
  }

  /** Opens a whole file. */
  public static RecordReader open(Path file, ParseOptions parse, MappingOptions mapping)
      throws IOException {
    return open(
        file, 0, Long.MAX_VALUE, parse, mapping, new ParseCounters(), new MappingCounters());
  }

  /**
   * Opens the range {@code [start, end)} of a file: the reader returns the records whose '@' lies
   * in the range (for BGZF, in the blocks that start in it), and fills the counters as it goes. For
   * BGZF a {@code .gzi} index next to the file ({@code file + ".gzi"}), when it is not older than
   * the file, locates the blocks.
   */
  public static RecordReader open(
      Path file,
      long start,
      long end,
      ParseOptions parse,
      MappingOptions mapping,
      ParseCounters parseCounters,
      MappingCounters mappingCounters)
      throws IOException {
    InputFile input = InputFile.inspect(LocalStorage.INSTANCE, file.toString());
    return new RangeOpener(LocalStorage.INSTANCE, parse, mapping, mappingCounters)
        .open(input, start, end)
        .reader(parse, parseCounters);
  }

  /**
   * Reads the records of a stream, for instance one that decompresses a format this class does not
   * open itself. Offsets are positions in the stream.
   *
   * @param name how messages name the stream
   */
  public static RecordReader open(
      InputStream in, String name, ParseOptions parse, ParseCounters counters) throws IOException {
    return StreamSources.stream(
            in,
            name,
            "byte offset",
            0,
            StreamSources.Settings.forMaxRecordBytes(parse.maxRecordBytes()))
        .reader(parse, counters);
  }
}
