/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.codec.BlockInflater;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.metrics.DeflateAccumulators;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Native inflate and deflate against htslib, on the same files: BGZF {@code count()} on one and two
 * cores against {@code bgzip -dc -@1} and {@code -@2}, BGZF writing on two cores against {@code
 * bgzip -@2}, gzip writing on two cores (libdeflate members) against {@code pigz -p 2 -6}
 * (installed with apt-get where missing and possible), and plain gzip reading with ISA-L against
 * the JDK's zlib (in a child JVM run with {@code -Dfastqmmap.disableNativeCodecs=true}, which also
 * reads the BGZF file and writes gzip there, as fastq-mmap did before libdeflate members). The BGZF
 * file is {@code bgzip -@2}'s. Every answer (records) is checked before a time is kept; each row
 * gives the median wall time of {@code --runs} runs and the CPU seconds they used (process CPU for
 * the JVM, children's CPU for the tools), since wall time on a shared machine is noise. A
 * fastq-mmap row and the htslib row it is held against alternate their timed runs, so that both
 * meet the same state of the machine. One more row says how much of the BGZF write's standing is
 * the library's build: {@code bgzip -@2} on the jar's libdeflate, alternated with itself on
 * Debian's, writing the same bytes.
 *
 * <pre>
 * java ... io.github.fastqmmap.bench.CodecBench [--mib 400] [--runs 3] [--warmup 1]
 *     [--data-dir /tmp/h-codec] [--split-mib N] [--blocks-only]
 * </pre>
 *
 * <p>Each fastq-mmap row runs {@code --warmup} untimed queries in its session first (the first of
 * them checked). The JVM's very first query, what a {@code spark-submit} job with one {@code
 * count()} meets, is its own row ("first query of the JVM"), and the fastq-mmap rows also give the
 * CPU of Spark's task threads alone, to hold the task's own work against the tool's CPU.
 *
 * <p>{@code --blocks-only} prints how fast each library inflates the BGZF file's blocks on one
 * thread, without Spark.
 */
public final class CodecBench {
  private static final Set<String> OPTIONS =
      Set.of(
          "mib",
          "runs",
          "warmup",
          "data-dir",
          "split-mib",
          "child",
          "help",
          "blocks-only",
          "breakdown");
  private static final Set<String> FLAGS = Set.of("help", "blocks-only", "breakdown");

  private CodecBench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Args a = new Args(args, FLAGS, OPTIONS);
    if (a.has("help")) {
      out.println(
          "usage: CodecBench [--mib 400] [--runs 3] [--warmup 1] [--data-dir DIR] [--split-mib N]");
      return 0;
    }
    int runs = a.getInt("runs", 3);
    int warmup = a.getInt("warmup", 1);
    if (warmup < 1) {
      throw new IllegalArgumentException(
          "--warmup must be at least 1 (the checked run): " + warmup);
    }
    // Spark's own maxPartitionBytes (128 MiB) unless asked: the split users meet.
    long splitBytes = a.getLong("split-mib", 0) << 20;
    Path dir = Path.of(a.get("data-dir", "/tmp/h-codec")).toAbsolutePath();
    BenchData.DataFile data =
        BenchData.ensure(
            dir, BenchData.Kind.ILLUMINA, a.getLong("mib", 400) << 20, BenchData.DEFAULT_SEED, out);
    long records = data.truth.records;
    Path plain = data.path;
    Path bgzf = bgzipCopy(dir, plain);
    Path gz = dir.resolve(plain.getFileName() + ".gzip6.gz");
    if (!Files.exists(gz)) {
      sh("gzip -6 -c '" + plain + "' > '" + gz + ".tmp' && mv '" + gz + ".tmp' '" + gz + "'");
    }
    if (a.has("blocks-only")) {
      blocks(bgzf, out);
      return 0;
    }
    if (a.has("breakdown")) {
      Breakdown.run(plain, bgzf, records, out);
      return 0;
    }
    String child = a.get("child", null);
    if (child != null) {
      return child(plain, gz, bgzf, records, runs, warmup, splitBytes, out);
    }
    out.printf(
        Locale.ROOT,
        "%s%ndata: %s (%,d bytes, %,d records), %s (%,d bytes), %s (%,d bytes)%n"
            + "native codecs (ISA-L; libdeflate): %s; %s%nwarm-up queries per fastq-mmap row: %d%n"
            + "split: %s%nload average at start: %s%n",
        ProcInfo.machine(),
        plain.getFileName(),
        Files.size(plain),
        records,
        bgzf.getFileName(),
        Files.size(bgzf),
        gz.getFileName(),
        Files.size(gz),
        NativeCodecs.isalStatus(),
        NativeCodecs.libdeflateStatus(),
        warmup,
        splitBytes > 0
            ? "maxPartitionBytes " + (splitBytes >> 20) + " MiB"
            : "Spark's maxPartitionBytes (128 MiB unless the session sets it)",
        ProcInfo.loadAverage());
    out.println(
        "page cache: read-ahead (each file evicted, then read once sequentially, before each row"
            + " or pair of rows); a fastq-mmap row and its htslib row alternate their timed runs");

    List<String[]> rows = new ArrayList<>();
    List<String> rounds = new ArrayList<>();
    for (int cores : new int[] {1, 2}) {
      String decompress = "bgzip -dc -@" + cores + " '" + bgzf + "'";
      try (SparkSession spark = session(cores, splitBytes)) {
        First first = new First();
        Paired t =
            timePaired(
                runs,
                warmup,
                () -> count(spark, bgzf),
                null,
                () -> lines(decompress) / 4,
                () -> sh(decompress + " > /dev/null"),
                records,
                bgzf,
                first);
        if (cores == 1) {
          // The JVM's first query: the Spark session is started, nothing else has run.
          rows.add(
              new String[] {
                "BGZF count(), fastq-mmap local[1], first query of the JVM",
                Double.toString(first.wall),
                Double.toString(first.cpu),
                Double.toString(first.taskCpu)
              });
        }
        rows.add(row("BGZF count(), fastq-mmap local[" + cores + "]", t.ours()));
        rows.add(row("BGZF read, bgzip -dc -@" + cores + " > /dev/null", t.peer()));
        rounds.add(t.rounds("BGZF count() local[" + cores + "] / bgzip -dc -@" + cores));
        if (cores == 2) {
          Path written = dir.resolve("written-bgzf");
          Callable<Long> write =
              () -> {
                write(spark, plain, written, "bgzf");
                return records;
              };
          Callable<Long> writeAndCount = () -> write.call() * 0 + count(spark, written);
          Path bgzipOut = dir.resolve("bgzip-written.gz");
          String compress = "bgzip -@2 -c '" + plain + "' > '" + bgzipOut + "'";
          Callable<Long> compressAndCount =
              () -> {
                sh(compress);
                return lines("bgzip -dc -@2 '" + bgzipOut + "'") / 4;
              };
          DeflatedBy deflated = DeflatedBy.listen(spark);
          Paired w =
              timePaired(
                  runs,
                  warmup,
                  writeAndCount,
                  write,
                  compressAndCount,
                  () -> sh(compress),
                  records,
                  plain,
                  new First());
          rows.add(
              row(
                  "BGZF write, fastq-mmap local[2] (plain FASTQ in), " + deflated.stop(spark),
                  w.ours()));
          rows.add(row("BGZF write, bgzip -@2", w.peer()));
          rounds.add(w.rounds("BGZF write local[2] / bgzip -@2"));
          bgzipOnBundledLibdeflate(dir, plain, bgzipOut, compress, records, runs, rows, rounds);
          if (ToolPeers.ensure("pigz", out)) {
            Path gzWritten = dir.resolve("written-gzip");
            Callable<Long> writeGz =
                () -> {
                  write(spark, plain, gzWritten, "gzip");
                  return records;
                };
            Path pigzOut = dir.resolve("pigz-written.gz");
            String pigz = "pigz -p 2 -6 -c '" + plain + "' > '" + pigzOut + "'";
            DeflatedBy gzDeflated = DeflatedBy.listen(spark);
            Paired g =
                timePaired(
                    runs,
                    warmup,
                    () -> writeGz.call() * 0 + count(spark, gzWritten),
                    writeGz,
                    () -> {
                      sh(pigz);
                      return lines("pigz -dc '" + pigzOut + "'") / 4;
                    },
                    () -> sh(pigz),
                    records,
                    plain,
                    new First());
            rows.add(
                row(
                    "gzip write, fastq-mmap local[2], "
                        + gzDeflated.stop(spark)
                        + " ("
                        + String.format(Locale.ROOT, "%,d", folderBytes(gzWritten))
                        + " bytes)",
                    g.ours()));
            rows.add(
                row(
                    "gzip write, pigz -p 2 -6 ("
                        + String.format(Locale.ROOT, "%,d", Files.size(pigzOut))
                        + " bytes)",
                    g.peer()));
            rounds.add(g.rounds("gzip write local[2] / pigz -p 2 -6"));
          }
          rows.add(
              row(
                  "gzip count(), fastq-mmap local[2], "
                      + (NativeCodecs.isalAvailable() ? "ISA-L" : "JDK zlib"),
                  timeQuery(runs, warmup, () -> count(spark, gz), records, gz, new First())));
        }
      }
    }

    // The JDK's zlib: a child JVM with native codecs disabled.
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-D" + NativeCodecs.DISABLE_PROPERTY + "=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CodecBench.class.getName());
    command.addAll(List.of(args));
    command.addAll(List.of("--child", "jdk", "--data-dir", dir.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("ROW\t")) {
          rows.add(line.substring(4).split("\t"));
        }
      }
    }
    if (p.waitFor() != 0) {
      out.println("the JDK child JVM failed (exit " + p.exitValue() + ")");
    }
    out.println();
    BenchRunner.Table table =
        new BenchRunner.Table(
            "work",
            ">median wall s",
            ">median CPU s",
            ">CPU s per GB",
            ">task threads' CPU s per GB",
            ">MB/s of FASTQ (wall)",
            "against the peer tool (wall; CPU)");
    double mb = Files.size(plain) / 1e6;
    for (String[] r : rows) {
      double wall = Double.parseDouble(r[1]);
      double cpu = Double.parseDouble(r[2]);
      String[] ref =
          rows.stream()
              .filter(x -> reference(r[0]) != null && x[0].startsWith(reference(r[0])))
              .findFirst()
              .orElse(null);
      String against =
          ref == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "%.2fx %s; %.2fx",
                  Double.parseDouble(ref[1]) / wall,
                  ref[0]
                      .replace("BGZF read, ", "")
                      .replace("BGZF write, ", "")
                      .replace("gzip write, ", "")
                      .replaceAll(" \\(.*", ""),
                  Double.parseDouble(ref[2]) / cpu);
      String task =
          r.length > 3
              ? String.format(Locale.ROOT, "%.2f", Double.parseDouble(r[3]) / (mb / 1e3))
              : "";
      table.format(
          "| %s | %.2f | %.2f | %.2f | %s | %.0f | %s |",
          r[0], wall, cpu, cpu / (mb / 1e3), task, mb / wall, against);
    }
    table.print(out);
    out.println();
    out.println("wall s of each alternated round, fastq-mmap / the peer tool (their ratio):");
    rounds.forEach(out::println);
    out.println("load average at end: " + ProcInfo.loadAverage());
    return 0;
  }

  /**
   * What of the BGZF write's lead is the library's build: Debian's {@code bgzip -@2} run on the
   * jar's libdeflate build ({@code LD_LIBRARY_PATH}), alternated with itself on Debian's, after
   * checking that both write the same bytes. Only on linux-x86-64, where the jar holds one.
   */
  private static void bgzipOnBundledLibdeflate(
      Path dir,
      Path plain,
      Path debianOut,
      String debianCompress,
      long records,
      int runs,
      List<String[]> rows,
      List<String> rounds)
      throws Exception {
    Path lib = dir.resolve("bundled-libdeflate");
    try (InputStream in =
        NativeCodecs.class.getResourceAsStream(NativeCodecs.bundledLibdeflateResource())) {
      if (in == null) {
        return;
      }
      Files.createDirectories(lib);
      Files.copy(in, lib.resolve("libdeflate.so.0"), StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = dir.resolve("bgzip-bundled-libdeflate.gz");
    String compress = "LD_LIBRARY_PATH='" + lib + "' bgzip -@2 -c '" + plain + "' > '" + out + "'";
    String ldd =
        "LD_LIBRARY_PATH='" + lib + "' ldd \"$(command -v bgzip)\" | grep -F '" + lib + "'";
    try {
      sh(ldd);
    } catch (IOException e) {
      System.out.println("bgzip does not load libdeflate.so.0 through LD_LIBRARY_PATH: " + e);
      return;
    }
    Paired b =
        timePaired(
            runs,
            1,
            () -> {
              sh(compress);
              sh(debianCompress);
              // Same library version, same level: the same bytes, or the comparison is void.
              sh("cmp '" + out + "' '" + debianOut + "'");
              return lines("bgzip -dc -@2 '" + out + "'") / 4;
            },
            () -> sh(compress),
            () -> lines("bgzip -dc -@2 '" + debianOut + "'") / 4,
            () -> sh(debianCompress),
            records,
            plain,
            new First());
    rows.add(
        row(
            "BGZF write, bgzip -@2 on fastq-mmap's libdeflate build (same bytes)",
            b.ours().timing()));
    rounds.add(b.rounds("bgzip -@2 on the jar's libdeflate / on Debian's"));
    Files.delete(out);
  }

  /** {@code bgzip -@2}'s BGZF copy of {@code plain} in {@code dir}, made when missing. */
  static Path bgzipCopy(Path dir, Path plain) throws IOException, InterruptedException {
    Path bgzf = dir.resolve(plain.getFileName() + ".bgzip.gz");
    if (!Files.exists(bgzf)) {
      sh(
          "bgzip -@2 -c '"
              + plain
              + "' > '"
              + bgzf
              + ".tmp' && mv '"
              + bgzf
              + ".tmp' '"
              + bgzf
              + "'");
    }
    return bgzf;
  }

  /**
   * The htslib row a fastq-mmap row is held against (its speed over ours is the ratio; above 1
   * means faster than htslib), or null.
   */
  private static String reference(String row) {
    if (row.startsWith("BGZF count(), fastq-mmap local[1]")) { // the first query's row too
      return "BGZF read, bgzip -dc -@1 > /dev/null";
    }
    if (row.startsWith("BGZF count(), fastq-mmap local[2]")) {
      return "BGZF read, bgzip -dc -@2 > /dev/null";
    }
    if (row.startsWith("BGZF write, fastq-mmap") || row.startsWith("BGZF write, bgzip -@2 on")) {
      return "BGZF write, bgzip -@2";
    }
    if (row.startsWith("gzip write, fastq-mmap")) {
      return "gzip write, pigz -p 2";
    }
    return null;
  }

  private static int child(
      Path plain,
      Path gz,
      Path bgzf,
      long records,
      int runs,
      int warmup,
      long splitBytes,
      PrintStream out)
      throws Exception {
    try (SparkSession spark = session(1, splitBytes)) {
      printRow(
          out,
          row(
              "BGZF count(), fastq-mmap local[1], JDK zlib",
              timeQuery(runs, warmup, () -> count(spark, bgzf), records, bgzf, new First())));
      printRow(
          out,
          row(
              "gzip count(), fastq-mmap local[1], JDK zlib",
              timeQuery(runs, warmup, () -> count(spark, gz), records, gz, new First())));
    }
    try (SparkSession spark = session(2, splitBytes)) {
      printRow(
          out,
          row(
              "BGZF count(), fastq-mmap local[2], JDK zlib",
              timeQuery(runs, warmup, () -> count(spark, bgzf), records, bgzf, new First())));
      // gzip output before libdeflate: one stream of the JDK's zlib. One checked run only before
      // the timed ones: each takes about a minute, nearly all of it in zlib.
      Path written = gz.resolveSibling("written-gzip-jdk");
      printRow(
          out,
          row(
              "gzip write, fastq-mmap local[2], JDK zlib",
              timeQuery(
                  runs,
                  1,
                  () -> {
                    write(spark, plain, written, "gzip");
                    return count(spark, written);
                  },
                  records,
                  plain,
                  new First())));
    }
    return 0;
  }

  /**
   * Every block of the BGZF file inflated (and CRC-32 checked) on this thread by each available
   * library: the inflate alone, without Spark, in thread CPU time.
   */
  private static void blocks(Path bgzf, PrintStream out) throws IOException {
    ByteBuffer file;
    try (FileChannel ch = FileChannel.open(bgzf)) {
      file = ByteBuffer.allocateDirect((int) Math.min(ch.size(), 1L << 30));
      while (file.hasRemaining() && ch.read(file) > 0) {
        // reads the file, or its first GiB
      }
    }
    file.flip().order(ByteOrder.LITTLE_ENDIAN);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ByteBuffer dst = ByteBuffer.allocateDirect(Bgzf.MAX_DATA_SIZE + 64);
    out.println(
        "| inflating every BGZF block, one thread (round 3 of 3) | MB out | CPU s | MB/s |");
    out.println("|---|---:|---:|---:|");
    for (int round = 0; round < 3; round++) {
      for (BlockInflater.Kind kind : BlockInflater.Kind.values()) {
        if (kind == BlockInflater.Kind.ISAL && !NativeCodecs.isalAvailable()
            || kind == BlockInflater.Kind.LIBDEFLATE && !NativeCodecs.libdeflateAvailable()) {
          continue;
        }
        CRC32 crc = new CRC32();
        long total = 0;
        long c0 = threads.getCurrentThreadCpuTime();
        try (BlockInflater inflater = BlockInflater.create(kind, new CodecCounters())) {
          for (int at = 0; at + 28 <= file.limit(); ) {
            int size = (file.getShort(at + 16) & 0xFFFF) + 1;
            if (at + size > file.limit()) {
              break;
            }
            int isize = file.getInt(at + size - 4);
            ByteBuffer src = file.duplicate().limit(at + size - 8).position(at + 18);
            dst.clear().limit(isize + 64);
            if (inflater.inflate(src, dst) != isize) {
              throw new IllegalStateException(kind + ": block at " + at + " is wrong");
            }
            crc.update(dst.limit(isize));
            total += isize;
            at += size;
          }
        } catch (java.util.zip.DataFormatException e) {
          throw new IOException(e);
        }
        double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        if (round == 2) {
          out.printf(
              Locale.ROOT,
              "| %s | %.0f | %.3f | %.0f |%n",
              kind,
              total / 1e6,
              cpu,
              total / 1e6 / cpu);
        }
      }
    }
  }

  private static void printRow(PrintStream out, String[] r) {
    out.println("ROW\t" + String.join("\t", r));
    out.flush();
  }

  private static String[] row(String what, BenchRunner.Timing t) {
    return new String[] {what, Double.toString(t.wallMedian()), Double.toString(t.cpuMedian())};
  }

  private static String[] row(String what, Timed t) {
    return new String[] {
      what,
      Double.toString(t.timing.wallMedian()),
      Double.toString(t.timing.cpuMedian()),
      Double.toString(Result.median(t.taskCpu))
    };
  }

  /** A Spark query's timed runs and the CPU seconds of Spark's task threads in each. */
  private record Timed(BenchRunner.Timing timing, double[] taskCpu) {}

  /** Wall, process CPU and task threads' CPU seconds of a row's first (checked) query. */
  private static final class First {
    double wall;
    double cpu;
    double taskCpu;
  }

  /**
   * As {@link #time(int, Callable, Callable, long, Path)} for a Spark query: the checked run is
   * timed into {@code first}, {@code warmup - 1} more untimed runs follow it, and every timed run
   * also measures the CPU of Spark's task threads.
   */
  private static Timed timeQuery(
      int runs, int warmup, Callable<Long> query, long expected, Path file, First first)
      throws Exception {
    Callable<Long> checkAndWarm =
        () -> {
          long answer = firstRun(query, first);
          for (int i = 1; i < warmup; i++) {
            query.call();
          }
          return answer;
        };
    double[] taskCpu = new double[runs];
    int[] run = {0};
    Callable<Object> measured =
        () -> {
          Map<Long, Long> t0 = taskThreadTicks(Map.of());
          long answer = query.call();
          taskCpu[run[0]++] = ticksSince(t0);
          if (answer != expected) {
            // every timed query is checked, as BenchRunner.measure does for untimed-apart cases
            throw new IllegalStateException("the answer changed between runs: " + answer);
          }
          return answer;
        };
    BenchRunner.Timing timing = time(runs, checkAndWarm, measured, expected, file);
    return new Timed(timing, taskCpu);
  }

  /**
   * Runs {@code check} once, its wall, process CPU and task threads' CPU timed into {@code first}.
   */
  private static long firstRun(Callable<Long> check, First first) throws Exception {
    Map<Long, Long> t0 = taskThreadTicks(Map.of());
    double c0 = BenchRunner.cpuSeconds();
    long n0 = System.nanoTime();
    long answer = check.call();
    first.wall = (System.nanoTime() - n0) / 1e9;
    first.cpu = BenchRunner.cpuSeconds() - c0;
    first.taskCpu = ticksSince(t0);
    return answer;
  }

  /** A fastq-mmap row's timed runs and its htslib row's, taken in alternation. */
  private record Paired(Timed ours, BenchRunner.Timing peer) {
    /** Each round's wall seconds, ours / the tool's, and their ratio (the tool's over ours). */
    String rounds(String what) {
      StringBuilder b = new StringBuilder(what).append(':');
      for (int i = 0; i < peer.wall().length; i++) {
        double o = ours.timing.wall()[i];
        double p = peer.wall()[i];
        b.append(String.format(Locale.ROOT, " %.2f/%.2f (%.2fx)", o, p, p / o));
      }
      return b.toString();
    }
  }

  /**
   * A Spark query and the htslib command it is held against, timed in turn: both answers are
   * checked first (ours with {@code warmup} untimed queries, as {@link #timeQuery}), then {@code
   * runs} rounds each time one run of each, ours first in even rounds and the tool first in odd
   * ones. This VM's speed drifts over minutes (the same one-core BGZF count measured 0.86x {@code
   * bgzip -dc -@1} timed after it and 0.97x to 1.01x alternated, 2026-12-06), so rows timed minutes
   * apart compare the drift as much as the tools.
   */
  private static Paired timePaired(
      int runs,
      int warmup,
      Callable<Long> check,
      Callable<?> timed,
      Callable<Long> peerCheck,
      Callable<?> peerTimed,
      long expected,
      Path file,
      First first)
      throws Exception {
    BenchRunner.settle(List.of(file), PageCache.State.READ_AHEAD);
    long answer = firstRun(check, first);
    if (answer != expected) {
      throw new IllegalStateException("wrong answer: " + answer + " records, expected " + expected);
    }
    Callable<?> again = timed == null ? check : timed;
    for (int i = 1; i < warmup; i++) {
      again.call();
    }
    long peerAnswer = peerCheck.call();
    if (peerAnswer != expected) {
      throw new IllegalStateException(
          "wrong answer from htslib: " + peerAnswer + " records, expected " + expected);
    }
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    double[] taskCpu = new double[runs];
    double[] peerWall = new double[runs];
    double[] peerCpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      for (int side = 0; side < 2; side++) {
        boolean oursNow = (side == 0) == (i % 2 == 0);
        Map<Long, Long> ticks = oursNow ? taskThreadTicks(Map.of()) : Map.of();
        double c = BenchRunner.cpuSeconds();
        long n = System.nanoTime();
        Object got = oursNow ? again.call() : peerTimed.call();
        double w = (System.nanoTime() - n) / 1e9;
        double used = BenchRunner.cpuSeconds() - c;
        if (oursNow) {
          if (timed == null && !got.equals(expected)) {
            throw new IllegalStateException("the answer changed between runs: " + got);
          }
          wall[i] = w;
          cpu[i] = used;
          taskCpu[i] = ticksSince(ticks);
        } else {
          peerWall[i] = w;
          peerCpu[i] = used;
        }
      }
    }
    return new Paired(
        new Timed(new BenchRunner.Timing(wall, cpu), taskCpu),
        new BenchRunner.Timing(peerWall, peerCpu));
  }

  /** CPU seconds Spark's task threads used since {@code before} ({@link #taskThreadTicks}). */
  private static double ticksSince(Map<Long, Long> before) throws IOException {
    long ticks = 0;
    for (Map.Entry<Long, Long> e : taskThreadTicks(before).entrySet()) {
      ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return ticks / 100.0;
  }

  /**
   * CPU ticks (user and system, 1/100 s) of this process's Spark task threads ("Executor task
   * launch worker"), by thread id; with {@code before} non-empty, also threads listed there.
   */
  private static Map<Long, Long> taskThreadTicks(Map<Long, Long> before) throws IOException {
    Map<Long, Long> m = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          long id = Long.parseLong(t.getFileName().toString());
          String name = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII);
          if (!name.startsWith("Executor task") && !before.containsKey(id)) {
            continue;
          }
          String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          m.put(id, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile: its last ticks are lost (a task thread outlives a query)
        }
      }
    }
    return m;
  }

  /**
   * What deflated the writes of a row, as the write accumulators ({@code
   * fastq-mmap.bytesDeflatedNatively}, {@code ...ByJdk}) reported it over its runs: the label says
   * what ran, not what this JVM found at start.
   */
  private static final class DeflatedBy extends SparkListener {
    private final Map<Long, Long> natively = new ConcurrentHashMap<>();
    private final Map<Long, Long> byJdk = new ConcurrentHashMap<>();

    static DeflatedBy listen(SparkSession spark) {
      DeflatedBy listener = new DeflatedBy();
      spark.sparkContext().addSparkListener(listener);
      return listener;
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
      for (AccumulableInfo info :
          JavaConverters.mapAsJavaMap(event.stageInfo().accumulables()).values()) {
        if (info.name().isEmpty() || info.value().isEmpty()) {
          continue;
        }
        String name = info.name().get();
        long value = ((Number) info.value().get()).longValue();
        if (name.equals(DeflateAccumulators.NATIVELY)) {
          natively.put(info.id(), value);
        } else if (name.equals(DeflateAccumulators.BY_JDK)) {
          byJdk.put(info.id(), value);
        }
      }
    }

    /** Stops listening; which library the accumulators saw deflate, with their bytes. */
    String stop(SparkSession spark) throws java.util.concurrent.TimeoutException {
      spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
      spark.sparkContext().removeSparkListener(this);
      long n = natively.values().stream().mapToLong(Long::longValue).sum();
      long j = byJdk.values().stream().mapToLong(Long::longValue).sum();
      String what = n > 0 && j == 0 ? "libdeflate" : j > 0 && n == 0 ? "JDK zlib" : "both";
      return String.format(
          Locale.ROOT, "%s (deflated natively %,d B, by the JDK %,d B)", what, n, j);
    }
  }

  private static SparkSession session(int cores, long splitBytes) {
    return BenchRunner.session("fastq-mmap codec benchmark", "local[" + cores + "]", splitBytes);
  }

  /**
   * Reads {@code plain} and writes it with {@code compression} into the folder {@code out},
   * replacing it.
   */
  static void write(SparkSession spark, Path plain, Path out, String compression) {
    spark
        .read()
        .format("fastq-mmap")
        .load(plain.toString())
        .write()
        .mode("overwrite")
        .format("fastq-mmap")
        .option("compression", compression)
        .save(out.toString());
  }

  /** The bytes of a written folder's part files. */
  private static long folderBytes(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("part-"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  private static long count(SparkSession spark, Path file) {
    return spark.read().format("fastq-mmap").load(file.toString()).count();
  }

  /**
   * Checks the answer once with {@code check} (also a warm-up), then times {@code runs} runs of
   * {@code timed} ({@code check} again when null), with {@code file} read ahead into the page cache
   * first ({@link BenchRunner#measure}).
   */
  private static BenchRunner.Timing time(
      int runs, Callable<Long> check, Callable<?> timed, long expected, Path file)
      throws Exception {
    BenchRunner.Measured<Long> m =
        BenchRunner.measure(
            PageCache.State.READ_AHEAD,
            List.of(file),
            runs,
            check,
            timed,
            answer ->
                answer == expected
                    ? List.of()
                    : List.of("wrong answer: " + answer + " records, expected " + expected));
    if (!m.exact()) {
      throw new IllegalStateException(m.problems().get(0));
    }
    return m.timing();
  }

  static long sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IOException("failed (" + exit + "): " + command);
    }
    return 0;
  }

  /** Runs a shell command and counts the lines it prints. */
  static long lines(String command) throws IOException, InterruptedException {
    Path count = Files.createTempFile("codecbench", ".txt");
    try {
      sh(command + " | wc -l > '" + count + "'");
      return Long.parseLong(Files.readString(count, StandardCharsets.US_ASCII).trim());
    } finally {
      Files.delete(count);
    }
  }
}
