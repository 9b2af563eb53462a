package io.github.fastqmmap;

import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads FASTQ files without Spark: maps a file (or one byte range of it) and iterates its records.
 * The Spark data source is built on the same calls.
 *
 * <pre>{@code
 * try (RecordReader reader = FastqFiles.open(Path.of("reads.fastq"))) {
 *   while (reader.next()) {
 *     FastqRecord r = reader.record();
 *     System.out.println(r.name() + " " + r.sequenceLength());
 *   }
 * }
 * }</pre>
 *
 * <p>Reading a file as ranges {@code [0, a), [a, b), ..., [z, length)} with {@link #open(Path,
 * long, long, ParseOptions, MappingOptions, ParseCounters, MappingCounters)} returns every record
 * exactly once, whatever the cut points.
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
   * Opens the byte range {@code [start, end)} of a file: the reader returns the records whose '@'
   * lies in the range, and fills the counters as it goes.
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
    MappedByteSource source =
        MappedByteSource.open(file, file.toString(), mapping, mappingCounters);
    return new RecordReader(source, start, end, parse, parseCounters);
  }
}
