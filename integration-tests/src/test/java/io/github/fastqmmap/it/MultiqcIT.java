/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.fastqmmap.examples.FastqQc;
import io.github.fastqmmap.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's two commands: the QC job over several samples writes FastQC-format reports, and
 * MultiQC (Debian's {@code multiqc}) aggregates them. MultiQC's own table ({@code
 * multiqc_data/multiqc_fastqc.txt}) must name every sample with its true read count and %GC.
 */
class MultiqcIT {

  @Test
  @Timeout(600)
  void multiqcFindsEverySampleWithItsTotals() throws Exception {
    assumeThat(FastqcConformanceIT.onPath("multiqc"))
        .as("multiqc (Debian package multiqc) on PATH")
        .isTrue();
    Path work = ItEnv.workDir("multiqc");
    Map<String, Long> expectedReads = new HashMap<>();
    List<String> paths = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path f = work.resolve("sample" + i + ".fastq");
      FastqData.generate(f, 100 + i, 1_000 * i);
      expectedReads.put("sample" + i, 1_000L * i);
      paths.add(f.toString());
    }
    Path bundled = ItEnv.dataDir().resolve("sample.fastq");
    paths.add(bundled.toString());
    expectedReads.put("sample", 2_000L);

    Path out = work.resolve("qc");
    List<String> args = new ArrayList<>(List.of("--report", "fastqc", "--out", out.toString()));
    args.addAll(paths);
    // The job's command line, run in this JVM's shared session (main would stop it).
    FastqQc.execute(SparkTestSession.get(), args.toArray(new String[0]));

    Path mq = work.resolve("multiqc");
    FastqcConformanceIT.run(
        work,
        work.resolve("multiqc.log"),
        "multiqc",
        "-q",
        "-f",
        "-o",
        mq.toString(),
        out.toString());
    List<String> table =
        Files.readAllLines(
            mq.resolve("multiqc_data").resolve("multiqc_fastqc.txt"), StandardCharsets.UTF_8);
    List<String> header = List.of(table.get(0).split("\t"));
    int sampleCol = header.indexOf("Sample");
    int totalCol = header.indexOf("Total Sequences");
    int gcCol = header.indexOf("%GC");
    assertThat(sampleCol).isGreaterThanOrEqualTo(0);
    assertThat(totalCol).isGreaterThanOrEqualTo(0);
    Map<String, Long> found = new HashMap<>();
    for (String line : table.subList(1, table.size())) {
      String[] f = line.split("\t");
      found.put(f[sampleCol], (long) Double.parseDouble(f[totalCol]));
      String ours =
          Files.readString(out.resolve(f[sampleCol] + "_fastqc").resolve("fastqc_data.txt"));
      assertThat(ours).contains("%GC\t" + (long) Double.parseDouble(f[gcCol]) + "\n");
    }
    assertThat(found).isEqualTo(expectedReads);
  }
}
