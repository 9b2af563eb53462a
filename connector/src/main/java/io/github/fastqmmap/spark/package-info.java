/**
 * The Spark data source {@code fastq-mmap}: everything that touches Spark is here, and only {@link
 * io.github.fastqmmap.spark.FastqDataSource} (the format) and {@link
 * io.github.fastqmmap.spark.FastqMetrics} (reading a finished scan's metrics) are public; the rest
 * is package-private.
 */
package io.github.fastqmmap.spark;
