/**
 * The Spark data source {@code fastq-mmap}: everything that touches Spark is here. The API is
 * {@link io.github.fastqmmap.spark.FastqDataSource} (the format) and {@link
 * io.github.fastqmmap.spark.FastqMetrics} (reading a finished scan's metrics). {@code
 * FastqFileFormat} is public because Spark's file writer instantiates it by class name; the
 * per-line shims ({@code SparkSessions}, {@code ScalaCollections}, {@code ScalaFileFormat}) are
 * public so the tests of other modules can use them, and are internal. The rest is package-private.
 */
package io.github.fastqmmap.spark;
