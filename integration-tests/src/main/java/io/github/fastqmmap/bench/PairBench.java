/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Paired reads (issue 14): reading R1/R2 as pairs ({@code paired=true}, one row per fragment, no
 * shuffle), as a repeated query (the counting pass's counts reused) and as a first one (the pass
 * run every time), against reading both files as single reads with all columns (as a user runs
 * them, the target's reference, and with {@code windowRead=map}, for information), and against
 * reading R1 and R2 separately and joining them on the name (what a user does without pairing).
 * Short reads (Illumina-like, R2 trimmed to other lengths than R1) and long reads (lengths of 1 to
 * 20 kb, R1 and R2 different). Each row reads all columns and XORs a hash of every row's values
 * (bit_xor: no overflow under ANSI); every answer is checked before any time is printed: the pairs'
 * count and bases against the generator's, the single read's count and bases, and the join's count
 * and hash equal to the pairs'. Through {@link BenchRunner}: both files put into the page-cache
 * state ({@code --state}, read-ahead by default), one warm-up, then {@code --runs} timed runs,
 * median; GB/s of both files' bytes; process CPU seconds per run.
 *
 * <pre>
 * bin/benchmark pairs [--mib 100] [--long-mib 100] [--runs 3] [--master local[2]] [--split-mib 128]
 *     [--state read-ahead|cold] [--no-join] [--warmups 3] [--before k=v,k=v]
 * </pre>
 */
public final class PairBench {
  private static final Set<String> OPTIONS =
      Set.of(
          "mib",
          "long-mib",
          "runs",
          "master",
          "data-dir",
          "split-mib",
          "state",
          "help",
          "no-join",
          "warmups",
          "before");

  private static final String HASH_PAIRS =
      "bit_xor(xxhash64(name, comment1, sequence1, quality1, comment2, sequence2, quality2))";

  /**
   * The conf that turns off the reuse of the counting pass's counts by later queries of the same
   * files: the second pairs case pays for the pass on every run, as a first query does.
   */
  private static final String COUNT_CACHE = "spark.fastqmmap.countingPassCache";

  /**
   * What {@code --before} may turn off for an A/B case (none unless given: the latest change, pairs
   * aligned by names, has its own rows, the counted ones). A {@code spark.} key is set as the
   * session's conf, any other as a JVM property (the benchmark runs Spark in this JVM, so setting
   * either around one query changes that query only); earlier A/Bs used {@code
   * spark.fastqmmap.countingPass=job}, and turned off the readers' window ends, R1's 2 MiB splits
   * and the balanced counting slices with {@code
   * fastqmmap.pairWindowEnds=false,fastqmmap.pairAlignedSplits=false,
   * fastqmmap.balancedCountingPass=false}.
   */
  private static final String BEFORE = "";

  private PairBench() {}

  /** What a generator wrote: pairs and bases of both files. */
  private record Truth(long pairs, long bases, long bytes) {}

  /** An answer: rows, bases, and the XOR of the rows' hashes. */
  private record Answer(long rows, long bases, long hash) {}

  /**
   * One way of reading the files.
   *
   * @param joins whether this is the join of R1 and R2 on the name (not warmed up, timed last)
   */
  private record Case(String name, Supplier<Answer> run, boolean joins) {
    Case(String name, Supplier<Answer> run) {
      this(name, run, false);
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, Set.of("help", "no-join"), OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: PairBench [--mib 100] [--long-mib 100] [--runs 3] [--master local[2]]"
              + " [--data-dir DIR] [--split-mib 128] [--state read-ahead|cold] [--no-join]"
              + " [--warmups 3] [--before k=v,k=v]");
      return 0;
    }
    long mib = a.getLong("mib", 100);
    long longMib = a.getLong("long-mib", 100);
    int runs = a.getInt("runs", 3);
    String master = a.get("master", "local[2]");
    // Spark's own maxPartitionBytes (128 MiB) unless asked: the split users meet.
    long splitBytes = a.getLong("split-mib", 128) << 20;
    PageCache.State state = PageCache.State.fromId(a.get("state", "read-ahead"));
    boolean join = !a.has("no-join");
    int warmups = a.getInt("warmups", 3);
    String before = a.get("before", BEFORE);
    Path dir = Path.of(a.get("data-dir", "integration-tests/target/bench-data")).toAbsolutePath();
    Files.createDirectories(dir);

    SparkSession spark = BenchRunner.session("fastq-mmap pair benchmark", master, splitBytes);
    TaskCpu tasks = new TaskCpu();
    spark.sparkContext().addSparkListener(tasks);
    BenchRunner.Table table =
        new BenchRunner.Table(
            "reads",
            "way",
            ">seconds",
            ">CPU s",
            ">read tasks CPU s",
            ">counting tasks CPU s",
            ">rest CPU s",
            ">GB/s",
            ">vs pairs",
            "answer");
    BenchRunner.Table breakdown =
        new BenchRunner.Table(
            "reads",
            "way",
            ">planning s",
            ">read tasks",
            ">read tasks' run s",
            ">counting tasks' run s",
            ">GC s",
            ">JIT s");
    int failures = 0;
    for (boolean longReads : new boolean[] {false, true}) {
      long bytes = (longReads ? longMib : mib) << 20;
      if (bytes == 0) {
        continue;
      }
      String kind = longReads ? "long" : "short";
      // "u": files of unique names (files written before the names were unique are not reused).
      Path r1 = dir.resolve("pairs-" + kind + "-u" + (bytes >> 20) + "m_R1.fastq");
      Path r2 = dir.resolve("pairs-" + kind + "-u" + (bytes >> 20) + "m_R2.fastq");
      Truth truth = generate(r1, r2, bytes, longReads, out);
      failures +=
          measure(
              spark, tasks, kind, r1, r2, truth, state, runs, warmups, join, before, table,
              breakdown);
    }
    spark.stop();
    out.println();
    out.printf(
        Locale.ROOT,
        "Paired reads, %s, maxPartitionBytes %d MiB; %s; page cache %s; %d runs of each way in"
            + " turn after a checked warm-up, median, after %d rounds of every way but the join; GB/s of both files' bytes; CPU = this JVM's CPU seconds per run (median);"
            + " read and counting tasks' CPU = Spark's executor CPU time of the query's read tasks"
            + " and of its counting-pass tasks (the pass's Spark job: under a local master the"
            + " driver's threads count instead, in planning and rest), mean of the timed runs;"
            + " rest = CPU minus both (driver: planning, scheduling; JIT, GC)%n",
        master,
        splitBytes >> 20,
        ProcInfo.machine(),
        state.id(),
        runs,
        warmups);
    out.println();
    out.println(
        "--before (the settings of the \"changes off\" way): "
            + (before.isEmpty() ? "none (no such way)" : before));
    out.println();
    table.print(out);
    out.println();
    out.println(
        "Where a query's time goes (mean of the timed runs): planning = driver wall"
            + " time to the executed plan (the counting pass runs there); the read job's tasks and"
            + " their summed run time (wall, deserialization included), the counting job's too;"
            + " GC = collectors' time, JIT = compilers' time, per query");
    out.println();
    breakdown.print(out);
    return failures == 0 ? 0 : 3;
  }

  private static int measure(
      SparkSession spark,
      TaskCpu tasks,
      String kind,
      Path r1,
      Path r2,
      Truth truth,
      PageCache.State state,
      int runs,
      int warmups,
      boolean join,
      String before,
      BenchRunner.Table table,
      BenchRunner.Table breakdown)
      throws Exception {
    String p1 = r1.toString();
    String p2 = r2.toString();
    List<Case> cases =
        new ArrayList<>(
            List.of(
                // The default: R1's ranges aligned with R2 by the mates' names, on every query.
                new Case(
                    "pairs (`paired=true`, aligned by names: every query)",
                    () -> pairs(spark, p1, p2, "auto")),
                new Case(
                    "pairs counted (`pairAlignment=count`), counts reused (a repeated query)",
                    () -> pairs(spark, p1, p2, "count")),
                new Case(
                    "pairs counted (`pairAlignment=count`), counting pass on every query",
                    () -> {
                      spark.conf().set(COUNT_CACHE, "false");
                      try {
                        return pairs(spark, p1, p2, "count");
                      } finally {
                        spark.conf().unset(COUNT_CACHE);
                      }
                    }),
                new Case(
                    "pairs with Casava header columns (`illuminaHeaders=true`), filtered on them",
                    () -> pairsWithHeaders(spark, p1, p2)),
                new Case(
                    "single reads, all columns, both files", () -> single(spark, p1, p2, "auto")),
                // Not the target's reference (that is the default above): how much of pairs' lead
                // over single reads is only single reads' copied windows.
                new Case(
                    "single reads, all columns, both files, windows mapped (`windowRead=map`)",
                    () -> single(spark, p1, p2, "map"))));
    if (!before.isEmpty()) {
      cases.add(1, new Case("pairs, changes off (--before)", () -> before(spark, p1, p2, before)));
    }
    if (join) {
      cases.add(
          new Case("R1 and R2 read separately, joined on name", () -> join(spark, p1, p2), true));
    }
    // Every way but the join runs `warmups` times, in turn, before any is timed: the way timed
    // first after the JVM starts would otherwise pay for most of the JIT compilation of the reader
    // and of the query (measured: short pairs, timed first, took 2.5 CPU s against 1.3 for the
    // same read timed second; with one round the compilers still took 1.9 s per query of the way
    // timed first against 0.7 s of the way timed third), which the per-way warm-up run alone does
    // not absorb.
    for (int round = 0; round < warmups; round++) {
      for (Case c : cases) {
        if (!c.joins()) {
          c.run().get();
        }
      }
    }
    // Each way's answer is checked first (its warm-up run); then the timed runs go round the ways,
    // run i of every way before run i + 1 of any, so that what the JVM still compiles, and changes
    // in the machine's load, fall on every way alike rather than on the way timed first (the join
    // apart: below).
    BenchRunner.settle(List.of(r1, r2), state);
    Answer reference = null;
    int failures = 0;
    List<Case> exact = new ArrayList<>();
    List<Answer> answers = new ArrayList<>();
    for (Case c : cases) {
      boolean single = c.name().startsWith("single");
      if (state == PageCache.State.COLD) {
        BenchRunner.settle(List.of(r1, r2), state);
      }
      Answer answer = c.run().get();
      List<String> problems = new ArrayList<>();
      long rows = single ? 2 * truth.pairs() : truth.pairs();
      if (answer.rows() != rows) {
        problems.add("rows " + answer.rows() + " != " + rows);
      }
      if (answer.bases() != truth.bases()) {
        problems.add("bases " + answer.bases() + " != " + truth.bases());
      }
      if (reference == null) {
        reference = answer;
      } else if (!single && answer.hash() != reference.hash()) {
        problems.add("hash differs from the pairs'");
      }
      if (!problems.isEmpty()) {
        failures++;
        table.format("| %s | %s | WRONG: %s | | | | | | | |", kind, c.name(), problems);
        continue;
      }
      exact.add(c);
      answers.add(answer);
    }
    Sums[] sums = new Sums[exact.size()];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = new Sums(runs);
    }
    // The join's timed runs come after every other way's: in turn with them, its shuffle and its
    // compilations fell on the way timed next (measured: the repeated pairs query, timed right
    // after the join, had 0.17 s of JIT per query against 0.07 to 0.12 s for the other ways, and
    // read at 0.71x of single reads against 0.96x to 1.13x in runs without that neighbour).
    for (boolean joinPass : new boolean[] {false, true}) {
      for (int run = 0; run < runs; run++) {
        for (int i = 0; i < exact.size(); i++) {
          if (exact.get(i).joins() != joinPass) {
            continue;
          }
          timeOnce(exact.get(i), answers.get(i), sums[i], run, state, r1, r2, spark, tasks);
        }
      }
    }
    double pairSeconds = 0;
    for (int i = 0; i < exact.size(); i++) {
      Case c = exact.get(i);
      Sums m = sums[i];
      BenchRunner.Timing timing = new BenchRunner.Timing(m.wall, m.cpu);
      double median = timing.wallMedian();
      double readCpu = m.read / 1e9 / runs;
      double countCpu = m.counting / 1e9 / runs;
      breakdown.format(
          "| %s | %s | %.3f | %.1f | %.3f | %.3f | %.3f | %.3f |",
          kind,
          c.name(),
          m.planning / 1e9 / runs,
          m.tasks / (double) runs,
          m.runNanos / 1e9 / runs,
          m.countingRunNanos / 1e9 / runs,
          m.gcMillis / 1e3 / runs,
          m.jitMillis / 1e3 / runs);
      if (pairSeconds == 0) {
        pairSeconds = median;
      }
      table.format(
          "| %s | %s | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %.2fx | %,d pairs, %,d bases:"
              + " exact |",
          kind,
          c.name(),
          median,
          timing.cpuMedian(),
          readCpu,
          countCpu,
          timing.cpuMedian() - readCpu - countCpu,
          truth.bytes() / 1e9 / median,
          pairSeconds / median,
          truth.pairs(),
          truth.bases());
    }
    return failures;
  }

  /** Times one run of {@code c} into {@code sums} and checks its answer against {@code answer}. */
  private static void timeOnce(
      Case c,
      Answer answer,
      Sums sums,
      int run,
      PageCache.State state,
      Path r1,
      Path r2,
      SparkSession spark,
      TaskCpu tasks)
      throws Exception {
    if (state == PageCache.State.COLD) {
      BenchRunner.settle(List.of(r1, r2), state);
    }
    spark.sparkContext().listenerBus().waitUntilEmpty();
    tasks.reset();
    PLANNING.set(0);
    long gc0 = gcMillis();
    long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    double c0 = BenchRunner.cpuSeconds();
    long t0 = System.nanoTime();
    Answer again = c.run().get();
    sums.wall[run] = (System.nanoTime() - t0) / 1e9;
    sums.cpu[run] = BenchRunner.cpuSeconds() - c0;
    if (!again.equals(answer)) {
      throw new IllegalStateException("the answer changed between runs: " + again);
    }
    spark.sparkContext().listenerBus().waitUntilEmpty();
    sums.add(tasks, gcMillis() - gc0, jit0);
  }

  /** One way's timed runs: wall and CPU seconds of each, and the sums of what the runs cost. */
  private static final class Sums {
    final double[] wall;
    final double[] cpu;
    long read;
    long counting;
    long runNanos;
    long countingRunNanos;
    long tasks;
    long planning;
    long gcMillis;
    long jitMillis;

    Sums(int runs) {
      wall = new double[runs];
      cpu = new double[runs];
    }

    void add(TaskCpu t, long gc, long jitBefore) {
      read += t.read.get();
      counting += t.counting.get();
      runNanos += t.runNanos.get();
      countingRunNanos += t.countingRunNanos.get();
      tasks += t.tasks.get();
      planning += PLANNING.get();
      gcMillis += gc;
      jitMillis += ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
    }
  }

  /**
   * Sums Spark's executor CPU time (run and deserialization) of finished tasks, the counting pass's
   * (its job description starts with "fastq-mmap counting pass") apart from the rest.
   */
  private static final class TaskCpu extends SparkListener {
    final AtomicLong read = new AtomicLong();
    final AtomicLong counting = new AtomicLong();
    final AtomicLong runNanos = new AtomicLong();
    final AtomicLong countingRunNanos = new AtomicLong();
    final AtomicLong tasks = new AtomicLong();
    private final Set<Integer> countingStages = ConcurrentHashMap.newKeySet();

    void reset() {
      read.set(0);
      counting.set(0);
      runNanos.set(0);
      countingRunNanos.set(0);
      tasks.set(0);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      String description =
          e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      if (description != null && description.startsWith("fastq-mmap counting pass")) {
        countingStages.add(e.stageInfo().stageId());
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      if (e.taskMetrics() == null) {
        return;
      }
      long ns = e.taskMetrics().executorCpuTime() + e.taskMetrics().executorDeserializeCpuTime();
      long run =
          (e.taskMetrics().executorRunTime() + e.taskMetrics().executorDeserializeTime())
              * 1_000_000L;
      if (countingStages.contains(e.stageId())) {
        counting.addAndGet(ns);
        countingRunNanos.addAndGet(run);
      } else {
        read.addAndGet(ns);
        runNanos.addAndGet(run);
        tasks.incrementAndGet();
      }
    }
  }

  /** Milliseconds of garbage collection so far (all collectors, as the JVM counts them). */
  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  /** Nanoseconds spent planning queries (to the executed plan), since the last reset. */
  private static final AtomicLong PLANNING = new AtomicLong();

  /**
   * Plans {@code q} (timed apart: the counting pass runs there), then runs that plan (collect, not
   * first(): first() plans a new query with a limit, which would plan the scan again).
   */
  private static Answer answer(Dataset<Row> q) {
    long t0 = System.nanoTime();
    q.queryExecution().executedPlan();
    PLANNING.addAndGet(System.nanoTime() - t0);
    return answer(q.collectAsList().get(0));
  }

  private static Answer answer(Row r) {
    return new Answer(
        r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2));
  }

  /**
   * The default pairs query with {@code before}'s settings (a {@code spark.} key as the session's
   * conf, any other as a JVM property), for an A/B of a change those settings turn off.
   */
  private static Answer before(SparkSession spark, String p1, String p2, String before) {
    for (String kv : before.split(",")) {
      if (kv.contains("=")) {
        String[] p = kv.split("=", 2);
        if (p[0].trim().startsWith("spark.")) {
          spark.conf().set(p[0].trim(), p[1].trim());
        } else {
          System.setProperty(p[0].trim(), p[1].trim());
        }
      }
    }
    try {
      return pairs(spark, p1, p2, "auto");
    } finally {
      for (String kv : before.split(",")) {
        if (kv.contains("=")) {
          String key = kv.split("=", 2)[0].trim();
          if (key.startsWith("spark.")) {
            spark.conf().unset(key);
          } else {
            System.clearProperty(key);
          }
        }
      }
    }
  }

  private static Answer pairs(SparkSession spark, String r1, String r2, String alignment) {
    Dataset<Row> df =
        spark
            .read()
            .format("fastq-mmap")
            .option("paired", "true")
            .option("pairAlignment", alignment)
            .load(r1, r2);
    return answer(
        df.selectExpr(
            "count(*)", "sum(octet_length(sequence1) + octet_length(sequence2))", HASH_PAIRS));
  }

  /**
   * Pairs with {@code illuminaHeaders}: every header parsed, and a filter on the header columns
   * that every pair passes (lanes 1 to 4, not filtered, mate 2 says read 2), so the answer is the
   * pairs'.
   */
  private static Answer pairsWithHeaders(SparkSession spark, String r1, String r2) {
    Dataset<Row> df =
        spark
            .read()
            .format("fastq-mmap")
            .option("paired", "true")
            .option("illuminaHeaders", "true")
            .load(r1, r2)
            .where("lane BETWEEN 1 AND 4 AND NOT filtered1 AND NOT filtered2 AND read2 = 2");
    return answer(
        df.selectExpr(
            "count(*)", "sum(octet_length(sequence1) + octet_length(sequence2))", HASH_PAIRS));
  }

  private static Answer single(SparkSession spark, String r1, String r2, String windowRead) {
    Dataset<Row> df =
        spark.read().format("fastq-mmap").option("windowRead", windowRead).load(r1, r2);
    return answer(
        df.selectExpr(
            "count(*)",
            "sum(octet_length(sequence))",
            "bit_xor(xxhash64(name, comment, sequence, quality))"));
  }

  private static Answer join(SparkSession spark, String r1, String r2) {
    Dataset<Row> a =
        spark
            .read()
            .format("fastq-mmap")
            .load(r1)
            .selectExpr(
                "regexp_replace(name, '/[12]$', '') AS name",
                "comment AS comment1",
                "sequence AS sequence1",
                "quality AS quality1");
    Dataset<Row> b =
        spark
            .read()
            .format("fastq-mmap")
            .load(r2)
            .selectExpr(
                "regexp_replace(name, '/[12]$', '') AS name",
                "comment AS comment2",
                "sequence AS sequence2",
                "quality AS quality2");
    return answer(
        a.join(b, "name")
            .selectExpr(
                "count(*)", "sum(octet_length(sequence1) + octet_length(sequence2))", HASH_PAIRS));
  }

  /**
   * Writes R1 and R2 of about {@code bytes} each (once; reused when present), Casava 1.8 headers
   * whose comment tells the mate. Short: R1 151 bp, R2 trimmed to 100-151 bp. Long: R1 and R2 of
   * independent lengths from 1,000 to 20,000 bp. Names are unique (lane, tile and y follow the
   * pair's number), so that a join on the name pairs each R1 record with its one mate.
   */
  private static Truth generate(Path r1, Path r2, long bytes, boolean longReads, PrintStream log)
      throws IOException {
    Path done = r1.resolveSibling(r1.getFileName() + ".truth");
    if (Files.exists(done) && Files.exists(r1) && Files.exists(r2)) {
      String[] t = Files.readString(done, StandardCharsets.US_ASCII).trim().split(" ");
      return new Truth(Long.parseLong(t[0]), Long.parseLong(t[1]), Long.parseLong(t[2]));
    }
    long t0 = System.nanoTime();
    Random random = new Random(longReads ? 14 : 41);
    long pairs = 0;
    long bases = 0;
    byte[] acgt = "ACGT".getBytes(StandardCharsets.US_ASCII);
    try (OutputStream a = new BufferedOutputStream(Files.newOutputStream(r1), 1 << 20);
        OutputStream b = new BufferedOutputStream(Files.newOutputStream(r2), 1 << 20)) {
      long written = 0;
      byte[] seq = new byte[20_000];
      byte[] qual = new byte[20_000];
      while (written < bytes) {
        // Lane and tile cycle with the pair's number and y is the rest of it, so that no two
        // pairs share a name: the join on the name is then exact (random x and y repeated a
        // name in 585,297 pairs, and the join made extra rows).
        String name =
            String.format(
                Locale.ROOT,
                "@A00123:8:H7KJ2DSXX:%d:%d:%d:%d",
                1 + pairs % 4,
                1101 + (pairs / 4) % 50,
                random.nextInt(32000),
                pairs / 200);
        int l1 = longReads ? 1000 + random.nextInt(19_001) : 151;
        int l2 = longReads ? 1000 + random.nextInt(19_001) : 100 + random.nextInt(52);
        written += mate(a, name + " 1:N:0:ACGTACGT", l1, seq, qual, acgt, random);
        mate(b, name + " 2:N:0:ACGTACGT", l2, seq, qual, acgt, random);
        pairs++;
        bases += l1 + l2;
      }
    }
    long total = Files.size(r1) + Files.size(r2);
    Files.writeString(done, pairs + " " + bases + " " + total, StandardCharsets.US_ASCII);
    log.printf(
        Locale.ROOT,
        "  wrote %s and %s: %,d pairs, %,d bytes in %.1f s%n",
        r1.getFileName(),
        r2.getFileName(),
        pairs,
        total,
        (System.nanoTime() - t0) / 1e9);
    return new Truth(pairs, bases, total);
  }

  private static long mate(
      OutputStream out, String header, int length, byte[] seq, byte[] qual, byte[] acgt, Random r)
      throws IOException {
    for (int i = 0; i < length; i++) {
      seq[i] = acgt[r.nextInt(4)];
      qual[i] = (byte) ('#' + r.nextInt(39));
    }
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    out.write(h);
    out.write('\n');
    out.write(seq, 0, length);
    out.write("\n+\n".getBytes(StandardCharsets.US_ASCII));
    out.write(qual, 0, length);
    out.write('\n');
    return h.length + 2L * length + 4;
  }
}
