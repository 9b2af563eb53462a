/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ReadCounters;
import io.github.fastqmmap.metrics.ReadTaskMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.FastqParseException;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.stream.BgzfIndex;
import io.github.fastqmmap.stream.Compression;
import io.github.fastqmmap.stream.FileChannelInput;
import io.github.fastqmmap.stream.InputAsStream;
import io.github.fastqmmap.stream.RandomAccessInput;
import io.github.fastqmmap.stream.StreamByteSource;
import io.github.fastqmmap.stream.StreamSources;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the ranges of one partition in order: opens each file range (a mapping for local plain
 * files, positional reads for plain files elsewhere, a decoder for compressed ones), reads its
 * records under the ownership rule and writes rows. Every error names the file; {@code
 * ignoreMissingFiles} and {@code ignoreCorruptFiles} are honoured here, in one place.
 */
final class FastqPartitionReader implements PartitionReader<InternalRow> {
  private static final System.Logger LOG = System.getLogger(FastqPartitionReader.class.getName());

  /** Longest raw text kept in the corrupt-record column. */
  private static final int MAX_CORRUPT_TEXT = 1 << 20;

  /** The largest positional read (non-local plain files); windowBytes sizes mappings. */
  private static final long MAX_READ_BYTES = 16 << 20;

  /** The most a damaged gzip stream is decoded on to explain a parse error. */
  private static final long DAMAGE_CHECK_BYTES = 1L << 30;

  private final FastqInputPartition partition;
  private final FastqOptions options;
  private final Broadcast<SerializableConfiguration> hadoopConf;
  private final ScanAccumulators accumulators;
  private final ReadCounters counters = new ReadCounters();
  private final CustomTaskMetric[] taskMetrics = ReadTaskMetric.of(counters);
  private final FastqRowWriter rowWriter;
  private final boolean wantsCorruptText;

  private int nextRange;
  private FileRange range;
  private RecordReader reader;
  private ByteSource source;

  /** The source, when its offsets are not the file's ({@code _offset} asks it), else null. */
  private ByteSource offsets;

  private UTF8String fileUri;
  private InternalRow row;
  private boolean closed;

  FastqPartitionReader(
      FastqInputPartition partition,
      FastqOptions options,
      FastqColumn[] columns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this.partition = partition;
    this.options = options;
    this.hadoopConf = hadoopConf;
    this.accumulators = accumulators;
    this.rowWriter = new FastqRowWriter(columns, counters);
    this.wantsCorruptText = rowWriter.wantsCorruptText();
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      try {
        return nextRow();
      } catch (InternalError e) {
        // In JIT-compiled code HotSpot raises a fault on a mapped page asynchronously, at the
        // thread's next safepoint check: the faulting load is skipped, the garbage it left can
        // look like a malformed record, and the InternalError may arrive while nextRow handles
        // that. It must not leave this method: Spark's executor exits on an InternalError.
        IOException changed = fileChangedDuringRead(e);
        closeQuietly();
        if (!skipCorrupt(changed)) {
          throw changed;
        }
      }
    }
  }

  private boolean nextRow() throws IOException {
    while (true) {
      if (reader == null && !openNextRange()) {
        return false;
      }
      try {
        if (reader.next()) {
          row = buildRow();
          return true;
        }
        closeReader();
      } catch (InternalError | FileChangedDuringReadException e) {
        // A fault on a mapped page: the file shrank under the mapping (SIGBUS). The record reader
        // reports faults inside it as FileChangedDuringReadException; copying values can fault too.
        IOException changed = fileChangedDuringRead(e);
        closeQuietly();
        if (!skipCorrupt(changed)) {
          throw changed;
        }
      } catch (IOException | RuntimeException e) {
        Exception reported = e instanceof IOException io ? explain(io) : e;
        boolean mapped = source instanceof MappedByteSource;
        closeQuietly();
        if (mapped && fileLengthChanged()) {
          // What a fault left unread, not the file's content, made this error.
          IOException changed = fileChangedDuringRead(e);
          if (!skipCorrupt(changed)) {
            throw changed;
          }
          continue;
        }
        if (!skipCorrupt(reported)) {
          if (reported instanceof IOException io) {
            throw io;
          }
          throw (RuntimeException) reported;
        }
      }
    }
  }

  /** Whether the current range's file now has another length than planned (false if unknown). */
  private boolean fileLengthChanged() {
    try {
      return java.nio.file.Files.size(localPath(range.file.uri)) != range.file.length;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opens the next range that exists; false when none is left. */
  private boolean openNextRange() throws IOException {
    while (nextRange < partition.ranges.size()) {
      range = partition.ranges.get(nextRange++);
      fileUri = UTF8String.fromString(range.file.uri);
      StreamSources.Opened opened;
      try {
        opened = open(range);
      } catch (NoSuchFileException | FileNotFoundException e) {
        if (options.ignoreMissingFiles()) {
          LOG.log(Level.WARNING, "fastq-mmap: skipping missing file " + range.file.uri);
          continue;
        }
        throw new IOException(
            "File not found: "
                + range.file.uri
                + ". It existed when the query was planned; it may have been deleted since, or"
                + " this executor cannot see it (a local path must exist on every executor)."
                + " Set ignoreMissingFiles=true to skip missing files.",
            e);
      } catch (IOException e) {
        if (skipCorrupt(e)) {
          continue;
        }
        throw e;
      }
      source = opened.source();
      offsets = source instanceof MappedByteSource ? null : source;
      reader =
          new RecordReader(source, opened.start(), opened.end(), options.parse(), counters.parse);
      return true;
    }
    return false;
  }

  /**
   * The byte source for a range, and the range in its offsets: a mapping for a local plain file,
   * positional reads for a plain file elsewhere, a decoder for compressed files. The file must be
   * as planned (length, modification time).
   */
  private StreamSources.Opened open(FileRange r) throws IOException {
    FastqFile file = r.file;
    if (file.isLocal() && file.compression == Compression.NONE) {
      MappedByteSource mapped =
          MappedByteSource.open(localPath(file.uri), file.uri, options.mapping(), counters.mapping);
      try {
        checkUnchanged(mapped.file().length(), mapped.file().lastModifiedMillis());
      } catch (IOException e) {
        mapped.close();
        throw e;
      }
      return new StreamSources.Opened(mapped, r.start, r.end);
    }
    StreamSources.Settings settings =
        StreamSources.Settings.forMaxRecordBytes(options.parse().maxRecordBytes())
            .withReadBytes((int) Math.min(MAX_READ_BYTES, options.mapping().windowBytes()));
    RandomAccessInput input;
    if (file.isLocal()) {
      Path path = localPath(file.uri);
      input = FileChannelInput.open(path);
      closeIfChanged(input, input.length(), Files.getLastModifiedTime(path).toMillis());
    } else {
      HadoopInput hadoop =
          HadoopInput.open(
              fileSystem(file.uri), new org.apache.hadoop.fs.Path(URI.create(file.uri)));
      closeIfChanged(hadoop, hadoop.length(), hadoop.status().getModificationTime());
      input = hadoop;
    }
    if (file.compression == Compression.BZIP2) {
      BZip2Codec codec = new BZip2Codec();
      codec.setConf(hadoopConf != null ? hadoopConf.value().value() : new Configuration(false));
      InputStream compressed = new InputAsStream(input);
      return StreamSources.stream(
          codec.createInputStream(compressed),
          file.uri,
          "uncompressed byte offset",
          r.start,
          settings);
    }
    BgzfIndex index = null;
    try {
      if (file.indexUri != null) {
        index = openIndex(file.indexUri);
      }
      return StreamSources.open(input, file.uri, file.compression, r.start, r.end, index, settings);
    } finally {
      if (index != null) {
        index.close();
      }
    }
  }

  private BgzfIndex openIndex(String uri) throws IOException {
    RandomAccessInput in =
        uri.startsWith("file:")
            ? FileChannelInput.open(localPath(uri))
            : HadoopInput.open(fileSystem(uri), new org.apache.hadoop.fs.Path(URI.create(uri)));
    try {
      return new BgzfIndex(in, uri);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private FileSystem fileSystem(String uri) throws IOException {
    if (hadoopConf == null) {
      throw new IllegalStateException("no Hadoop configuration shipped for " + uri);
    }
    return FileSystem.get(URI.create(uri), hadoopConf.value().value());
  }

  private void closeIfChanged(RandomAccessInput input, long length, long modified)
      throws IOException {
    try {
      checkUnchanged(length, modified);
    } catch (IOException e) {
      input.close();
      throw e;
    }
  }

  private static Path localPath(String uri) throws IOException {
    try {
      // Hadoop's URIs keep non-ASCII characters unescaped, which Paths.get(URI) rejects.
      return Paths.get(URI.create(URI.create(uri).toASCIIString()));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IOException(
          "fastq-mmap maps local files only, and " + uri + " is not one (" + e.getMessage() + ").",
          e);
    }
  }

  private void checkUnchanged(long length, long modified) throws IOException {
    if (length != range.file.length || modified != range.file.modificationTime) {
      throw new IOException(
          "File changed since the query was planned: "
              + range.file.uri
              + " was "
              + range.file.length
              + " bytes, modified "
              + Instant.ofEpochMilli(range.file.modificationTime)
              + ", and is now "
              + length
              + " bytes, modified "
              + Instant.ofEpochMilli(modified)
              + ". Load the DataFrame again to read the file as it is now.");
    }
  }

  private IOException fileChangedDuringRead(Throwable fault) {
    String now;
    try {
      now = java.nio.file.Files.size(localPath(range.file.uri)) + " bytes";
    } catch (IOException e) {
      now = "unreadable (" + e.getMessage() + ")";
    }
    IOException changed =
        new IOException(
            "File changed during read: "
                + range.file.uri
                + " was "
                + range.file.length
                + " bytes when planned and is now "
                + now
                + "; reading its mapping faulted in range ["
                + range.start
                + ", "
                + range.end
                + "). Do not modify files while a query reads them; load the DataFrame again.");
    // Never an Error as the cause: Spark's executor exits when a failed task's cause chain holds a
    // VirtualMachineError (InternalError is one), and the fault is not fatal.
    if (fault instanceof Error) {
      changed.addSuppressed(fault);
    } else {
      changed.initCause(fault);
    }
    return changed;
  }

  /**
   * A parse error in a gzip stream may come from damaged compressed data that yields garbage before
   * the member's CRC-32 is checked: decode on, and report the damage if there is some.
   */
  private IOException explain(IOException e) {
    if (e instanceof FastqParseException && source instanceof StreamByteSource stream) {
      IOException damage = stream.damage(DAMAGE_CHECK_BYTES);
      if (damage != null && damage != e) {
        damage.addSuppressed(e);
        return damage;
      }
    }
    return e;
  }

  /** With ignoreCorruptFiles, logs the error and moves to the next range; otherwise false. */
  private boolean skipCorrupt(Exception e) {
    if (!options.ignoreCorruptFiles()) {
      return false;
    }
    LOG.log(
        Level.WARNING,
        "fastq-mmap: skipping the rest of "
            + (range == null ? "a file" : range.toString())
            + " (ignoreCorruptFiles=true): "
            + e.getMessage());
    return true;
  }

  /** The current record as a row; built here so that a fault on the mapping is caught above. */
  private InternalRow buildRow() throws IOException {
    if (reader.isMalformed()) {
      long offset = reader.malformedOffset();
      return rowWriter.writeCorrupt(
          wantsCorruptText ? reader.malformedBytes(MAX_CORRUPT_TEXT) : new byte[0],
          offsets == null ? offset : offsets.reportedOffset(offset),
          fileUri);
    }
    FastqRecord r = reader.record();
    return rowWriter.write(
        r, fileUri, offsets == null ? r.offset() : offsets.reportedOffset(r.offset()));
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return taskMetrics;
  }

  private void closeReader() throws IOException {
    RecordReader r = reader;
    reader = null;
    source = null;
    offsets = null;
    if (r != null) {
      r.close();
    }
  }

  private void closeQuietly() {
    try {
      closeReader();
    } catch (IOException | RuntimeException | InternalError e) {
      LOG.log(Level.DEBUG, "fastq-mmap: error while closing " + range, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeReader();
    } catch (InternalError e) {
      // A fault's error raised late, while unmapping: never let it reach Spark's executor.
      throw fileChangedDuringRead(e);
    } finally {
      accumulators.add(counters);
    }
  }
}
