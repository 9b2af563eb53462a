package io.github.fastqmmap.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} session of a test JVM, UI off: a session takes seconds to start, so test
 * classes share it. Spark stops it at JVM shutdown.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null) {
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
}
