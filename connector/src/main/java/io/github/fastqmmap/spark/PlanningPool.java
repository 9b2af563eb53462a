/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Runs the driver's file-system calls of planning (listing directories, block locations, reading
 * first bytes) in parallel when there are many, with Spark's settings: more than {@code
 * spark.sql.sources.parallelPartitionDiscovery.threshold} calls at once go to a pool of at most
 * {@code spark.sql.sources.parallelPartitionDiscovery.parallelism} threads (and {@link
 * #MAX_THREADS}).
 *
 * <p>Spark's own file index lists in a Spark job instead. A driver pool is used here because these
 * calls wait on the file system (a NameNode RPC, an object-store request), not on CPU, and a job
 * would first need executors: under dynamic allocation none may exist yet when a query is planned,
 * and each listing would pay task scheduling and the shipping of the Hadoop configuration.
 */
final class PlanningPool {
  /**
   * The most threads, whatever {@code parallelism} says (its default is 10,000, sized for tasks):
   * enough to hide a NameNode's or object store's latency without exhausting the client's
   * connections (S3A's {@code fs.s3a.connection.maximum} defaults to 96 or more).
   */
  static final int MAX_THREADS = 64;

  /** One call of planning; its exceptions are those the caller would have thrown. */
  @FunctionalInterface
  interface Call<T, R> {
    R apply(T item) throws IOException;
  }

  private final int threshold;
  private final int parallelism;

  PlanningPool(int threshold, int parallelism) {
    this.threshold = threshold;
    this.parallelism = parallelism;
  }

  /** The pool the session's settings describe (Spark's defaults without a session). */
  static PlanningPool ofSession() {
    SQLConf conf = SQLConf.get();
    return new PlanningPool(
        conf.parallelPartitionDiscoveryThreshold(), conf.parallelPartitionDiscoveryParallelism());
  }

  /** Calls one at a time: what a threshold that is never exceeded gives. */
  static PlanningPool serial() {
    return new PlanningPool(Integer.MAX_VALUE, 1);
  }

  /**
   * {@code call} applied to every item, results in the items' order. With more items than the
   * threshold they run in parallel; the exception thrown is then the one of the first item (in
   * order) that failed, as a serial run would throw it.
   */
  <T, R> List<R> map(List<T> items, Call<T, R> call) throws IOException {
    int threads = Math.min(Math.min(items.size(), Math.max(1, parallelism)), MAX_THREADS);
    if (items.size() <= threshold || threads <= 1) {
      List<R> results = new ArrayList<>(items.size());
      for (T item : items) {
        results.add(call.apply(item));
      }
      return results;
    }
    // The calls run as the planning user, as Hadoop's client checks permissions (and Kerberos
    // tickets) through the current UserGroupInformation, which pool threads do not inherit.
    UserGroupInformation user = UserGroupInformation.getCurrentUser();
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(
            pool.submit(() -> user.doAs((PrivilegedExceptionAction<R>) () -> call.apply(item))));
      }
      List<R> results = new ArrayList<>(items.size());
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while planning", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.lang.reflect.UndeclaredThrowableException u) {
        cause = u.getCause(); // doAs wraps what the action threw
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fastq-mmap-planning-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
