/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a QC result to a folder: {@code report.html} with its PNG plots (see {@link QcCharts}),
 * and {@code qc-summary.tsv} with every number of the report. Both depend only on the data, never
 * on where or how it was computed, so runs on different clusters can be compared file to file.
 */
public final class QcReport {
  public static final String HTML = "report.html";
  public static final String SUMMARY_TSV = "qc-summary.tsv";

  private QcReport() {}

  /** Writes the report files into {@code dir} (created if needed). */
  public static void write(Path dir, List<String> paths, QcStats s, Duplication d)
      throws IOException {
    write(dir, paths, s, d, null, null);
  }

  /**
   * Writes the report; with {@code all} (FastQC's modules over all inputs, as {@link FastqcJob}
   * computes them) it also holds FastQC's modules with their plots.
   */
  public static void write(
      Path dir,
      List<String> paths,
      QcStats s,
      Duplication d,
      FastqcJob.Sample all,
      FastqcConfig cfg)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(SUMMARY_TSV), summaryTsv(s, d), StandardCharsets.UTF_8);
    QcCharts.writeAll(dir, s);
    String modules = all == null ? "" : FastqcHtml.write(dir, all, cfg);
    Files.writeString(dir.resolve(HTML), html(paths, s, d, modules), StandardCharsets.UTF_8);
  }

  /** Every number of the report as tab-separated lines: section, key, values. */
  public static String summaryTsv(QcStats s, Duplication d) {
    StringBuilder t = new StringBuilder("# fastq-mmap QC summary: section, key, values\n");
    line(t, "summary", "reads", s.reads());
    line(t, "summary", "bases", s.bases());
    line(t, "summary", "gc_bases", s.gcBases());
    line(t, "summary", "n_bases", s.nBases());
    line(t, "summary", "gc_percent", fmt("%.4f", s.gcPercent()));
    line(t, "summary", "n_percent", fmt("%.4f", s.nPercent()));
    line(t, "summary", "mean_read_quality", fmt("%.6f", s.meanReadQuality()));
    line(t, "summary", "min_length", s.minLength());
    line(t, "summary", "mean_length", fmt("%.4f", s.meanLength()));
    line(t, "summary", "max_length", s.maxLength());
    line(t, "summary", "distinct_sequences", d.distinctSequences());
    line(
        t,
        "summary",
        "duplicate_percent",
        fmt("%.4f", FastqQc.duplicatePercent(s.reads(), d.distinctSequences())));
    for (Map.Entry<Long, Long> e : s.lengthCounts().entrySet()) {
      line(t, "length", e.getKey(), e.getValue());
    }
    long[] gc = s.gcContentCounts();
    for (int i = 0; i < gc.length; i++) {
      if (gc[i] > 0) {
        line(t, "gc_content_percent", i, gc[i]);
      }
    }
    long[] mq = s.meanQualityCounts();
    for (int i = 0; i < mq.length; i++) {
      if (mq[i] > 0) {
        line(t, "mean_quality", i, mq[i]);
      }
    }
    t.append("# position_quality: cycles, mean, p10, q1, median, q3, p90, bases\n");
    for (int b = 0; b < s.positionBuckets(); b++) {
      QcStats.QualityDistribution q = s.positionQuality(b);
      line(
          t,
          "position_quality",
          cycles(b),
          fmt("%.4f", q.mean()),
          q.percentile(10),
          q.percentile(25),
          q.percentile(50),
          q.percentile(75),
          q.percentile(90),
          q.total());
    }
    for (Map.Entry<Long, Long> e : d.levels().entrySet()) {
      line(t, "duplication_level", e.getKey(), e.getValue());
    }
    int rank = 1;
    for (Duplication.SequenceCount c : d.top()) {
      line(t, "top_sequence", rank++, c.count, c.sequence);
    }
    return t.toString();
  }

  /** "12" for one cycle, "1001-2000" for a group of cycles. */
  static String cycles(int bucket) {
    long first = QcStats.bucketFirstCycle(bucket);
    long last = QcStats.bucketLastCycle(bucket);
    if (first == last) {
      return Long.toString(first);
    }
    return last == Long.MAX_VALUE ? first + "-" : first + "-" + last;
  }

  private static void line(StringBuilder t, Object... fields) {
    for (int i = 0; i < fields.length; i++) {
      t.append(i == 0 ? "" : "\t").append(fields[i]);
    }
    t.append('\n');
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String html(List<String> paths, QcStats s, Duplication d) {
    return html(paths, s, d, "");
  }

  /** The report, with {@code modules} (HTML) before its footer. */
  static String html(List<String> paths, QcStats s, Duplication d, String modules) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>fastq-mmap QC report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}\n")
        .append("td,th{border:1px solid #ccc;padding:0.2em 0.6em;text-align:right}\n")
        .append("th{background:#eee}td.l,th.l{text-align:left}\n")
        .append("code,td.seq{font-family:monospace;word-break:break-all;text-align:left}\n")
        .append("img{max-width:100%;border:1px solid #ddd}\n")
        .append("span.pass{color:#1a7f1a}span.warn{color:#b36b00}span.fail{color:#c01818}\n")
        .append("</style>\n</head>\n<body>\n<h1>fastq-mmap QC report</h1>\n<p>Input: ");
    for (int i = 0; i < paths.size(); i++) {
      h.append(i == 0 ? "" : ", ").append("<code>").append(escape(paths.get(i))).append("</code>");
    }
    h.append("</p>\n<h2 id=\"summary\">Summary</h2>\n<table>\n");
    row(h, "reads", fmt("%,d", s.reads()));
    row(h, "bases", fmt("%,d", s.bases()));
    row(h, "GC %", fmt("%.2f", s.gcPercent()));
    row(h, "N %", fmt("%.3f", s.nPercent()));
    row(h, "mean read quality (Phred)", fmt("%.2f", s.meanReadQuality()));
    row(
        h,
        "read length min / mean / max",
        fmt("%d / %.1f / %d", s.minLength(), s.meanLength(), s.maxLength()));
    row(h, "distinct sequences", fmt("%,d", d.distinctSequences()));
    row(
        h,
        "duplicate reads %",
        fmt("%.2f", FastqQc.duplicatePercent(s.reads(), d.distinctSequences())));
    h.append("</table>\n");

    h.append("<h2 id=\"per-position-quality\">Per-position quality</h2>\n")
        .append("<p>Phred quality at each cycle: yellow box from the lower to the upper quartile,")
        .append(" red line at the median, whiskers from the 10th to the 90th percentile, blue line")
        .append(" through the means (as FastQC draws it).</p>\n");
    img(h, QcCharts.PER_POSITION_QUALITY, "per-position quality box plot");
    h.append("<details><summary>Table</summary>\n<table>\n<tr><th>cycle</th><th>mean</th>")
        .append("<th>10th pct</th><th>lower quartile</th><th>median</th><th>upper quartile</th>")
        .append("<th>90th pct</th><th>bases</th></tr>\n");
    for (int b = 0; b < s.positionBuckets(); b++) {
      QcStats.QualityDistribution q = s.positionQuality(b);
      h.append("<tr><td>")
          .append(cycles(b))
          .append("</td><td>")
          .append(fmt("%.2f", q.mean()))
          .append("</td><td>")
          .append(q.percentile(10))
          .append("</td><td>")
          .append(q.percentile(25))
          .append("</td><td>")
          .append(q.percentile(50))
          .append("</td><td>")
          .append(q.percentile(75))
          .append("</td><td>")
          .append(q.percentile(90))
          .append("</td><td>")
          .append(fmt("%,d", q.total()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</details>\n");

    h.append("<h2 id=\"length\">Read length distribution</h2>\n");
    img(h, QcCharts.LENGTH_DISTRIBUTION, "read length histogram");
    h.append("<h2 id=\"gc\">GC content per read</h2>\n")
        .append("<p>Reads by the GC share of their A/C/G/T bases, with the normal distribution of")
        .append(" the same mean and standard deviation for comparison.</p>\n");
    img(h, QcCharts.GC_CONTENT, "GC content distribution");
    h.append("<h2 id=\"mean-quality\">Mean quality per read</h2>\n");
    img(h, QcCharts.MEAN_QUALITY, "per-read mean quality distribution");

    h.append("<h2 id=\"duplication\">Sequence duplication</h2>\n<p>")
        .append(fmt("%,d", d.distinctSequences()))
        .append(" distinct sequences in ")
        .append(fmt("%,d", s.reads()))
        .append(" reads: ")
        .append(fmt("%.2f", FastqQc.duplicatePercent(s.reads(), d.distinctSequences())))
        .append(" % of the reads repeat an earlier read (counted exactly over all reads).</p>\n");
    h.append("<table>\n<tr><th>occurrences</th><th>distinct sequences</th></tr>\n");
    for (Map.Entry<Long, Long> e : d.levels().entrySet()) {
      h.append("<tr><td>")
          .append(e.getKey())
          .append("</td><td>")
          .append(fmt("%,d", e.getValue()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (d.top().isEmpty()) {
      h.append("<p>No sequence occurs more than once.</p>\n");
    } else {
      h.append("<h3>Most frequent sequences</h3>\n<table>\n")
          .append("<tr><th>rank</th><th>reads</th><th>% of reads</th>")
          .append("<th class=\"l\">sequence</th></tr>\n");
      int rank = 1;
      for (Duplication.SequenceCount c : d.top()) {
        h.append("<tr><td>")
            .append(rank++)
            .append("</td><td>")
            .append(fmt("%,d", c.count))
            .append("</td><td>")
            .append(fmt("%.3f", s.reads() == 0 ? 0 : 100.0 * c.count / s.reads()))
            .append("</td><td class=\"seq\">")
            .append(escape(c.sequence))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append(modules);
    h.append("<p><small>Written by the fastq-mmap QC example; plots drawn with JFreeChart.")
        .append(" Every number is also in <a href=\"")
        .append(SUMMARY_TSV)
        .append("\">")
        .append(SUMMARY_TSV)
        .append("</a>.</small></p>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th class=\"l\">")
        .append(escape(key))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  private static void img(StringBuilder h, String file, String alt) {
    h.append("<p><img src=\"").append(file).append("\" alt=\"").append(alt).append("\"></p>\n");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '&':
          out.append("&amp;");
          break;
        case '"':
          out.append("&quot;");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
