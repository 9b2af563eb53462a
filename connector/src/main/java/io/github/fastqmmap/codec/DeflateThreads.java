/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that deflate blocks for every writer of a JVM, so that a core whose task has ended
 * helps the tasks still writing ({@link DeflatedBlockOutputStream}). Made once, with the number of
 * threads of the first request; the threads are daemons and keep one deflater per level, library
 * and block size each, for the JVM's life.
 */
final class DeflateThreads {
  private static final System.Logger LOG = System.getLogger(DeflateThreads.class.getName());

  private static volatile DeflateThreads shared;

  private static final ThreadLocal<Map<Kind, BlockDeflater>> DEFLATERS =
      ThreadLocal.withInitial(HashMap::new);

  /** What makes deflaters differ: level, library and block size. */
  private record Kind(int level, boolean libdeflate, int maxInput) {}

  private final ExecutorService pool;
  private final int threads;

  private DeflateThreads(int threads) {
    this.threads = threads;
    AtomicInteger made = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread t = new Thread(task, "fastq-mmap-deflate-" + made.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The JVM's helpers, made on the first call with {@code threads}: an executor's cores less the
   * writing thread.
   */
  static DeflateThreads shared(int threads) {
    DeflateThreads s = shared;
    if (s == null) {
      synchronized (DeflateThreads.class) {
        s = shared;
        if (s == null) {
          s = new DeflateThreads(threads);
          shared = s;
          LOG.log(
              System.Logger.Level.INFO,
              "fastq-mmap: {0} helper thread(s) deflate gzip and BGZF blocks while fewer tasks"
                  + " than this executor''s {1} cores are writing them",
              threads,
              threads + 1);
        }
      }
    }
    return s;
  }

  int threads() {
    return threads;
  }

  <T> Future<T> submit(Callable<T> work) {
    return pool.submit(work);
  }

  /** This deflate thread's deflater for the level, library and block size given. */
  static BlockDeflater deflater(int level, boolean libdeflate, int maxInput) {
    return DEFLATERS
        .get()
        .computeIfAbsent(
            new Kind(level, libdeflate, maxInput),
            k -> BlockDeflater.create(k.level(), k.libdeflate(), k.maxInput()));
  }
}
