/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Spark data source {@code fastq-mmap}: everything that touches Spark is here. API: {@link
 * io.github.fastqmmap.spark.FastqDataSource} (the format) and {@link
 * io.github.fastqmmap.spark.FastqMetrics} (reading a finished scan's metrics). Internal, public
 * only because Spark or other modules load them: {@code FastqFileFormat} and its superclass shim
 * {@code ScalaFileFormat} (Spark's file writer instantiates it by class name), {@code
 * CountingPassMetric} (a custom metric, made by reflection) and {@code ScalaCollections} (used by
 * the integration tests). The rest is package-private.
 */
package io.github.fastqmmap.spark;
