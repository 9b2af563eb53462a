/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The {@code diagnostics.tsv} that the QC job writes with {@code --diagnostics}. */
final class QcDiagnostics {
  long driverPid;
  String driverExecutorId;
  String master;
  String applicationId;
  final List<Partition> partitions = new ArrayList<>();

  /** accumulator name -> executor id -> value. */
  final Map<String, Map<String, Long>> accumulators = new TreeMap<>();

  final Map<String, Long> sqlMetrics = new TreeMap<>();

  /** One partition of the statistics pass and the JVM that read it. */
  static final class Partition {
    final int index;
    final String executorId;
    final long pid;
    final long reads;
    final long bases;

    Partition(int index, String executorId, long pid, long reads, long bases) {
      this.index = index;
      this.executorId = executorId;
      this.pid = pid;
      this.reads = reads;
      this.bases = bases;
    }
  }

  static QcDiagnostics read(Path file) throws IOException {
    QcDiagnostics d = new QcDiagnostics();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      switch (f[0]) {
        case "driver":
          if (f[1].equals("pid")) {
            d.driverPid = Long.parseLong(f[2]);
          } else if (f[1].equals("executorId")) {
            d.driverExecutorId = f[2];
          } else if (f[1].equals("master")) {
            d.master = f[2];
          } else if (f[1].equals("applicationId")) {
            d.applicationId = f[2];
          }
          break;
        case "partition":
          d.partitions.add(
              new Partition(
                  Integer.parseInt(f[1]),
                  f[2],
                  Long.parseLong(f[3]),
                  Long.parseLong(f[4]),
                  Long.parseLong(f[5])));
          break;
        case "accumulator":
          d.accumulators
              .computeIfAbsent(f[1], k -> new TreeMap<>())
              .put(f[2], Long.parseLong(f[3]));
          break;
        case "sqlMetric":
          d.sqlMetrics.put(f[1], Long.parseLong(f[2]));
          break;
        default:
          throw new IOException(file + ": unexpected line " + line);
      }
    }
    return d;
  }

  Set<Long> readerPids() {
    Set<Long> pids = new TreeSet<>();
    partitions.forEach(p -> pids.add(p.pid));
    return pids;
  }

  Set<String> readerExecutors() {
    Set<String> ids = new TreeSet<>();
    partitions.forEach(p -> ids.add(p.executorId));
    return ids;
  }

  long accumulatorTotal(String name) {
    return accumulators.getOrDefault(name, Map.of()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
