/**
 * Internal: the scan's counters and how Spark sees them. The {@code *Metric} classes are public
 * because Spark instantiates custom metrics by reflection; {@link
 * io.github.fastqmmap.metrics.ReadMetric} lists every metric once. Users read the metrics in the
 * SQL tab or through {@code FastqMetrics}, not through these types.
 */
package io.github.fastqmmap.metrics;
