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
 * What the connector needs of a session beyond the public API, for Spark 4: since 4.0 the engine's
 * session and Dataset are {@code org.apache.spark.sql.classic.*}, behind the API classes (the Spark
 * 3.5 build has its own copy of this class). Not part of the connector's API.
 */
final class SparkSessions {
  private SparkSessions() {}

  private static org.apache.spark.sql.classic.SparkSession classic(SparkSession session) {
    return (org.apache.spark.sql.classic.SparkSession) session;
  }

  /** The session's state: its SQL configuration and Hadoop configuration. */
  public static SessionState sessionState(SparkSession session) {
    return classic(session).sessionState();
  }

  /** State shared by the application's sessions, such as the SQL status store. */
  public static SharedState sharedState(SparkSession session) {
    return classic(session).sharedState();
  }

  /** The parallelism Spark gives a leaf node without its own (file sources' packing). */
  public static int leafNodeDefaultParallelism(SparkSession session) {
    return classic(session).leafNodeDefaultParallelism();
  }

  /** The analyzed logical plan of a Dataset. */
  public static LogicalPlan analyzed(Dataset<?> data) {
    return ((org.apache.spark.sql.classic.Dataset<?>) data).queryExecution().analyzed();
  }
}
