/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.open.InputFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Spark's V1 file reading (direct file queries, Spark 3.5's catalog tables): Spark's own file
 * planner cuts the files into splits of any byte range, and each split is read as the DSv2 scan
 * reads a range, by one {@link FastqPartitionReader} over that one range. So the ownership rule
 * that decides which split reads a record, the modes, the corrupt-record column, the Illumina
 * header columns and every error message are the DSv2 reader's; no second parser.
 */
final class FastqFileReader extends AbstractFunction1<PartitionedFile, Iterator<InternalRow>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FastqOptions options;
  private final FastqColumn[] columns;
  private final ScanAccumulators accumulators;
  private final Broadcast<SerializableConfiguration> hadoopConf;

  FastqFileReader(
      FastqOptions options,
      FastqColumn[] columns,
      ScanAccumulators accumulators,
      Broadcast<SerializableConfiguration> hadoopConf) {
    this.options = options;
    this.columns = columns;
    this.accumulators = accumulators;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<InternalRow> apply(PartitionedFile split) {
    // The URI as the DSv2 listing gives it (a qualified Hadoop path's URI), so that _file-like
    // texts and error messages name the file the same way on both paths.
    String uri = split.toPath().toUri().toString();
    if (uri.startsWith("file:/") && !uri.startsWith("file:///")) {
      uri = "file:///" + uri.substring("file:/".length());
    }
    // Told by the reader from the input it reads the split through: one open per split.
    InputFile input = InputFile.uninspected(uri, split.fileSize(), split.modificationTime());
    FastqFile file = new FastqFile(input, List.of());
    FileRange range = new FileRange(file, split.start(), split.start() + split.length());
    FastqInputPartition partition = new FastqInputPartition(0, List.of(range), new String[0]);
    Rows rows =
        new Rows(
            new FastqPartitionReader(partition, options, columns, null, accumulators, hadoopConf));
    TaskContext task = TaskContext.get();
    if (task != null) {
      // Closed when the task ends too, whether or not Spark read the split to its end.
      task.addTaskCompletionListener((TaskCompletionListener) context -> rows.close());
    }
    return rows;
  }

  /** The rows of one split; closed when exhausted, by Spark, or when the task ends. */
  private static final class Rows extends AbstractIterator<InternalRow> implements Closeable {
    private final FastqPartitionReader reader;
    private boolean fetched;
    private boolean has;
    private boolean closed;

    Rows(FastqPartitionReader reader) {
      this.reader = reader;
    }

    @Override
    public boolean hasNext() {
      if (!fetched && !closed) {
        try {
          has = reader.next();
        } catch (IOException e) {
          throw FastqFileReader.<RuntimeException>sneaky(e);
        }
        fetched = true;
        if (!has) {
          close();
        }
      }
      return has && !closed;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException("No more FASTQ records in this split");
      }
      fetched = false;
      return reader.get();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
  }

  /**
   * Throws the reader's IOException unchanged, as the DSv2 reader's {@code next()} throws it, so
   * that users see the same error on both paths.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
