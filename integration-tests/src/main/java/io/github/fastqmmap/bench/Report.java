/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders the benchmark's results as Markdown: the table, the checks and the targets. */
final class Report {
  private static final String DASH = "—";

  private final List<Result> cases = new ArrayList<>();
  private final Map<String, Result> infoByMode = new LinkedHashMap<>();
  private final Map<String, BenchData.DataFile> files;

  Report(List<Result> results, Map<String, BenchData.DataFile> files) {
    this.files = files;
    for (Result r : results) {
      if ("info".equals(r.get("type"))) {
        infoByMode.put(r.get("mode"), r);
      } else if ("case".equals(r.get("type"))) {
        cases.add(r);
      }
    }
  }

  List<Result> cases() {
    return cases;
  }

  /** Cases that must be exact but are not (wrong answers or failures). */
  List<Result> harnessFailures() {
    List<Result> bad = new ArrayList<>();
    for (Result r : cases) {
      if (BenchCase.fromId(r.get("case")).mustBeExact() && !Result.OK.equals(r.get("status"))) {
        bad.add(r);
      }
    }
    return bad;
  }

  private Result find(String mode, String file, BenchCase c) {
    for (Result r : cases) {
      if (r.get("mode").equals(mode)
          && r.get("file").equals(file)
          && r.get("case").equals(c.id())
          && !r.has("sweep")) {
        return r;
      }
    }
    return null;
  }

  private static boolean timed(Result r) {
    return r != null && !Result.FAILED.equals(r.get("status")) && r.has("median");
  }

  private static double gbPerSecond(Result r) {
    return r.getLong("bytes", 0) / r.getDouble("median", Double.NaN) / 1e9;
  }

  private static int cores(String mode) {
    String digits = mode.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(digits);
  }

  /** The labels of one kind's files, in their order (one per page-cache state). */
  private List<String> labels(BenchData.Kind kind) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, BenchData.DataFile> e : files.entrySet()) {
      if (e.getValue().kind == kind) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * The 150 bp file in the warm state where fastq-mmap's count() was slowest in this mode: the
   * headline, since users read files as they find them in the cache. Null without states.
   */
  String worstWarm(String mode) {
    String worst = null;
    double slowest = -1;
    for (String label : labels(BenchData.Kind.ILLUMINA)) {
      BenchData.DataFile f = files.get(label);
      Result r = find(mode, label, BenchCase.FASTQ_COUNT);
      if (f.state != null && f.state.warm() && timed(r) && r.getDouble("median", 0) > slowest) {
        slowest = r.getDouble("median", 0);
        worst = label;
      }
    }
    return worst;
  }

  /** The main table, one row per file, case and mode. */
  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| data | case | mode | median s | GB/s | M records/s | vs Hadoop-BAM | vs text().count()"
            + " | CPU cores busy | GC ms | peak RSS MiB | peak mapped MiB | heap B/record"
            + " | faults minor/major (scan) | faults minor/major (process) | answer |\n");
    b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    Set<String> modes = modes();
    for (String file : files.keySet()) {
      for (BenchCase c : BenchCase.values()) {
        for (String mode : modes) {
          Result r = find(mode, file, c);
          if (r == null) {
            continue;
          }
          b.append("| ").append(file).append(" | ").append(c.label()).append(" | ");
          b.append(mode).append(" | ");
          if (!timed(r)) {
            b.append(DASH + " | " + DASH + " | " + DASH + " | " + DASH + " | " + DASH + " | ");
            b.append(DASH + " | " + DASH + " | " + DASH + " | " + DASH + " | " + DASH + " | ");
            b.append(DASH + " | " + DASH + " | ");
            b.append("**failed**: ").append(cell(r.get("error", "?"))).append(" |\n");
            continue;
          }
          double s = r.getDouble("median", Double.NaN);
          b.append(fmt("%.3f", s)).append(" | ");
          b.append(fmt("%.2f", gbPerSecond(r))).append(" | ");
          b.append(fmt("%.2f", r.getLong("records", 0) / s / 1e6)).append(" | ");
          b.append(ratio(r, find(mode, file, BenchCase.HADOOP_BAM))).append(" | ");
          b.append(ratio(r, find(mode, file, BenchCase.TEXT_COUNT))).append(" | ");
          double busy = r.getDouble("coresBusy", -1);
          b.append(busy < 0 ? DASH : fmt("%.2f", busy)).append(" | ");
          long gc = r.getLong("gcMillis", -1);
          b.append(gc < 0 ? DASH : fmt("%,d", gc)).append(" | ");
          b.append(mib(r.getLong("peakRssKb", -1)))
              .append(r.get("hwmReset", "").equals("true") ? "" : "*");
          b.append(" | ");
          long mapped = r.getLong("peakRssFileKb", -1) - r.getLong("rssFileBaseKb", 0);
          b.append(c.fastqMmap() ? mib(mapped) : fmt("(%s)", mib(mapped))).append(" | ");
          long alloc = r.getLong("allocatedBytes", -1);
          b.append(alloc < 0 ? DASH : fmt("%,.0f", (double) alloc / r.getLong("records", 1)));
          b.append(" | ");
          if (c.fastqMmap()) {
            b.append(fmt("%,d", r.getLong("scan.minorFaults", -1)))
                .append(" / ")
                .append(fmt("%,d", r.getLong("scan.majorFaults", -1)));
          } else {
            b.append(DASH);
          }
          b.append(" | ")
              .append(fmt("%,d", r.getLong("procMinorFaults", -1)))
              .append(" / ")
              .append(fmt("%,d", r.getLong("procMajorFaults", -1)))
              .append(" | ");
          b.append(Result.OK.equals(r.get("status")) ? "exact" : "**WRONG** (see below)");
          b.append(" |\n");
        }
      }
    }
    return b.toString();
  }

  private static String ratio(Result r, Result peer) {
    if (peer == null) {
      return DASH;
    }
    if (!timed(peer)) {
      return "n/a (peer failed)";
    }
    String x = fmt("%.2fx", peer.getDouble("median", Double.NaN) / r.getDouble("median", 1));
    return Result.OK.equals(peer.get("status")) ? x : x + " (peer wrong)";
  }

  Set<String> modes() {
    Set<String> modes = new LinkedHashSet<>(infoByMode.keySet());
    for (Result r : cases) {
      modes.add(r.get("mode"));
    }
    return modes;
  }

  /** What each file holds, from the generator. */
  String dataDescription() {
    StringBuilder b = new StringBuilder();
    for (BenchData.DataFile f : files.values()) {
      Truth t = f.truth;
      b.append(
          fmt(
              "- `%s` (%s): %,d bytes, %,d records, %,d bases, read length %,d..%,d (mean %,.0f),"
                  + " %,d reads over %,d bp, %,d quality lines starting with '@', %,d headers with"
                  + " '@' after the first character\n",
              f.path.getFileName(),
              f.kind.description(),
              t.fileBytes,
              t.records,
              t.bases,
              t.minReadLength,
              t.maxReadLength,
              t.meanReadLength(),
              t.readsOverHadoopBamLimit,
              Truth.HADOOP_BAM_MAX_LINE,
              t.qualityLinesStartingWithAt,
              t.headersWithAtAfterFirst));
    }
    return b.toString();
  }

  /** Wrong answers and failures, every one named. */
  String problems() {
    StringBuilder b = new StringBuilder();
    for (Result r : cases) {
      String status = r.get("status");
      if (Result.OK.equals(status)) {
        continue;
      }
      BenchCase c = BenchCase.fromId(r.get("case"));
      b.append("- ")
          .append(status)
          .append(": ")
          .append(c.label())
          .append(", ")
          .append(r.get("file"))
          .append(", ")
          .append(r.get("mode"))
          .append(": ")
          .append(Result.FAILED.equals(status) ? r.get("error", "?") : r.get("problems", "?"))
          .append(c.mustBeExact() ? "" : " (a peer: reported, not a harness failure)")
          .append('\n');
    }
    return b.length() == 0 ? "Every answer was exact.\n" : b.toString();
  }

  /** The fastq-mmap scans' own metrics, median over the timed runs. */
  String scanMetrics() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| data | case | mode | bytesMapped | windowsMapped | windowsCopied | bytesCopied |"
            + " madviseCalls | minorFaults | majorFaults | mapNanos | parseNanos | valueBytes |"
            + " bytesOverhang |\n");
    b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String file : files.keySet()) {
      for (BenchCase c : BenchCase.values()) {
        if (!c.fastqMmap()) {
          continue;
        }
        for (String mode : modes()) {
          Result r = find(mode, file, c);
          if (!timed(r)) {
            continue;
          }
          b.append(fmt("| %s | %s | %s | ", file, c.label(), mode));
          b.append(mib(r.getLong("scan.bytesMapped", -1) / 1024)).append(" MiB | ");
          b.append(fmt("%,d", r.getLong("scan.windowsMapped", -1))).append(" | ");
          b.append(fmt("%,d", r.getLong("scan.windowsCopied", -1))).append(" | ");
          b.append(mib(r.getLong("scan.bytesCopied", -1) / 1024)).append(" MiB | ");
          b.append(fmt("%,d", r.getLong("scan.madviseCalls", -1))).append(" | ");
          b.append(fmt("%,d", r.getLong("scan.minorFaults", -1))).append(" | ");
          b.append(fmt("%,d", r.getLong("scan.majorFaults", -1))).append(" | ");
          b.append(fmt("%.3f s", r.getLong("scan.mapNanos", 0) / 1e9)).append(" | ");
          b.append(fmt("%.3f s", r.getLong("scan.parseNanos", 0) / 1e9)).append(" | ");
          b.append(mib(r.getLong("scan.valueBytes", -1) / 1024)).append(" MiB | ");
          b.append(fmt("%,d", r.getLong("scan.bytesOverhang", -1))).append(" |\n");
        }
      }
    }
    return b.toString();
  }

  /** Every timed run, for the spread behind each median. */
  String runs() {
    StringBuilder b = new StringBuilder();
    for (Result r : cases) {
      if (!timed(r)) {
        continue;
      }
      b.append(
          fmt(
              "- %s, %s, %s: %s s\n",
              r.get("file"),
              BenchCase.fromId(r.get("case")).label(),
              r.get("mode"),
              r.get("seconds").replace(",", ", ")));
    }
    return b.toString();
  }

  /** local[2] against local[1], per case. */
  String scaling() {
    List<String> modes = new ArrayList<>(modes());
    if (!modes.contains("local[1]") || !modes.contains("local[2]")) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String file : files.keySet()) {
      List<String> parts = new ArrayList<>();
      for (BenchCase c : BenchCase.values()) {
        Result one = find("local[1]", file, c);
        Result two = find("local[2]", file, c);
        if (timed(one) && timed(two)) {
          parts.add(
              fmt("%s %.2fx", c.label(), one.getDouble("median", 0) / two.getDouble("median", 1)));
        }
      }
      if (!parts.isEmpty()) {
        b.append("- ").append(file).append(": ").append(String.join(", ", parts)).append('\n');
      }
    }
    return b.toString();
  }

  /** The issue's performance targets, each with the measured figure and PASS or FAIL. */
  String targets() {
    StringBuilder b = new StringBuilder();
    for (String mode : modes()) {
      int cores = cores(mode);
      String worst = worstWarm(mode);
      for (String shortReads : labels(BenchData.Kind.ILLUMINA)) {
        BenchData.DataFile df = files.get(shortReads);
        String where =
            mode
                + ", "
                + (df.state == null ? "150 bp" : "150 bp, " + df.state.id())
                + (shortReads.equals(worst) ? " (worst warm state: the headline)" : "");
        Result all = find(mode, shortReads, BenchCase.FASTQ_ALL);
        Result bam = find(mode, shortReads, BenchCase.HADOOP_BAM);
        Result count = find(mode, shortReads, BenchCase.FASTQ_COUNT);
        Result text = find(mode, shortReads, BenchCase.TEXT_COUNT);
        if (timed(count) && timed(text)) {
          double x = text.getDouble("median", 0) / count.getDouble("median", 1);
          target(b, where + ": count() >= 2.5x text().count()", fmt("%.2fx", x), x >= 2.5);
        }
        if (timed(all) && timed(bam)) {
          double x = bam.getDouble("median", 0) / all.getDouble("median", 1);
          target(b, where + ": all columns >= 3x Hadoop-BAM", fmt("%.2fx", x), x >= 3);
        }
        if (timed(all)) {
          double perCore = gbPerSecond(all) / cores;
          target(
              b,
              where + ": all columns >= 1.5 GB/s per core",
              fmt("%.2f GB/s per core", perCore),
              perCore >= 1.5);
        }
        if (timed(count)) {
          double perCore = gbPerSecond(count) / cores;
          target(
              b,
              where + ": count() >= 2.5 GB/s per core",
              fmt("%.2f GB/s per core", perCore),
              perCore >= 2.5);
        }
        String longReads =
            df.state == null
                ? BenchData.Kind.NANOPORE.id()
                : BenchData.Kind.NANOPORE.id() + "@" + df.state.id();
        for (BenchCase c : new BenchCase[] {BenchCase.FASTQ_ALL, BenchCase.FASTQ_COUNT}) {
          Result sr = find(mode, shortReads, c);
          Result l = find(mode, longReads, c);
          if (timed(sr) && timed(l)) {
            double rel = gbPerSecond(l) / gbPerSecond(sr);
            target(
                b,
                where
                    + ": "
                    + c.label()
                    + ", long reads at least 80 % of the 150 bp GB/s, every base exact",
                fmt(
                    "%.2f vs %.2f GB/s (%+.0f %%), answer %s",
                    gbPerSecond(l), gbPerSecond(sr), (rel - 1) * 100, l.get("status")),
                rel >= 0.8 && Result.OK.equals(l.get("status")));
          }
        }
      }
      for (String file : files.keySet()) {
        for (BenchCase c : BenchCase.values()) {
          Result r = find(mode, file, c);
          if (!c.fastqMmap() || !timed(r)) {
            continue;
          }
          long mapped = r.getLong("peakRssFileKb", -1) - r.getLong("rssFileBaseKb", 0);
          long bound = cores * 2L * r.getLong("windowBytes", 0) / 1024;
          target(
              b,
              mode
                  + ": "
                  + c.label()
                  + ", "
                  + file
                  + ": mapped resident set within two windows"
                  + " per task",
              fmt(
                  "peak %s MiB, bound %s MiB (%d x 2 x windowBytes)",
                  mib(mapped), mib(bound), cores),
              mapped <= bound);
        }
      }
    }
    if (modes().contains("local[1]") && modes().contains("local[2]")) {
      for (String file : files.keySet()) {
        for (BenchCase c : BenchCase.values()) {
          if (!c.fastqMmap()) {
            continue;
          }
          Result one = find("local[1]", file, c);
          Result two = find("local[2]", file, c);
          if (timed(one) && timed(two)) {
            double x = one.getDouble("median", 0) / two.getDouble("median", 1);
            target(
                b,
                c.label() + ", " + file + ": local[2] >= 1.8x local[1]",
                fmt("%.2fx", x),
                x >= 1.8);
          }
        }
      }
    }
    b.append(
        "- no per-record heap allocation beyond the row: see the JMH benchmarks with `-prof gc`"
            + " (gc.alloc.rate.norm, bytes per record); the table's heap B/record is the whole"
            + " JVM's allocation (Spark's included) divided by the records\n");
    return b.toString();
  }

  private static void target(StringBuilder b, String what, String measured, boolean pass) {
    b.append("- ")
        .append(pass ? "PASS" : "FAIL")
        .append(": ")
        .append(what)
        .append(": ")
        .append(measured)
        .append('\n');
  }

  /** The sweep's table: one row per window, prefetch and advice, both cases side by side. */
  String sweepTable() {
    StringBuilder b = new StringBuilder();
    for (String file : files.keySet()) {
      Map<String, Map<String, Result>> byConfig = new LinkedHashMap<>();
      for (Result r : cases) {
        if (!r.has("sweep") || !r.get("file").equals(file)) {
          continue;
        }
        String key =
            r.get("opt.windowBytes")
                + "\t"
                + r.get("opt.prefetchBytes")
                + "\t"
                + r.get("opt.readAdvice")
                + "\t"
                + r.get("mode");
        byConfig.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.get("case"), r);
      }
      if (byConfig.isEmpty()) {
        continue;
      }
      b.append("\n").append(file).append(":\n\n");
      b.append(
          "| windowBytes | prefetchBytes | readAdvice | mode | count() s | count() GB/s"
              + " | all columns s | all columns GB/s | minor faults (count / all)"
              + " | major faults (count / all) | peak mapped MiB (count / all) | answers |\n");
      b.append("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
      String[] best = new String[2];
      double[] bestGb = new double[2];
      for (Map.Entry<String, Map<String, Result>> e : byConfig.entrySet()) {
        String[] k = e.getKey().split("\t");
        Result count = e.getValue().get(BenchCase.FASTQ_COUNT.id());
        Result all = e.getValue().get(BenchCase.FASTQ_ALL.id());
        b.append(fmt("| %s | %s | %s | %s | ", k[0], k[1], k[2], k[3]));
        Result[] pair = {count, all};
        for (int i = 0; i < 2; i++) {
          Result r = pair[i];
          if (timed(r)) {
            b.append(fmt("%.3f | %.2f | ", r.getDouble("median", 0), gbPerSecond(r)));
            if (Result.OK.equals(r.get("status")) && gbPerSecond(r) > bestGb[i]) {
              bestGb[i] = gbPerSecond(r);
              best[i] = fmt("%s, prefetchBytes %s, readAdvice %s", k[0], k[1], k[2]);
            }
          } else {
            b.append(DASH + " | " + DASH + " | ");
          }
        }
        b.append(pairOf(count, all, "scan.minorFaults")).append(" | ");
        b.append(pairOf(count, all, "scan.majorFaults")).append(" | ");
        b.append(mappedPair(count, all)).append(" | ");
        b.append(status(count)).append(" / ").append(status(all)).append(" |\n");
      }
      b.append('\n');
      if (best[0] != null) {
        b.append(fmt("Fastest count(): windowBytes %s (%.2f GB/s)\n", best[0], bestGb[0]));
      }
      if (best[1] != null) {
        b.append(fmt("Fastest all columns: windowBytes %s (%.2f GB/s)\n", best[1], bestGb[1]));
      }
    }
    return b.toString();
  }

  private static String pairOf(Result a, Result b, String key) {
    return (timed(a) ? fmt("%,d", a.getLong(key, -1)) : DASH)
        + " / "
        + (timed(b) ? fmt("%,d", b.getLong(key, -1)) : DASH);
  }

  private static String mappedPair(Result a, Result b) {
    return (timed(a) ? mib(a.getLong("peakRssFileKb", 0) - a.getLong("rssFileBaseKb", 0)) : DASH)
        + " / "
        + (timed(b) ? mib(b.getLong("peakRssFileKb", 0) - b.getLong("rssFileBaseKb", 0)) : DASH);
  }

  private static String status(Result r) {
    return r == null ? DASH : r.get("status", "?");
  }

  /** Spark and Hadoop versions and the heap of each Spark JVM. */
  String workers() {
    StringBuilder b = new StringBuilder();
    for (Result i : infoByMode.values()) {
      b.append(
          fmt(
              "- %s: Spark %s, Hadoop %s, defaultParallelism %s, max heap %s MiB, peak RSS reset"
                  + " between cases: %s\n",
              i.get("mode"),
              i.get("spark"),
              i.get("hadoop"),
              i.get("defaultParallelism"),
              i.get("maxHeapMiB"),
              "true".equals(i.get("hwmReset"))
                  ? "yes (/proc/self/clear_refs)"
                  : "no (peak since the JVM started, marked *)"));
      if (i.has("fixedCost.fastq")) {
        b.append(
            fmt(
                "- %s: fixed cost of a query (count() of a one-record file, median): fastq-mmap"
                    + " %.3f s, text() %.3f s; it is inside every time below\n",
                i.get("mode"),
                i.getDouble("fixedCost.fastq", 0),
                i.getDouble("fixedCost.text", 0)));
      }
    }
    return b.toString();
  }

  private static String mib(long kb) {
    return kb < 0 ? DASH : fmt("%,.0f", kb / 1024.0);
  }

  private static String cell(String s) {
    String one = s.replace('\n', ' ').replace("|", "\\|");
    return one.length() > 160 ? one.substring(0, 157) + "..." : one;
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
