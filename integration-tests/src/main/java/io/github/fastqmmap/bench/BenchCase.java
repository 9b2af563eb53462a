/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cases the read benchmark times, and how each one's answer is checked against the truth. */
enum BenchCase {
  /**
   * All four columns built: count(name) and the octet lengths of name, comment, sequence, quality.
   */
  FASTQ_ALL("fastq-all", "fastq-mmap, all four columns", true, false),
  /** {@code count()}: answered by the pushed-down COUNT(*) inside the scan. */
  FASTQ_COUNT("fastq-count", "fastq-mmap count()", true, false),
  /** {@code select("sequence")}: count and sum of octet_length(sequence). */
  FASTQ_SEQUENCE("fastq-sequence", "fastq-mmap, sequence only", true, false),
  /** {@code spark.read.text(path).count()}: lines. */
  TEXT_COUNT("text-count", "spark.read.text().count()", false, true),
  /** {@code spark.read.text(path)}: count and sum of octet_length(value). */
  TEXT_BYTES("text-bytes", "spark.read.text() sum(octet_length(value))", false, true),
  /**
   * Hadoop-BAM's FastqInputFormat through newAPIHadoopFile: records and sum of sequence lengths.
   */
  HADOOP_BAM("hadoop-bam", "Hadoop-BAM FastqInputFormat", false, true),
  /** {@code seqkit stats -j <cores>} (a process, not Spark): records and bases. */
  SEQKIT_STATS("seqkit-stats", "seqkit stats", false, true),
  /** {@code samtools import | samtools stats} (htslib, processes): records and bases. */
  SAMTOOLS_IMPORT("samtools-import", "samtools import | stats (htslib)", false, true);

  private final String id;
  private final String label;
  private final boolean fastqMmap;
  private final boolean peer;

  BenchCase(String id, String label, boolean fastqMmap, boolean peer) {
    this.id = id;
    this.label = label;
    this.fastqMmap = fastqMmap;
    this.peer = peer;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  /** Whether the case reads through fastq-mmap (and so has scan metrics). */
  boolean fastqMmap() {
    return fastqMmap;
  }

  /** Whether the case is another reader the connector is compared with. */
  boolean peer() {
    return peer;
  }

  /**
   * Whether a wrong answer is a failure of the harness or the connector (everything but the peers
   * outside Spark's own readers: Hadoop-BAM's wrong answers on long reads, and a command-line tool
   * that is missing, are reported, not hidden and not fatal).
   */
  boolean mustBeExact() {
    return fastqMmap || this == TEXT_COUNT || this == TEXT_BYTES;
  }

  static BenchCase fromId(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (BenchCase c : values()) {
      if (c.id.equals(v) || c.name().equalsIgnoreCase(v)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown case '" + value + "'; cases: " + ids());
  }

  static String ids() {
    List<String> ids = new ArrayList<>();
    for (BenchCase c : values()) {
      ids.add(c.id);
    }
    return String.join(",", ids);
  }

  /**
   * Compares an answer with the truth; returns what differs, empty when exact. Answers use the keys
   * {@code records, bases, nameBytes, commentBytes, qualityBytes, lines, lineBytes} and, for
   * fastq-mmap, {@code metric.records, metric.bases} from the scan's SQL metrics.
   */
  List<String> check(Map<String, Long> answer, Truth truth) {
    List<String> problems = new ArrayList<>();
    switch (this) {
      case FASTQ_ALL:
        expect(problems, answer, "records", truth.records);
        expect(problems, answer, "nameBytes", truth.nameBytes);
        expect(problems, answer, "commentBytes", truth.commentBytes);
        expect(problems, answer, "bases", truth.bases);
        expect(problems, answer, "qualityBytes", truth.bases);
        expect(problems, answer, "metric.records", truth.records);
        expect(problems, answer, "metric.bases", truth.bases);
        break;
      case FASTQ_COUNT:
        expect(problems, answer, "records", truth.records);
        expect(problems, answer, "metric.records", truth.records);
        expect(problems, answer, "metric.bases", truth.bases);
        break;
      case FASTQ_SEQUENCE:
        expect(problems, answer, "records", truth.records);
        expect(problems, answer, "bases", truth.bases);
        expect(problems, answer, "metric.records", truth.records);
        expect(problems, answer, "metric.bases", truth.bases);
        break;
      case TEXT_COUNT:
        expect(problems, answer, "lines", truth.lines);
        break;
      case TEXT_BYTES:
        expect(problems, answer, "lines", truth.lines);
        expect(problems, answer, "lineBytes", truth.lineBytes);
        break;
      case SEQKIT_STATS:
      case SAMTOOLS_IMPORT:
        expect(problems, answer, "records", truth.records);
        expect(problems, answer, "bases", truth.bases);
        break;
      case HADOOP_BAM:
        expect(problems, answer, "records", truth.records);
        expect(problems, answer, "bases", truth.bases);
        Long bases = answer.get("bases");
        if (bases != null
            && bases != truth.bases
            && bases == truth.basesCutAtHadoopBamLimit
            && truth.readsOverHadoopBamLimit > 0) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "every read longer than %,d bp was cut to %,d bp without an error:"
                      + " %,d of %,d reads, %,d bases (%.1f %%) lost",
                  Truth.HADOOP_BAM_MAX_LINE,
                  Truth.HADOOP_BAM_MAX_LINE,
                  truth.readsOverHadoopBamLimit,
                  truth.records,
                  truth.bases - bases,
                  100.0 * (truth.bases - bases) / truth.bases));
        }
        break;
      default:
        throw new AssertionError(this);
    }
    return problems;
  }

  private static void expect(List<String> problems, Map<String, Long> answer, String key, long v) {
    Long got = answer.get(key);
    if (got == null) {
      problems.add(key + " missing (expected " + String.format(Locale.ROOT, "%,d", v) + ")");
    } else if (got != v) {
      problems.add(
          String.format(
              Locale.ROOT,
              "%s %,d, expected %,d (%+,d)",
              key,
              got.longValue(),
              v,
              got.longValue() - v));
    }
  }
}
