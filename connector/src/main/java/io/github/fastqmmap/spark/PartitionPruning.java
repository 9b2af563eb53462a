/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InterpretedPredicate;
import org.apache.spark.sql.execution.datasources.DataSourceUtils;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Tuple2;
import scala.runtime.AbstractPartialFunction;

/**
 * Splits the filters Spark pushes into those on partition columns only, which choose files at
 * planning, and the rest, which Spark applies to the rows: as Spark's own file scans do, with its
 * {@code DataSourceUtils.getPartitionFiltersAndDataFilters} and its interpreted predicates.
 */
final class PartitionPruning {
  private final StructType partitionSchema;
  private final List<Expression> partitionFilters;
  private final List<Expression> postScanFilters;

  private PartitionPruning(
      StructType partitionSchema, List<Expression> partitionFilters, List<Expression> rest) {
    this.partitionSchema = partitionSchema;
    this.partitionFilters = partitionFilters;
    this.postScanFilters = rest;
  }

  static PartitionPruning split(StructType partitionSchema, List<Expression> filters) {
    if (partitionSchema.isEmpty()) {
      return new PartitionPruning(partitionSchema, List.of(), filters);
    }
    List<Expression> deterministic = new ArrayList<>();
    List<Expression> rest = new ArrayList<>();
    for (Expression e : filters) {
      (e.deterministic() ? deterministic : rest).add(e);
    }
    Tuple2<?, ?> split =
        DataSourceUtils.getPartitionFiltersAndDataFilters(
            partitionSchema, ScalaCollections.toSeq(deterministic));
    @SuppressWarnings("unchecked")
    List<Expression> partitionFilters =
        new ArrayList<>(ScalaCollections.asJava((scala.collection.Seq<Expression>) split._1()));
    @SuppressWarnings("unchecked")
    List<Expression> dataFilters =
        ScalaCollections.asJava((scala.collection.Seq<Expression>) split._2());
    List<Expression> post = new ArrayList<>(dataFilters);
    post.addAll(rest);
    return new PartitionPruning(partitionSchema, partitionFilters, post);
  }

  /** The filters Spark still applies to the rows. */
  List<Expression> postScanFilters() {
    return postScanFilters;
  }

  /** The filters that choose files, for EXPLAIN. */
  List<Expression> partitionFilters() {
    return partitionFilters;
  }

  /** The files whose partition values pass every partition filter. */
  List<FastqFile> prune(List<FastqFile> files) {
    if (partitionFilters.isEmpty()) {
      return files;
    }
    Expression conjunction = partitionFilters.get(0);
    for (int i = 1; i < partitionFilters.size(); i++) {
      conjunction = new And(conjunction, partitionFilters.get(i));
    }
    InterpretedPredicate predicate = new InterpretedPredicate(bind(conjunction));
    predicate.initialize(0);
    List<FastqFile> kept = new ArrayList<>();
    for (FastqFile f : files) {
      if (predicate.eval(f.partitionValues)) {
        kept.add(f);
      }
    }
    return kept;
  }

  /** The filter with each partition column replaced by its ordinal in the partition values. */
  private Expression bind(Expression filter) {
    boolean caseSensitive = SQLConf.get().caseSensitiveAnalysis();
    StructField[] fields = partitionSchema.fields();
    return filter.transform(
        new AbstractPartialFunction<Expression, Expression>() {
          private int ordinal(Expression e) {
            if (e instanceof AttributeReference a) {
              for (int i = 0; i < fields.length; i++) {
                if (caseSensitive
                    ? fields[i].name().equals(a.name())
                    : fields[i].name().equalsIgnoreCase(a.name())) {
                  return i;
                }
              }
            }
            return -1;
          }

          @Override
          public boolean isDefinedAt(Expression e) {
            return ordinal(e) >= 0;
          }

          @Override
          public <A1 extends Expression, B1> B1 applyOrElse(A1 e, Function1<A1, B1> otherwise) {
            int i = ordinal(e);
            if (i < 0) {
              return otherwise.apply(e);
            }
            @SuppressWarnings("unchecked")
            B1 bound = (B1) new BoundReference(i, fields[i].dataType(), true);
            return bound;
          }
        });
  }
}
