/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.examples.FastqQc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The QC example with the test's instrumentation in front of it, as the application that {@link
 * SparkSubmitQcIT} submits: {@code QcWithDiagnostics DIAGNOSTICS_TSV [FastqQc arguments]}. It first
 * scans the same inputs with the same read options once for {@link QcDiagnostics} (written to
 * DIAGNOSTICS_TSV, and its driver line printed, so that a cluster-mode driver's stdout can be told
 * apart), then runs {@link FastqQc#main} in the same session, which stops it.
 */
public final class QcWithDiagnostics {
  private QcWithDiagnostics() {}

  public static void main(String[] argv) throws Exception {
    Path tsv = Paths.get(argv[0]);
    String[] qcArgs = Arrays.copyOfRange(argv, 1, argv.length);
    List<String> paths = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < qcArgs.length; i++) {
      String a = qcArgs[i];
      if (a.equals("--option")) {
        String[] kv = qcArgs[++i].split("=", 2);
        options.put(kv[0], kv[1]);
      } else if (a.startsWith("--")) {
        if (!a.equals("--merge") && !a.equals("--per-file")) {
          i++; // the flag's value
        }
      } else {
        paths.add(a);
      }
    }
    SparkSession.Builder builder = SparkSession.builder().appName("fastq-mmap QC diagnostics");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    QcDiagnostics d = QcDiagnostics.collect(spark, paths, options);
    Files.createDirectories(tsv.toAbsolutePath().getParent());
    Files.writeString(tsv, d.tsv(), StandardCharsets.UTF_8);
    System.out.println("diagnostics: driver: pid " + d.driverPid + ", written to " + tsv);
    FastqQc.main(qcArgs);
  }
}
