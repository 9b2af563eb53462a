/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Internal: no compatibility promise. The scan's counters and how Spark sees them; the {@code
 * *Metric} classes and {@code MaxLongAccumulator} are public because Spark instantiates or
 * deserializes them by class name. Users read metrics in the SQL tab or through {@code
 * io.github.fastqmmap.spark.FastqMetrics}.
 */
package io.github.fastqmmap.metrics;
