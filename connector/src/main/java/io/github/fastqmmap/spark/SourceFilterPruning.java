/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Contains;
import org.apache.spark.sql.catalyst.expressions.EndsWith;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Not;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.StartsWith;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.AlwaysFalse;
import org.apache.spark.sql.sources.AlwaysTrue;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Partition pruning on the Spark lines that give a DSv2 source its filters only as data source
 * {@link Filter}s (3.5 and 4.0: their {@code PushDownUtils} hands Catalyst filters to Spark's own
 * file scans only). The filters on partition columns only are turned back into Catalyst predicates
 * over those columns, exactly or not at all, and choose the files as on 4.1+ ({@link
 * PartitionPruning}); every filter is still applied by Spark to the rows, which costs nothing worth
 * counting on a column that is constant per file and keeps the result right whatever a filter the
 * conversion does not know would have said.
 */
final class SourceFilterPruning
    implements ScanBuilder,
        SupportsPushDownRequiredColumns,
        SupportsPushDownAggregates,
        SupportsPushDownFilters {
  private final FastqScanBuilder builder;
  private final StructType partitionSchema;
  private Filter[] pushed = new Filter[0];

  SourceFilterPruning(FastqScanBuilder builder, StructType partitionSchema) {
    this.builder = builder;
    this.partitionSchema = partitionSchema;
  }

  /** Whether this Spark hands Catalyst filters to DSv2 sources (4.1 and later). */
  static boolean sparkPushesCatalystFilters(String version) {
    String[] v = version.split("\\.");
    int major = Integer.parseInt(v[0]);
    return major > 4 || (major == 4 && v.length > 1 && Integer.parseInt(v[1]) >= 1);
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Expression> predicates = new ArrayList<>();
    List<Filter> used = new ArrayList<>();
    if (!partitionSchema.isEmpty()) {
      for (Filter f : filters) {
        Expression e = toCatalyst(f);
        if (e != null) {
          predicates.add(e);
          used.add(f);
        }
      }
    }
    builder.pushCatalystFilters(predicates);
    pushed = used.toArray(new Filter[0]);
    return filters; // all applied again to the rows
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.clone();
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    builder.pruneColumns(requiredSchema);
  }

  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    return builder.pushAggregation(aggregation);
  }

  @Override
  public Scan build() {
    return builder.build();
  }

  /** The filter as a Catalyst predicate over partition columns, or null if not exactly one. */
  private Expression toCatalyst(Filter f) {
    try {
      return convert(f);
    } catch (RuntimeException e) {
      return null; // a value Catalyst cannot take as the column's type: no pruning by it
    }
  }

  private Expression convert(Filter f) {
    if (f instanceof org.apache.spark.sql.sources.And a) {
      return both(convert(a.left()), convert(a.right()), true);
    }
    if (f instanceof org.apache.spark.sql.sources.Or o) {
      return both(convert(o.left()), convert(o.right()), false);
    }
    if (f instanceof org.apache.spark.sql.sources.Not n) {
      Expression child = convert(n.child());
      return child == null ? null : new Not(child);
    }
    if (f instanceof AlwaysTrue || f instanceof AlwaysFalse) {
      return null;
    }
    if (f instanceof org.apache.spark.sql.sources.IsNull n) {
      StructField c = column(n.attribute());
      return c == null ? null : new IsNull(attribute(c));
    }
    if (f instanceof org.apache.spark.sql.sources.IsNotNull n) {
      StructField c = column(n.attribute());
      return c == null ? null : new IsNotNull(attribute(c));
    }
    if (f instanceof In in) {
      StructField c = column(in.attribute());
      if (c == null || in.values().length == 0) {
        return null;
      }
      Expression any = null;
      for (Object v : in.values()) {
        Expression eq = new EqualTo(attribute(c), literal(v, c.dataType()));
        any = any == null ? eq : new Or(any, eq);
      }
      return any;
    }
    if (f instanceof StringStartsWith s) {
      StructField c = column(s.attribute());
      return c == null ? null : new StartsWith(attribute(c), literal(s.value(), c.dataType()));
    }
    if (f instanceof StringEndsWith s) {
      StructField c = column(s.attribute());
      return c == null ? null : new EndsWith(attribute(c), literal(s.value(), c.dataType()));
    }
    if (f instanceof StringContains s) {
      StructField c = column(s.attribute());
      return c == null ? null : new Contains(attribute(c), literal(s.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.EqualTo e) {
      StructField c = column(e.attribute());
      return c == null ? null : new EqualTo(attribute(c), literal(e.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.EqualNullSafe e) {
      StructField c = column(e.attribute());
      return c == null ? null : new EqualNullSafe(attribute(c), literal(e.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.GreaterThan e) {
      StructField c = column(e.attribute());
      return c == null ? null : new GreaterThan(attribute(c), literal(e.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.GreaterThanOrEqual e) {
      StructField c = column(e.attribute());
      return c == null
          ? null
          : new GreaterThanOrEqual(attribute(c), literal(e.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.LessThan e) {
      StructField c = column(e.attribute());
      return c == null ? null : new LessThan(attribute(c), literal(e.value(), c.dataType()));
    }
    if (f instanceof org.apache.spark.sql.sources.LessThanOrEqual e) {
      StructField c = column(e.attribute());
      return c == null ? null : new LessThanOrEqual(attribute(c), literal(e.value(), c.dataType()));
    }
    return null;
  }

  private static Expression both(Expression left, Expression right, boolean and) {
    if (left == null || right == null) {
      return null;
    }
    return and ? new And(left, right) : new Or(left, right);
  }

  /** The partition column a filter names, or null for any other column. */
  private StructField column(String name) {
    boolean caseSensitive = SQLConf.get().caseSensitiveAnalysis();
    for (StructField f : partitionSchema.fields()) {
      if (caseSensitive ? f.name().equals(name) : f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  private static AttributeReference attribute(StructField c) {
    return new AttributeReference(
        c.name(),
        c.dataType(),
        true,
        Metadata.empty(),
        new ExprId(0L, new java.util.UUID(0L, 0L)),
        ScalaCollections.toSeq(List.<String>of()));
  }

  /** The filter's value (a Scala/Java value of Spark's external types) as the column's type. */
  private static Literal literal(Object value, DataType type) {
    return Literal.create(value, type);
  }
}
