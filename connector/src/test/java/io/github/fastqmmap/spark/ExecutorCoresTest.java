/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cores that may deflate an executor's parts: Spark's own count for each master. */
class ExecutorCoresTest {
  @Test
  void localModeHasTheThreadsOfItsMaster() {
    assertThat(ExecutorCores.count("local", null, 8)).isEqualTo(1);
    assertThat(ExecutorCores.count("local[2]", null, 8)).isEqualTo(2);
    assertThat(ExecutorCores.count("local[*]", null, 8)).isEqualTo(8);
    assertThat(ExecutorCores.count("local[3,4]", null, 8)).isEqualTo(3);
    assertThat(ExecutorCores.count("local[*,2]", null, 6)).isEqualTo(6);
    // The master wins over spark.executor.cores, which local mode ignores.
    assertThat(ExecutorCores.count("local[2]", "6", 8)).isEqualTo(2);
  }

  @Test
  void aLocalClusterHasTheCoresOfEachWorker() {
    assertThat(ExecutorCores.count("local-cluster[2, 3, 1024]", null, 8)).isEqualTo(3);
    assertThat(ExecutorCores.count("local-cluster[1,1,512]", null, 8)).isEqualTo(1);
  }

  @Test
  void clustersHaveSparkExecutorCoresOrSparksDefault() {
    assertThat(ExecutorCores.count("spark://host:7077", "4", 16)).isEqualTo(4);
    assertThat(ExecutorCores.count("yarn", " 3 ", 16)).isEqualTo(3);
    assertThat(ExecutorCores.count("k8s://https://api:6443", "2", 16)).isEqualTo(2);
    // Unset: a standalone executor takes all of its worker's cores; YARN and Kubernetes give one.
    assertThat(ExecutorCores.count("spark://host:7077", null, 16)).isEqualTo(16);
    assertThat(ExecutorCores.count("yarn", null, 16)).isEqualTo(1);
    assertThat(ExecutorCores.count("k8s://https://api:6443", null, 16)).isEqualTo(1);
  }

  @Test
  void neverMoreThanTheMachineHasNorFewerThanOne() {
    assertThat(ExecutorCores.count("local[64]", null, 2)).isEqualTo(2);
    assertThat(ExecutorCores.count("yarn", "32", 4)).isEqualTo(4);
    assertThat(ExecutorCores.count("yarn", "0", 4)).isEqualTo(1);
    assertThat(ExecutorCores.count("", null, 4)).isEqualTo(1);
  }
}
