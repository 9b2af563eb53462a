/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.internal.SessionState;
import org.apache.spark.sql.internal.SharedState;

/**
 * What the connector needs of a session beyond the public API, for Spark 3.5, where {@code
 * SparkSession} and {@code Dataset} are the engine's own classes (Spark 4 moved those to {@code
 * org.apache.spark.sql.classic}; the Spark 4 build has its own copy of this class). Not part of the
 * connector's API.
 */
final class SparkSessions {
  private SparkSessions() {}

  /** The session's state: its SQL configuration and Hadoop configuration. */
  public static SessionState sessionState(SparkSession session) {
    return session.sessionState();
  }

  /** State shared by the application's sessions, such as the SQL status store. */
  public static SharedState sharedState(SparkSession session) {
    return session.sharedState();
  }

  /** The parallelism Spark gives a leaf node without its own (file sources' packing). */
  public static int leafNodeDefaultParallelism(SparkSession session) {
    return session.leafNodeDefaultParallelism();
  }

  /** The analyzed logical plan of a Dataset. */
  public static LogicalPlan analyzed(Dataset<?> data) {
    return data.queryExecution().analyzed();
  }
}
