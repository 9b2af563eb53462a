/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.internal.connector.SupportsPushDownCatalystFilters;

/**
 * Spark's filter push-down in Catalyst expressions, which its own file scans use to prune
 * partitions, for Scala 2.12 (whose Seq the Spark method takes; the Scala 2.13 build has its own
 * copy). The shared sources implement {@link #pushCatalystFilters} on Java lists. Not part of the
 * connector's API.
 */
interface CatalystFilterPushdown extends SupportsPushDownCatalystFilters {
  /** Takes the filters Spark offers and returns those Spark must still apply after the scan. */
  List<Expression> pushCatalystFilters(List<Expression> filters);

  @Override
  default scala.collection.Seq<Expression> pushFilters(scala.collection.Seq<Expression> filters) {
    return ScalaCollections.toSeq(pushCatalystFilters(ScalaCollections.asJava(filters)));
  }
}
