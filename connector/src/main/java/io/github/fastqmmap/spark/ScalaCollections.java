/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import scala.jdk.javaapi.CollectionConverters;

/**
 * The only place that converts between Java and Scala collections, so that the code builds against
 * one Scala version by changing this class alone: {@code scala.jdk.javaapi.CollectionConverters}
 * and {@code Map.from} exist in Scala 2.13 only (Spark 4); Scala 2.12 (Spark 3.5) has {@code
 * scala.collection.JavaConverters} instead.
 */
final class ScalaCollections {
  private ScalaCollections() {}

  /** An immutable Scala copy of {@code map}, as Scala APIs taking a {@code Map} expect. */
  static <K, V> scala.collection.immutable.Map<K, V> toScalaImmutableMap(java.util.Map<K, V> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }

  /** A Java view of a Scala map. */
  static <K, V> java.util.Map<K, V> asJava(scala.collection.Map<K, V> map) {
    return CollectionConverters.asJava(map);
  }

  /** A Java view of a Scala sequence. */
  static <T> java.util.List<T> asJava(scala.collection.Seq<T> seq) {
    return CollectionConverters.asJava(seq);
  }
}
