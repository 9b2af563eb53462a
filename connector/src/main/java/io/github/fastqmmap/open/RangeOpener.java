/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.mmap.BufferHold;
import io.github.fastqmmap.mmap.MappedByteSource;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.stream.Compression;
import io.github.fastqmmap.stream.StreamSources;
import io.github.fastqmmap.stream.ZstdStreams;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens one byte range of an {@link InputFile}: the one place that chooses how a file is read.
 *
 * <ul>
 *   <li>plain text on the local file system: memory-mapped ({@link MappedByteSource});
 *   <li>plain text elsewhere: positional reads;
 *   <li>gzip, BGZF (with its {@code .gzi} index when the file has one), bzip2 and zstd (through the
 *       zstd-jni that Spark ships): decompressed.
 * </ul>
 *
 * The file must still have the length and modification time it was inspected with; otherwise
 * opening fails with "File changed since the query was planned". The result's range is in the
 * source's own offsets: give it to a {@code RecordReader} ({@link StreamSources.Opened#reader}).
 */
public final class RangeOpener {
  /** The largest positional read; {@code windowBytes} sizes them below that. */
  static final long MAX_READ_BYTES = 16 << 20;

  private final Storage storage;
  private final MappingOptions mapping;
  private final MappingCounters mappingCounters;
  private final StreamSources.Settings settings;

  /** Where mapped files' consumed copy buffers wait for the consumer ({@link #holdCopies}). */
  private BufferHold hold;

  /**
   * @param parse sizes the buffers of streamed files (twice {@code maxRecordBytes} of look-back)
   * @param mapping how local plain files are mapped; {@code windowBytes} also sizes positional
   *     reads
   * @param mappingCounters what the mappings count
   */
  public RangeOpener(
      Storage storage,
      ParseOptions parse,
      MappingOptions mapping,
      MappingCounters mappingCounters) {
    this(storage, parse, mapping, mappingCounters, new CodecCounters());
  }

  /** The same, counting which library inflated compressed input into {@code codecCounters}. */
  public RangeOpener(
      Storage storage,
      ParseOptions parse,
      MappingOptions mapping,
      MappingCounters mappingCounters,
      CodecCounters codecCounters) {
    this.storage = storage;
    this.mapping = mapping;
    this.mappingCounters = mappingCounters;
    this.settings =
        StreamSources.Settings.forMaxRecordBytes(parse.maxRecordBytes())
            .withReadBytes((int) Math.min(MAX_READ_BYTES, mapping.windowBytes()))
            .withCodecCounters(codecCounters);
  }

  /**
   * Makes the copied windows of the files mapped from now on stay in place until {@code hold} is
   * released, so that values may point into them ({@link
   * io.github.fastqmmap.parse.ByteWindow#retained()}).
   */
  public void holdCopies(BufferHold hold) {
    this.hold = hold;
  }

  /**
   * Opens {@code [start, end)} of a file ({@code end = Long.MAX_VALUE} for the rest of it). A file
   * not inspected yet is told here, from the first bytes of the input its range is then read
   * through: one open of the file, however small.
   *
   * @throws java.nio.file.NoSuchFileException or {@link java.io.FileNotFoundException} if the file
   *     is gone
   */
  public StreamSources.Opened open(InputFile file, long start, long end) throws IOException {
    Path local = storage.localPath(file.name());
    if (!file.isInspected()) {
      return openUninspected(file, local, start, end);
    }
    if (local != null && file.compression() == Compression.NONE) {
      return map(file, local, start, end);
    }
    return open(file, openInput(file, local), start, end);
  }

  /**
   * The size of the head read from a file not inspected yet, when its range starts at 0: a small
   * file is then read whole by the one request (and a BGZF reader's reads at its start and near its
   * end come from memory), a large one goes on reading from where the head ended.
   */
  static final int STREAM_HEAD_BYTES = 64 << 10;

  private StreamSources.Opened openUninspected(InputFile file, Path local, long start, long end)
      throws IOException {
    if (local != null && !Files.isRegularFile(local)) {
      // Gone, or no longer a file: the mapping says so in its own words.
      return map(file, local, start, end);
    }
    Storage.Input input = openInput(file, local);
    InputFile inspected;
    byte[] head;
    try {
      // A mapped file reads no more than the magic needs; a stream reads on from its head.
      int headBytes = local == null && start == 0 ? STREAM_HEAD_BYTES : Compression.HEAD_BYTES;
      head = input.readFully(0, (int) Math.min(headBytes, file.length()));
      Compression compression = Compression.detect(head, head.length);
      // An index is only needed to find blocks inside the file; one range over all of it (as
      // planning gives a file it did not inspect) starts at its first block.
      boolean whole = start == 0 && end >= file.length();
      String index =
          compression == Compression.BGZF && !whole
              ? InputFile.index(storage, file.name(), file.modificationTime())
              : null;
      inspected =
          new InputFile(file.name(), file.length(), file.modificationTime(), compression, index);
    } catch (IOException | RuntimeException e) {
      closeAfter(input, e);
      throw e;
    }
    if (local != null && inspected.compression() == Compression.NONE) {
      input.close();
      return map(inspected, local, start, end);
    }
    return open(inspected, new HeadInput(input, head), start, end);
  }

  private StreamSources.Opened map(InputFile file, Path local, long start, long end)
      throws IOException {
    MappedByteSource mapped =
        MappedByteSource.open(local, file.name(), mapping, mappingCounters, hold);
    checkUnchanged(file, mapped.file().length(), mapped.file().lastModifiedMillis(), mapped);
    return new StreamSources.Opened(mapped, start, end);
  }

  /**
   * Opens a file's input with its planned status (no request for it where storage would make one),
   * checked against the file's status when storage tells it anyway.
   */
  private Storage.Input openInput(InputFile file, Path local) throws IOException {
    Storage.Input input =
        local != null
            ? LocalStorage.open(local)
            : storage.open(
                file.name(), new Storage.Status(file.length(), file.modificationTime(), true));
    checkUnchanged(file, input.status().length(), input.status().modificationTime(), input);
    return input;
  }

  /** Opens the range of an inspected file that is not mapped, through its input. */
  private StreamSources.Opened open(InputFile file, Storage.Input input, long start, long end)
      throws IOException {
    if (file.compression() == Compression.BZIP2) {
      InputAsStream compressed = new InputAsStream(input);
      InputStream in = storage.bzip2(compressed, file.name());
      return StreamSources.stream(
          in, file.name(), "uncompressed byte offset", start, settings, compressed::position);
    }
    if (file.compression() == Compression.ZSTD) {
      InputAsStream compressed = new InputAsStream(input);
      InputStream in = ZstdStreams.decompress(compressed, file.name(), compressed::position);
      return StreamSources.stream(
          in, file.name(), "uncompressed byte offset", start, settings, compressed::position);
    }
    BgzfIndex index;
    try {
      index = file.indexName() == null ? null : openIndex(file.indexName());
    } catch (IOException | RuntimeException e) {
      closeAfter(input, e);
      throw e;
    }
    try {
      return StreamSources.open(
          input, file.name(), file.compression(), start, end, index, settings);
    } finally {
      if (index != null) {
        index.close();
      }
    }
  }

  private BgzfIndex openIndex(String name) throws IOException {
    Path local = storage.localPath(name);
    Storage.Input in = local != null ? LocalStorage.open(local) : storage.open(name);
    try {
      return new BgzfIndex(in, name);
    } catch (IOException | RuntimeException e) {
      closeAfter(in, e);
      throw e;
    }
  }

  /** Fails, closing what was opened, when the file is not as inspected. */
  private static void checkUnchanged(InputFile file, long length, long modified, Closeable opened)
      throws IOException {
    if (length == file.length() && modified == file.modificationTime()) {
      return;
    }
    IOException changed =
        Storage.changedSincePlanned(
            file.name(),
            new Storage.Status(file.length(), file.modificationTime(), true),
            new Storage.Status(length, modified, true));
    closeAfter(opened, changed);
    throw changed;
  }

  private static void closeAfter(Closeable c, Exception failure) {
    try {
      c.close();
    } catch (IOException | RuntimeException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }
}
