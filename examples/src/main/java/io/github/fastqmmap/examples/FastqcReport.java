/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one sample's {@code <sample>_fastqc/fastqc_data.txt} and {@code summary.txt} in FastQC
 * 0.11.9's layout, from the counts of {@link FastqcStats} and {@link FastqcDuplication}, with
 * FastQC's default PASS/WARN/FAIL limits ({@link FastqcConfig}). Numbers are printed the way FastQC
 * prints them (Java's {@code Double.toString}), so that MultiQC's FastQC module reads the files
 * unchanged. Beside them, {@code fastq_mmap_exact.txt} holds the whole-data figures that FastQC
 * only estimates.
 */
public final class FastqcReport {
  public static final String DATA = "fastqc_data.txt";
  public static final String SUMMARY = "summary.txt";
  public static final String EXACT = "fastq_mmap_exact.txt";

  private FastqcReport() {}

  /** FastQC's folder name for a file: its name without FASTQ and compression suffixes. */
  public static String sampleName(String fileName) {
    String n = fileName;
    for (String suffix : List.of(".gz", ".bz2", ".zst", ".txt")) {
      if (n.endsWith(suffix)) {
        n = n.substring(0, n.length() - suffix.length());
      }
    }
    for (String suffix : List.of(".fastq", ".fq")) {
      if (n.endsWith(suffix)) {
        n = n.substring(0, n.length() - suffix.length());
      }
    }
    return n;
  }

  /** Writes {@code out/<sample>_fastqc/}; returns that folder. */
  public static Path write(
      Path out, String fileName, FastqcStats s, FastqcDuplication d, FastqcConfig cfg)
      throws IOException {
    Path dir = out.resolve(sampleName(fileName) + "_fastqc");
    Files.createDirectories(dir);
    List<Module> modules = modules(fileName, s, d, cfg);
    StringBuilder data = new StringBuilder("##FastQC\t0.11.9\n");
    StringBuilder summary = new StringBuilder();
    for (Module m : modules) {
      data.append(">>").append(m.name).append('\t').append(m.status.toLowerCase(Locale.ROOT));
      data.append('\n').append(m.body).append(">>END_MODULE\n");
      summary.append(m.status).append('\t').append(m.name).append('\t').append(fileName);
      summary.append('\n');
    }
    Files.writeString(dir.resolve(DATA), data, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(SUMMARY), summary, StandardCharsets.UTF_8);
    StringBuilder exact = new StringBuilder("# fastq-mmap: whole-data figures FastQC estimates\n");
    exact.append("Total Sequences\t").append(s.reads).append('\n');
    exact.append("Distinct sequences (cut to 50 bases when longer than 75)\t");
    exact.append(d.distinctSequences).append('\n');
    exact.append("Total Deduplicated Percentage (exact)\t");
    exact.append(s.reads == 0 ? 100.0 : 100.0 * d.distinctSequences / s.reads).append('\n');
    Files.writeString(dir.resolve(EXACT), exact, StandardCharsets.UTF_8);
    return dir;
  }

  /** One module: its name, status and table (header line included). */
  static final class Module {
    final String name;
    final String status;
    final String body;

    Module(String name, String status, String body) {
      this.name = name;
      this.status = status;
      this.body = body;
    }
  }

  static String status(boolean error, boolean warn) {
    return error ? "FAIL" : warn ? "WARN" : "PASS";
  }

  static List<Module> modules(
      String fileName, FastqcStats s, FastqcDuplication d, FastqcConfig cfg) {
    int offset = encodingOffset(s.lowestChar);
    List<Module> m = new ArrayList<>();
    m.add(basicStatistics(fileName, s));
    m.add(perBaseQuality(s, offset));
    Module tile = perTileQuality(s, offset);
    if (tile != null) {
      m.add(tile);
    }
    m.add(perSequenceQuality(s, offset));
    m.add(perBaseContent(s));
    m.add(perSequenceGc(s));
    m.add(nContent(s));
    m.add(lengthDistribution(s));
    m.add(duplication(d));
    m.add(overrepresented(d, cfg));
    m.add(adapterContent(s, cfg));
    return m;
  }

  static int encodingOffset(int lowestChar) {
    return lowestChar < 64 ? 33 : 64;
  }

  static String encodingName(int lowestChar) {
    if (lowestChar < 64) {
      return "Sanger / Illumina 1.9";
    }
    return lowestChar == 65 ? "Illumina 1.3" : "Illumina 1.5";
  }

  /** FastQC's %GC: G and C among A, C, G and T, in whole percent rounded down. */
  public static long gcPercent(FastqcStats s) {
    long g = s.baseCount(0);
    long c = s.baseCount(3);
    long acgt = g + s.baseCount(1) + s.baseCount(2) + c;
    return acgt > 0 ? (g + c) * 100 / acgt : 0;
  }

  static Module basicStatistics(String fileName, FastqcStats s) {
    StringBuilder b = new StringBuilder("#Measure\tValue\n");
    b.append("Filename\t").append(fileName).append('\n');
    b.append("File type\tConventional base calls\n");
    b.append("Encoding\t").append(encodingName(s.lowestChar)).append('\n');
    b.append("Total Sequences\t").append(s.reads).append('\n');
    b.append("Sequences flagged as poor quality\t0\n");
    int min = s.reads == 0 ? 0 : s.minLength;
    b.append("Sequence length\t");
    b.append(min == s.maxLength ? Integer.toString(min) : min + "-" + s.maxLength).append('\n');
    b.append("%GC\t").append(gcPercent(s)).append('\n');
    return new Module("Basic Statistics", "PASS", b.toString());
  }

  /** FastQC's default (linear) grouping of positions 1..length: {first, last} per group. */
  static int[][] baseGroups(int length) {
    List<int[]> groups = new ArrayList<>();
    if (length <= 75) {
      for (int p = 1; p <= length; p++) {
        groups.add(new int[] {p, p});
      }
      return groups.toArray(new int[0][]);
    }
    int interval = linearInterval(length);
    int start = 1;
    while (start <= length) {
      int end;
      int next;
      if (start < 10) {
        end = start;
        next = start + 1;
      } else if (start == 10 && interval > 10) {
        end = interval - 1;
        next = interval;
      } else {
        end = start + interval - 1;
        next = start + interval;
      }
      groups.add(new int[] {start, Math.min(end, length)});
      start = next;
    }
    return groups.toArray(new int[0][]);
  }

  /** The smallest of 2, 5, 10, 20, 50, ... that leaves fewer than 75 groups. */
  private static int linearInterval(int length) {
    for (int multiplier = 1; ; multiplier *= 10) {
      for (int base : new int[] {2, 5, 10}) {
        int interval = base * multiplier;
        int groups = 9 + (length - 9 + interval - 1) / interval;
        if (groups < 75) {
          return interval;
        }
      }
    }
  }

  static String label(int[] g) {
    return g[0] == g[1] ? Integer.toString(g[0]) : g[0] + "-" + g[1];
  }

  private static long positionTotal(long[] q, int pos) {
    long t = 0;
    for (int c = 0; c < FastqcStats.CHARS; c++) {
      t += q[pos * FastqcStats.CHARS + c];
    }
    return t;
  }

  private static double positionMean(long[] q, int pos, int offset) {
    long total = 0;
    long count = 0;
    for (int c = offset; c < FastqcStats.CHARS; c++) {
      long n = q[pos * FastqcStats.CHARS + c];
      total += n * (c - offset);
      count += n;
    }
    return (double) total / count;
  }

  private static double positionPercentile(long[] q, int pos, int offset, int percentile) {
    long target = positionTotal(q, pos) * percentile / 100;
    long cumulative = 0;
    for (int c = offset; c < FastqcStats.CHARS; c++) {
      cumulative += q[pos * FastqcStats.CHARS + c];
      if (cumulative >= target) {
        return c - offset;
      }
    }
    return -1;
  }

  private static double groupPercentile(long[] q, int[] g, int offset, int percentile) {
    int count = 0;
    double total = 0;
    for (int p = g[0] - 1; p < g[1]; p++) {
      if (positionTotal(q, p) > 100) {
        count++;
        total += positionPercentile(q, p, offset, percentile);
      }
    }
    return count > 0 ? total / count : Double.NaN;
  }

  static Module perBaseQuality(FastqcStats s, int offset) {
    long[] q = s.quality;
    int length = q.length / FastqcStats.CHARS;
    StringBuilder b =
        new StringBuilder(
            "#Base\tMean\tMedian\tLower Quartile\tUpper Quartile\t10th Percentile\t90th"
                + " Percentile\n");
    boolean error = false;
    boolean warn = false;
    for (int[] g : baseGroups(length)) {
      int count = 0;
      double total = 0;
      for (int p = g[0] - 1; p < g[1]; p++) {
        if (positionTotal(q, p) > 0) {
          count++;
          total += positionMean(q, p, offset);
        }
      }
      double mean = count > 0 ? total / count : 0;
      double median = groupPercentile(q, g, offset, 50);
      double lower = groupPercentile(q, g, offset, 25);
      double upper = groupPercentile(q, g, offset, 75);
      double p10 = groupPercentile(q, g, offset, 10);
      double p90 = groupPercentile(q, g, offset, 90);
      if (!Double.isNaN(lower)) {
        error |=
            lower < FastqcConfig.QUALITY_BASE_LOWER_ERROR
                || median < FastqcConfig.QUALITY_BASE_MEDIAN_ERROR;
        warn |=
            lower < FastqcConfig.QUALITY_BASE_LOWER_WARN
                || median < FastqcConfig.QUALITY_BASE_MEDIAN_WARN;
      }
      b.append(label(g)).append('\t').append(mean).append('\t').append(median).append('\t');
      b.append(lower).append('\t').append(upper).append('\t').append(p10).append('\t');
      b.append(p90).append('\n');
    }
    return new Module("Per base sequence quality", status(error, warn), b.toString());
  }

  static Module perTileQuality(FastqcStats s, int offset) {
    if (s.tilesIgnored || s.tileSums.isEmpty()) {
      return null;
    }
    Map<Integer, long[]> sums = new TreeMap<>(s.sampledTileSums());
    Map<Integer, long[]> counts = s.sampledTileCounts();
    int length = 0;
    for (long[] v : sums.values()) {
      length = Math.max(length, v.length);
    }
    int[][] groups = baseGroups(length);
    int tiles = sums.size();
    double[][] means = new double[tiles][groups.length];
    int[] tileIds = new int[tiles];
    int t = 0;
    for (Map.Entry<Integer, long[]> e : sums.entrySet()) {
      tileIds[t] = e.getKey();
      long[] sum = e.getValue();
      long[] count = counts.get(e.getKey());
      for (int gi = 0; gi < groups.length; gi++) {
        int n = 0;
        double total = 0;
        for (int p = groups[gi][0] - 1; p < groups[gi][1]; p++) {
          if (p < count.length && count[p] > 0) {
            n++;
            total += (double) (sum[p] - offset * count[p]) / count[p];
          }
        }
        means[t][gi] = n > 0 ? total / n : 0;
      }
      t++;
    }
    double[] average = new double[groups.length];
    for (int i = 0; i < tiles; i++) {
      for (int gi = 0; gi < groups.length; gi++) {
        average[gi] += means[i][gi];
      }
    }
    for (int gi = 0; gi < groups.length; gi++) {
      average[gi] /= tiles;
    }
    double maxDeviation = 0;
    for (int gi = 0; gi < groups.length; gi++) {
      for (int i = 0; i < tiles; i++) {
        means[i][gi] -= average[gi];
        maxDeviation = Math.max(maxDeviation, Math.abs(means[i][gi]));
      }
    }
    StringBuilder b = new StringBuilder("#Tile\tBase\tMean\n");
    for (int i = 0; i < tiles; i++) {
      for (int gi = 0; gi < groups.length; gi++) {
        b.append(tileIds[i]).append('\t').append(label(groups[gi])).append('\t');
        b.append(means[i][gi]).append('\n');
      }
    }
    return new Module(
        "Per tile sequence quality",
        status(maxDeviation > FastqcConfig.TILE_ERROR, maxDeviation > FastqcConfig.TILE_WARN),
        b.toString());
  }

  static Module perSequenceQuality(FastqcStats s, int offset) {
    long[] c = s.meanQualityChars;
    int first = -1;
    int last = -1;
    for (int i = 0; i < c.length; i++) {
      if (c[i] > 0) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    StringBuilder b = new StringBuilder("#Quality\tCount\n");
    long maxCount = 0;
    int mode = 0;
    for (int i = first; first >= 0 && i <= last; i++) {
      b.append(i - offset).append('\t').append((double) c[i]).append('\n');
      if (c[i] > maxCount) {
        maxCount = c[i];
        mode = i - offset;
      }
    }
    return new Module(
        "Per sequence quality scores",
        status(
            mode <= FastqcConfig.QUALITY_SEQUENCE_ERROR,
            mode <= FastqcConfig.QUALITY_SEQUENCE_WARN),
        b.toString());
  }

  static Module perBaseContent(FastqcStats s) {
    int length = s.bases.length / 5;
    StringBuilder b = new StringBuilder("#Base\tG\tA\tT\tC\n");
    boolean error = false;
    boolean warn = false;
    for (int[] g : baseGroups(length)) {
      long gc = 0;
      long a = 0;
      long t = 0;
      long c = 0;
      for (int p = g[0] - 1; p < g[1]; p++) {
        gc += s.bases[p * 5];
        a += s.bases[p * 5 + 1];
        t += s.bases[p * 5 + 2];
        c += s.bases[p * 5 + 3];
      }
      double total = gc + a + t + c;
      double gp = (gc / total) * 100;
      double ap = (a / total) * 100;
      double tp = (t / total) * 100;
      double cp = (c / total) * 100;
      double gcDiff = Math.abs(cp - gp);
      double atDiff = Math.abs(tp - ap);
      error |= gcDiff > FastqcConfig.SEQUENCE_ERROR || atDiff > FastqcConfig.SEQUENCE_ERROR;
      warn |= gcDiff > FastqcConfig.SEQUENCE_WARN || atDiff > FastqcConfig.SEQUENCE_WARN;
      b.append(label(g)).append('\t').append(gp).append('\t').append(ap).append('\t');
      b.append(tp).append('\t').append(cp).append('\n');
    }
    return new Module("Per base sequence content", status(error, warn), b.toString());
  }

  /**
   * FastQC's model of a read's GC share: a read of {@code length} bases with {@code gc} G or C
   * spreads one count over the whole percentages that its GC share rounds to from half a base below
   * to half a base above, each percentage's share divided by how many GC counts claim it.
   */
  static void addGcModel(double[] distribution, int length, int gc, long reads) {
    int[] claiming = new int[101];
    int[][] span = new int[length + 1][];
    for (int k = 0; k <= length; k++) {
      double low = Math.min(length, Math.max(0, k - 0.5));
      double high = Math.min(length, Math.max(0, k + 0.5));
      int lowP = (int) Math.round(low * 100 / length);
      int highP = (int) Math.round(high * 100 / length);
      span[k] = new int[] {lowP, highP};
      for (int p = lowP; p <= highP; p++) {
        claiming[p]++;
      }
    }
    for (int p = span[gc][0]; p <= span[gc][1]; p++) {
      double increment = 1d / claiming[p];
      // Added read by read, as FastQC does, so that the sum rounds the same way.
      for (long r = 0; r < reads; r++) {
        distribution[p] += increment;
      }
    }
  }

  static Module perSequenceGc(FastqcStats s) {
    double[] dist = new double[101];
    TreeMap<Long, Long> sorted = new TreeMap<>(s.gcByLength);
    for (Map.Entry<Long, Long> e : sorted.entrySet()) {
      addGcModel(dist, (int) (e.getKey() >>> 32), (int) (e.getKey() & 0xffffffffL), e.getValue());
    }
    double total = 0;
    int firstMode = 0;
    double modeCount = 0;
    for (int i = 0; i < dist.length; i++) {
      total += dist[i];
      if (dist[i] > modeCount) {
        modeCount = dist[i];
        firstMode = i;
      }
    }
    // The mode: the mean of the neighbouring percentages within 10% of the top, unless that run
    // reaches either end of the range.
    double threshold = dist[firstMode] - dist[firstMode] / 10;
    double mode = 0;
    int modes = 0;
    boolean reachedTop = true;
    for (int i = firstMode; i < dist.length; i++) {
      if (dist[i] > threshold) {
        mode += i;
        modes++;
      } else {
        reachedTop = false;
        break;
      }
    }
    boolean reachedBottom = true;
    for (int i = firstMode - 1; i >= 0; i--) {
      if (dist[i] > threshold) {
        mode += i;
        modes++;
      } else {
        reachedBottom = false;
        break;
      }
    }
    mode = reachedTop || reachedBottom ? firstMode : mode / modes;
    double variance = 0;
    for (int i = 0; i < dist.length; i++) {
      variance += Math.pow(i - mode, 2) * dist[i];
    }
    variance /= total - 1;
    double stdev = Math.sqrt(variance);
    double deviation = 0;
    for (int i = 0; i < dist.length; i++) {
      double density =
          1d
              / Math.sqrt(2 * Math.PI * stdev * stdev)
              * Math.pow(Math.E, 0 - Math.pow(i - mode, 2) / (2 * stdev * stdev));
      deviation += Math.abs(density * total - dist[i]);
    }
    deviation = deviation / total * 100;
    StringBuilder b = new StringBuilder("#GC Content\tCount\n");
    for (int i = 0; i < dist.length; i++) {
      b.append(i).append('\t').append(dist[i]).append('\n');
    }
    return new Module(
        "Per sequence GC content",
        status(
            deviation > FastqcConfig.GC_SEQUENCE_ERROR, deviation > FastqcConfig.GC_SEQUENCE_WARN),
        b.toString());
  }

  static Module nContent(FastqcStats s) {
    int length = s.bases.length / 5;
    // Reads covering each position: those longer than it.
    long[] covering = new long[length];
    long longer = 0;
    for (int len = s.lengthCounts.length - 1; len >= 1; len--) {
      longer += s.lengthCounts[len];
      if (len - 1 < length) {
        covering[len - 1] = longer;
      }
    }
    StringBuilder b = new StringBuilder("#Base\tN-Count\n");
    boolean error = false;
    boolean warn = false;
    for (int[] g : baseGroups(length)) {
      long n = 0;
      long total = 0;
      for (int p = g[0] - 1; p < g[1]; p++) {
        n += s.bases[p * 5 + 4];
        total += covering[p];
      }
      double percent = 100 * (n / (double) total);
      error |= percent > FastqcConfig.N_CONTENT_ERROR;
      warn |= percent > FastqcConfig.N_CONTENT_WARN;
      b.append(label(g)).append('\t').append(percent).append('\n');
    }
    return new Module("Per base N content", status(error, warn), b.toString());
  }

  static Module lengthDistribution(FastqcStats s) {
    long[] counts = s.lengthCounts;
    int minLen = -1;
    int maxLen = 0;
    int distinct = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        minLen = minLen < 0 ? i : minLen;
        maxLen = i;
        distinct++;
      }
    }
    minLen = Math.max(0, minLen);
    if (minLen > 0) {
      minLen--;
    }
    maxLen++;
    // Bins of 1, 2, 5, 10, 20, 50, ... bases: the first that gives at most 50 of them.
    int interval = 0;
    int span = maxLen - minLen;
    outer:
    for (int base = 1; ; base *= 10) {
      for (int d : new int[] {1, 2, 5}) {
        if (span / (base * d) <= 50) {
          interval = base * d;
          break outer;
        }
      }
    }
    int start = minLen / interval * interval;
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int v = start; v <= maxLen; v += interval) {
      int last = Math.min(v + interval - 1, maxLen);
      double n = 0;
      for (int bp = v; bp <= last; bp++) {
        if (bp < counts.length) {
          n += counts[bp];
        }
      }
      labels.add(interval == 1 ? Integer.toString(v) : v + "-" + last);
      values.add(n);
    }
    StringBuilder b = new StringBuilder("#Length\tCount\n");
    for (int i = 0; i < labels.size(); i++) {
      if ((i == 0 || i == labels.size() - 1) && values.get(i) == 0) {
        continue;
      }
      b.append(labels.get(i)).append('\t').append(values.get(i).doubleValue()).append('\n');
    }
    boolean error = counts.length > 0 && counts[0] > 0;
    return new Module("Sequence Length Distribution", status(error, distinct > 1), b.toString());
  }

  /** FastQC's estimate of how many distinct sequences of a level there are in all reads. */
  static double correctedCount(long countAtLimit, long total, long level, long observed) {
    if (countAtLimit == total || total - observed < countAtLimit) {
      return observed;
    }
    double pNotSeen = 1;
    double limitOfCaring = 1d - (observed / (observed + 0.01d));
    for (long i = 0; i < countAtLimit; i++) {
      pNotSeen *= ((total - i) - level) / (double) (total - i);
      if (pNotSeen < limitOfCaring) {
        pNotSeen = 0;
        break;
      }
    }
    return observed / (1 - pNotSeen);
  }

  static double[][] duplicationLevels(FastqcDuplication d, double[] percentDistinct) {
    // As FastQC: the tracked sequences' levels go into a HashMap keyed by level in the order its
    // HashMap of sequences gives them, by put (merge would link a new key at the head of its
    // bucket, put at the tail), and are summed in that map's order (floating-point sums: another
    // order can change the last digits).
    HashMap<Integer, Integer> collated = new HashMap<>();
    for (int i : fastqcOrder(d.trackedStringHashes)) {
      int level = (int) d.trackedCounts[i];
      Integer sequences = collated.get(level);
      collated.put(level, sequences == null ? 1 : sequences + 1);
    }
    HashMap<Integer, Double> corrected = new HashMap<>();
    for (Map.Entry<Integer, Integer> e : collated.entrySet()) {
      corrected.put(
          e.getKey(), correctedCount(d.countAtUniqueLimit, d.count, e.getKey(), e.getValue()));
    }
    double[] dedup = new double[16];
    double[] total = new double[16];
    double dedupTotal = 0;
    double rawTotal = 0;
    for (Map.Entry<Integer, Double> e : corrected.entrySet()) {
      int level = e.getKey();
      double count = e.getValue();
      dedupTotal += count;
      rawTotal += count * level;
      int slot = level - 1;
      if (slot > 9999) {
        slot = 15;
      } else if (slot > 4999) {
        slot = 14;
      } else if (slot > 999) {
        slot = 13;
      } else if (slot > 499) {
        slot = 12;
      } else if (slot > 99) {
        slot = 11;
      } else if (slot > 49) {
        slot = 10;
      } else if (slot > 9) {
        slot = 9;
      }
      dedup[slot] += count;
      total[slot] += count * level;
    }
    for (int i = 0; i < 16; i++) {
      dedup[i] = dedup[i] / dedupTotal * 100;
      total[i] = total[i] / rawTotal * 100;
    }
    percentDistinct[0] = rawTotal == 0 ? 100 : (dedupTotal / rawTotal) * 100;
    return new double[][] {dedup, total};
  }

  /**
   * The indexes of sequences inserted in this order (with these {@code String.hashCode()}s) into a
   * {@code HashMap<String, ...>} created empty, in the order the map iterates them: by bucket at
   * the table size it grew to, then in insertion order within a bucket. (A bucket of eight or more,
   * which the map turns into a tree, may iterate otherwise; with FastQC's 100,000 sequences in
   * 262,144 buckets that is not expected.)
   */
  static int[] fastqcOrder(int[] stringHashes) {
    int n = stringHashes.length;
    int capacity = 16; // HashMap's default; it doubles once it holds more than three quarters
    while (n > capacity / 4 * 3) {
      capacity <<= 1;
    }
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      int h = stringHashes[i];
      long bucket = (h ^ (h >>> 16)) & (capacity - 1);
      keyed[i] = bucket << 32 | i;
    }
    Arrays.sort(keyed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) keyed[i];
    }
    return order;
  }

  private static final String[] LEVEL_LABELS = {
    "1", "2", "3", "4", "5", "6", "7", "8", "9", ">10", ">50", ">100", ">500", ">1k", ">5k", ">10k+"
  };

  static Module duplication(FastqcDuplication d) {
    double[] distinct = new double[1];
    double[][] levels = duplicationLevels(d, distinct);
    StringBuilder b = new StringBuilder("#Total Deduplicated Percentage\t");
    b.append(distinct[0]).append('\n');
    b.append("#Duplication Level\tPercentage of deduplicated\tPercentage of total\n");
    for (int i = 0; i < 16; i++) {
      b.append(LEVEL_LABELS[i]).append('\t').append(levels[0][i]).append('\t');
      b.append(levels[1][i]).append('\n');
    }
    return new Module(
        "Sequence Duplication Levels",
        status(
            distinct[0] < FastqcConfig.DUPLICATION_ERROR,
            distinct[0] < FastqcConfig.DUPLICATION_WARN),
        b.toString());
  }

  /**
   * The bucket a String key falls in within a HashMap holding {@code size} keys, for ordering ties
   * as FastQC's iteration over its sequence map does.
   */
  static int bucket(String key, int size) {
    int capacity = 16;
    while (size > capacity * 3 / 4) {
      capacity *= 2;
    }
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (capacity - 1);
  }

  static Module overrepresented(FastqcDuplication d, FastqcConfig cfg) {
    List<FastqcDuplication.Overrepresented> list = new ArrayList<>(d.overrepresented);
    int size = d.trackedCounts.length;
    list.sort(
        Comparator.comparingLong((FastqcDuplication.Overrepresented o) -> -o.count)
            .thenComparingInt(o -> bucket(o.sequence, size)));
    if (list.isEmpty()) {
      return new Module("Overrepresented sequences", "PASS", "");
    }
    StringBuilder b = new StringBuilder("#Sequence\tCount\tPercentage\tPossible Source\n");
    for (FastqcDuplication.Overrepresented o : list) {
      double percentage = ((double) o.count / d.count) * 100;
      b.append(o.sequence).append('\t').append(o.count).append('\t').append(percentage);
      b.append('\t').append(Contaminants.bestHit(o.sequence, cfg.contaminants)).append('\n');
    }
    double top = ((double) list.get(0).count / d.count) * 100;
    return new Module(
        "Overrepresented sequences",
        status(top > FastqcConfig.OVERREPRESENTED_ERROR, true),
        b.toString());
  }

  static Module adapterContent(FastqcStats s, FastqcConfig cfg) {
    int longestAdapter = 0;
    for (byte[] a : cfg.adapters) {
      longestAdapter = Math.max(longestAdapter, a.length);
    }
    // FastQC's longest sequence only grows on reads longer than the longest adapter.
    int longest = s.maxLength > longestAdapter ? s.maxLength : 0;
    if (longestAdapter > longest) {
      return new Module("Adapter Content", "WARN", "");
    }
    int positions = longest - longestAdapter + 1;
    int[][] groups = baseGroups(positions);
    double[][] enrichment = new double[cfg.adapters.length][groups.length];
    boolean error = false;
    boolean warn = false;
    for (int a = 0; a < cfg.adapters.length; a++) {
      long[] hits = s.adapterHits[a];
      long[] cumulative = new long[positions];
      long running = 0;
      for (int p = 0; p < positions; p++) {
        running += p < hits.length ? hits[p] : 0;
        cumulative[p] = running;
      }
      for (int gi = 0; gi < groups.length; gi++) {
        for (int p = groups[gi][0] - 1; p < groups[gi][1] && p < positions; p++) {
          enrichment[a][gi] += (cumulative[p] * 100d) / s.reads;
        }
        enrichment[a][gi] /= (groups[gi][1] - groups[gi][0]) + 1;
        error |= enrichment[a][gi] > FastqcConfig.ADAPTER_ERROR;
        warn |= enrichment[a][gi] > FastqcConfig.ADAPTER_WARN;
      }
    }
    StringBuilder b = new StringBuilder("#Position");
    for (String name : cfg.adapterNames) {
      b.append('\t').append(name);
    }
    b.append('\n');
    for (int gi = 0; gi < groups.length; gi++) {
      b.append(label(groups[gi]));
      for (int a = 0; a < cfg.adapters.length; a++) {
        b.append('\t').append(enrichment[a][gi]);
      }
      b.append('\n');
    }
    return new Module("Adapter Content", status(error, warn), b.toString());
  }

  /** For tests: the module tables of a data file by name. */
  static Map<String, List<String>> parse(String fastqcData) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : fastqcData.split("\n", -1)) {
      if (line.startsWith(">>END_MODULE")) {
        current = null;
      } else if (line.startsWith(">>")) {
        current = new ArrayList<>();
        current.add(line);
        out.put(line.substring(2).split("\t")[0], current);
      } else if (current != null) {
        current.add(line);
      }
    }
    return out;
  }
}
