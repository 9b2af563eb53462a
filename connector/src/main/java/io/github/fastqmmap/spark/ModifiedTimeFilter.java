/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap$;
import org.apache.spark.sql.execution.datasources.PathFilterFactory;
import org.apache.spark.sql.execution.datasources.PathFilterStrategy;

/**
 * {@code modifiedBefore} and {@code modifiedAfter}, by Spark's own filters ({@code
 * ModifiedBeforeFilter}, {@code ModifiedAfterFilter}): the same parsing of the timestamp (in the
 * {@code timeZone} option, else the session's), the same comparison against a file's modification
 * time and the same error for a value that is not a timestamp.
 */
final class ModifiedTimeFilter {
  private final List<PathFilterStrategy> filters;

  private ModifiedTimeFilter(List<PathFilterStrategy> filters) {
    this.filters = filters;
  }

  /** The filters the options ask for; throws Spark's error for a bad timestamp. */
  static ModifiedTimeFilter of(FastqOptions options) {
    Map<String, String> keys = new HashMap<>();
    if (options.modifiedBefore() != null) {
      keys.put(FastqOptions.MODIFIED_BEFORE.key(), options.modifiedBefore());
    }
    if (options.modifiedAfter() != null) {
      keys.put(FastqOptions.MODIFIED_AFTER.key(), options.modifiedAfter());
    }
    if (keys.isEmpty()) {
      return new ModifiedTimeFilter(List.of());
    }
    keys.put(FastqOptions.TIME_ZONE.key(), options.timeZone());
    // Only these keys: pathGlobFilter, which Spark's factory would also turn into a filter, is
    // applied by the lister with its own message.
    return new ModifiedTimeFilter(
        ScalaCollections.asJava(
            PathFilterFactory.create(
                CaseInsensitiveMap$.MODULE$.apply(ScalaCollections.toScalaImmutableMap(keys)))));
  }

  boolean isEmpty() {
    return filters.isEmpty();
  }

  boolean accept(FileStatus status) {
    for (PathFilterStrategy f : filters) {
      if (!f.accept(status)) {
        return false;
      }
    }
    return true;
  }
}
