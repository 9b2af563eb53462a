/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.TaskInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Scala collections seen from Java, for Scala 2.13 (the Scala 2.12 build has its own copy of this
 * class, on {@code scala.collection.JavaConverters}). The shared sources call only these methods,
 * so that they compile unchanged against either Scala; not part of the connector's API.
 */
public final class ScalaCollections {
  private ScalaCollections() {}

  /** A view of a Scala sequence as a Java list. */
  public static <T> List<T> asJava(scala.collection.Seq<T> seq) {
    return CollectionConverters.asJava(seq);
  }

  /** A view of a Scala map as a Java map. */
  public static <K, V> Map<K, V> asJava(scala.collection.Map<K, V> map) {
    return CollectionConverters.asJava(map);
  }

  /** A copy of a Java list as the Seq that Spark's Scala methods take. */
  public static <T> scala.collection.immutable.Seq<T> toSeq(List<T> list) {
    return CollectionConverters.asScala(list).toSeq();
  }

  /** A copy of a Java set as an immutable Scala set. */
  public static <T> scala.collection.immutable.Set<T> toSet(java.util.Set<T> set) {
    return scala.collection.immutable.Set.from(CollectionConverters.asScala(set));
  }

  /** A copy of a Java map as an immutable Scala map (Spark's options). */
  public static <K, V> scala.collection.immutable.Map<K, V> toScalaImmutableMap(Map<K, V> map) {
    return scala.collection.immutable.Map.from(CollectionConverters.asScala(map));
  }

  /**
   * The stages of a starting job. Spark's own accessor returns a Scala Seq, whose class differs
   * between Scala 2.12 and 2.13, so code built once for every line (the examples) asks here.
   */
  public static List<Integer> stageIds(SparkListenerJobStart jobStart) {
    List<Integer> out = new java.util.ArrayList<>();
    for (Object id : asJava(jobStart.stageIds())) {
      out.add((Integer) id);
    }
    return out;
  }

  /** The accumulator updates a task sent back (see {@link #stageIds}). */
  public static List<AccumulableInfo> accumulables(TaskInfo task) {
    return asJava(task.accumulables());
  }
}
