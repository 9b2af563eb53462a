/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Stops scan tasks at a known point: a filter UDF that passes every row and, from the {@code n}th
 * row on (counted over all tasks), blocks until the test releases it. While tasks wait there, their
 * readers are open with their windows mapped, so a test can change the file under them or cancel
 * the job. Works in local mode only (the UDF and the test share static state). One gate per JVM;
 * tests that use it must not run concurrently.
 */
final class TaskGate {
  private static volatile CountDownLatch reached = new CountDownLatch(0);
  private static volatile CountDownLatch released = new CountDownLatch(0);
  private static final AtomicLong SEEN = new AtomicLong();
  private static volatile long blockFrom = Long.MAX_VALUE;

  private TaskGate() {}

  /** Arms the gate: rows from the {@code n}th on block until {@link #release()}. */
  static void arm(long n) {
    SEEN.set(0);
    reached = new CountDownLatch(1);
    released = new CountDownLatch(1);
    blockFrom = n;
  }

  /** A boolean UDF over any long column ({@code _offset}) that is always true. */
  static UserDefinedFunction udf() {
    UDF1<Long, Boolean> pass =
        offset -> {
          if (SEEN.incrementAndGet() >= blockFrom) {
            reached.countDown();
            released.await(); // interrupted when the task is killed
          }
          return true;
        };
    return functions.udf(pass, DataTypes.BooleanType).asNondeterministic();
  }

  /** Waits until a task blocks at the gate. */
  static void awaitReached(Duration timeout) throws InterruptedException {
    if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("no task reached the gate in " + timeout);
    }
  }

  /** Lets blocked and later rows through, and disarms the gate. */
  static void release() {
    blockFrom = Long.MAX_VALUE;
    released.countDown();
  }
}
