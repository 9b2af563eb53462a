/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} session of a test JVM, UI off: a session takes seconds to start, so test
 * classes share it. Spark stops it at JVM shutdown. A test that needs a session of its own (another
 * master) calls {@link #stop()} first, since a JVM holds one SparkContext at a time; the next
 * {@link #get()} starts a new shared session.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("fastq-mmap tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /** Stops the shared session, if one runs, and clears Spark's active and default sessions. */
  public static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
