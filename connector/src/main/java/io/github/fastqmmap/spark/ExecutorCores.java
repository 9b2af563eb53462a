/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * The cores Spark gave this executor: how many threads may deflate the parts its tasks write, so
 * that a write uses the executor's cores when fewer tasks than cores are left, and never more.
 */
final class ExecutorCores {
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|[0-9]+)(,[0-9]+)?]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*[0-9]+\\s*,\\s*([0-9]+)\\s*,.*]");

  private ExecutorCores() {}

  /** This executor's cores; 1 outside Spark. */
  static int count() {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return 1;
    }
    SparkConf conf = env.conf();
    return count(
        conf.get("spark.master", ""),
        conf.get("spark.executor.cores", null),
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * The cores of an executor of {@code master}: {@code local[N]}'s N, a local cluster's cores per
   * worker, else {@code spark.executor.cores} when set, else Spark's defaults (all of a standalone
   * worker's cores, one on YARN and Kubernetes); at most {@code processors}.
   */
  static int count(String master, String executorCores, int processors) {
    int cores;
    Matcher local = LOCAL.matcher(master);
    Matcher cluster = LOCAL_CLUSTER.matcher(master);
    if (master.equals("local")) {
      cores = 1;
    } else if (local.matches()) {
      cores = local.group(1).equals("*") ? processors : Integer.parseInt(local.group(1));
    } else if (cluster.matches()) {
      cores = Integer.parseInt(cluster.group(1));
    } else if (executorCores != null) {
      cores = Integer.parseInt(executorCores.trim());
    } else if (master.startsWith("spark://")) {
      cores = processors;
    } else {
      cores = 1;
    }
    return Math.max(1, Math.min(cores, processors));
  }
}
