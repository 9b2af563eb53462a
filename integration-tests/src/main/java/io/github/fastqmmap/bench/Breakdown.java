/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.BlockDeflater;
import io.github.fastqmmap.codec.BlockInflater;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.parse.RecordReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import org.apache.spark.sql.SparkSession;

/**
 * Where the CPU of BGZF reading and writing goes, without Spark, in CPU seconds per GB of FASTQ
 * (thread CPU for this JVM's steps, children's CPU for htslib's tools), so that the comparison with
 * {@code bgzip} holds on a loaded machine: each step is run twice and its lower figure kept.
 */
final class Breakdown {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Breakdown() {}

  static void run(Path plain, Path bgzf, long records, PrintStream out) throws Exception {
    double gb = Files.size(plain) / 1e9;
    out.printf(
        Locale.ROOT,
        "%s%nbreakdown of BGZF CPU per GB of FASTQ (%.3f GB, %,d records), load average %s%n"
            + "| step | CPU s per GB |%n|---|---:|%n",
        ProcInfo.machine(),
        gb,
        records,
        ProcInfo.loadAverage());
    cat(plain);
    cat(bgzf);
    // -Dbreakdown=read,spark,write (the default) picks the parts.
    String parts = System.getProperty("breakdown", "read,spark,write");
    if (parts.contains("read")) {
      readSide(plain, bgzf, records, gb, out);
    }
    if (parts.contains("spark")) {
      sparkSide(plain, bgzf, records, gb, out);
    }
    if (parts.contains("write")) {
      writeSide(plain, gb, out);
    }
    out.println("load average at end: " + ProcInfo.loadAverage());
  }

  private static void readSide(Path plain, Path bgzf, long records, double gb, PrintStream out)
      throws Exception {
    ByteBuffer file = readDirect(bgzf);
    for (BlockInflater.Kind kind : BlockInflater.Kind.values()) {
      if (kind == BlockInflater.Kind.ISAL && !NativeCodecs.isalAvailable()
          || kind == BlockInflater.Kind.LIBDEFLATE && !NativeCodecs.libdeflateAvailable()) {
        continue;
      }
      row(out, "inflate only, " + kind, gb, thread(() -> inflateAll(kind, file, false)));
      row(out, "inflate and JDK CRC32, " + kind, gb, thread(() -> inflateAll(kind, file, true)));
    }
    row(
        out,
        "fastq-mmap BGZF count, no Spark (pread, inflate, CRC, scan)",
        gb,
        thread(() -> count(bgzf, records)));
    row(
        out,
        "fastq-mmap plain count, no Spark (mapped scan)",
        gb,
        thread(() -> count(plain, records)));
    row(out, "bgzip -dc -@1 > /dev/null", gb, tool("bgzip -dc -@1 '" + bgzf + "' > /dev/null"));
    row(out, "bgzip -dc -@2 > /dev/null", gb, tool("bgzip -dc -@2 '" + bgzf + "' > /dev/null"));
  }

  private static void writeSide(Path plain, double gb, PrintStream out) throws Exception {
    byte[] data = Files.readAllBytes(plain);
    row(out, "deflate only (BlockDeflater, 65280-byte blocks)", gb, thread(() -> deflateAll(data)));
    row(out, "BgzfOutputStream to a null stream", gb, thread(() -> bgzfWrite(data)));
    row(out, "bgzip -@1 -c > /dev/null", gb, tool("bgzip -@1 -c '" + plain + "' > /dev/null"));
    row(out, "bgzip -@2 -c > /dev/null", gb, tool("bgzip -@2 -c '" + plain + "' > /dev/null"));
  }

  /**
   * {@code count()} through Spark on one and two cores: CPU of the task threads and of every other
   * thread of this JVM (driver, scheduler, JIT, GC), against the wall time.
   */
  private static void sparkSide(Path plain, Path bgzf, long records, double gb, PrintStream out)
      throws Exception {
    boolean write = System.getProperty("breakdown", "write").contains("write");
    for (int cores : new int[] {1, 2}) {
      try (SparkSession spark =
          BenchRunner.session("breakdown", "local[" + cores + "]", 32L << 20)) {
        Callable<Long> count =
            () -> {
              long n = spark.read().format("fastq-mmap").load(bgzf.toString()).count();
              if (n != records) {
                throw new IllegalStateException(n + " records, expected " + records);
              }
              return n;
            };
        threads(out, "Spark count() local[" + cores + "]", gb, 3, count);
        if (cores == 2 && write) {
          Path written = plain.resolveSibling("breakdown-written");
          Callable<Long> bgzfWrite =
              () -> {
                CodecBench.write(spark, plain, written, "bgzf");
                return records;
              };
          threads(out, "Spark BGZF write local[2]", gb, 1, bgzfWrite);
        }
      }
    }
  }

  /** Runs {@code work} twice untimed, then {@code runs} times, and prints CPU by thread. */
  private static void threads(
      PrintStream out, String what, double gb, int runs, Callable<Long> work) throws Exception {
    work.call();
    work.call();
    Map<Long, Long> before = threadCpu();
    double p0 = BenchRunner.cpuSeconds();
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      work.call();
    }
    double wall = (System.nanoTime() - t0) / 1e9 / runs;
    double process = (BenchRunner.cpuSeconds() - p0) / runs;
    Map<Long, Long> after = threadCpu();
    double task = 0;
    double other = 0;
    Map<String, Double> byName = new TreeMap<>();
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      double d = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 100.0 / runs;
      String name = NAMES.get(e.getKey());
      byName.merge(name, d, Double::sum);
      if (name.startsWith("Executor task")) {
        task += d;
      } else {
        other += d;
      }
    }
    row(out, what + ": wall s per GB", gb, wall);
    row(out, what + ": process CPU", gb, process);
    row(out, what + ": task threads' CPU", gb, task);
    row(out, what + ": other live threads' CPU", gb, other);
    for (Map.Entry<String, Double> e : byName.entrySet()) {
      if (e.getValue() > 0.01 * gb) {
        row(out, "  thread " + e.getKey(), gb, e.getValue());
      }
    }
  }

  /** CPU ticks of every thread of this process (JIT and GC threads too), by thread id. */
  private static Map<Long, Long> threadCpu() throws IOException {
    Map<Long, Long> m = new HashMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long id = Long.parseLong(t.getFileName().toString());
          m.put(id, Long.parseLong(f[11]) + Long.parseLong(f[12]));
          NAMES.put(
              id,
              Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII)
                  .trim()
                  .replaceAll("[0-9]+", "N"));
        } catch (IOException | RuntimeException e) {
          // the thread ended
        }
      }
    }
    return m;
  }

  private static final Map<Long, String> NAMES = new HashMap<>();

  private static void row(PrintStream out, String what, double gb, double cpu) {
    out.printf(Locale.ROOT, "| %s | %.3f |%n", what, cpu / gb);
    out.flush();
  }

  /** The lower thread CPU seconds of two runs. */
  private static double thread(Callable<?> work) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      work.call();
      best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
    }
    return best;
  }

  /** The lower children's CPU seconds of two runs of a shell command. */
  private static double tool(String command) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      double c0 = BenchRunner.cpuSeconds();
      long t0 = THREADS.getCurrentThreadCpuTime();
      sh(command);
      double own = (THREADS.getCurrentThreadCpuTime() - t0) / 1e9;
      best = Math.min(best, BenchRunner.cpuSeconds() - c0 - own);
    }
    return best;
  }

  private static void sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("failed: " + command);
    }
  }

  private static void cat(Path f) throws IOException, InterruptedException {
    sh("cat '" + f + "' > /dev/null");
  }

  private static ByteBuffer readDirect(Path f) throws IOException {
    ByteBuffer file;
    try (FileChannel ch = FileChannel.open(f)) {
      file = ByteBuffer.allocateDirect((int) Math.min(ch.size(), Integer.MAX_VALUE - 64));
      while (file.hasRemaining() && ch.read(file) > 0) {
        // the whole file, or its first 2 GiB
      }
    }
    return file.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Inflates every block into one reused buffer (as the reader's stays in cache). */
  private static long inflateAll(BlockInflater.Kind kind, ByteBuffer file, boolean checkCrc)
      throws DataFormatException {
    long total = 0;
    ByteBuffer dst = ByteBuffer.allocateDirect(Bgzf.MAX_DATA_SIZE + 64);
    CRC32 crc = new CRC32();
    try (BlockInflater inflater = BlockInflater.create(kind, new CodecCounters())) {
      for (int at = 0; at + 28 <= file.limit(); ) {
        int size = (file.getShort(at + 16) & 0xFFFF) + 1;
        if (at + size > file.limit()) {
          break;
        }
        int isize = file.getInt(at + size - 4);
        ByteBuffer src = file.duplicate().limit(at + size - 8).position(at + Bgzf.HEADER_SIZE);
        dst.clear().limit(isize + 64);
        if (inflater.inflate(src, dst) != isize) {
          throw new IllegalStateException(kind + ": block at " + at + " is wrong");
        }
        if (checkCrc) {
          crc.reset();
          crc.update(dst.limit(isize));
          if ((int) crc.getValue() != file.getInt(at + size - 8)) {
            throw new IllegalStateException("CRC-32 of the block at " + at);
          }
        }
        total += isize;
        at += size;
      }
    }
    return total;
  }

  private static long count(Path f, long expected) throws IOException {
    long n = 0;
    try (RecordReader r = FastqFiles.open(f)) {
      r.countOnly();
      while (r.next()) {
        n++;
      }
    }
    if (n != expected) {
      throw new IllegalStateException(f + ": " + n + " records, expected " + expected);
    }
    return n;
  }

  private static long deflateAll(byte[] data) {
    long total = 0;
    byte[] block = new byte[Bgzf.MAX_BLOCK_SIZE];
    try (BlockDeflater d = BlockDeflater.create(-1, Bgzf.DEFAULT_DATA_SIZE)) {
      for (int at = 0; at < data.length; at += Bgzf.DEFAULT_DATA_SIZE) {
        int n = Math.min(Bgzf.DEFAULT_DATA_SIZE, data.length - at);
        byte[] chunk =
            at == 0 && n == data.length ? data : java.util.Arrays.copyOfRange(data, at, at + n);
        total += d.deflate(chunk, n, block, 0, block.length);
      }
    }
    return total;
  }

  private static long bgzfWrite(byte[] data) throws IOException {
    try (OutputStream o = new BgzfOutputStream(OutputStream.nullOutputStream())) {
      for (int at = 0; at < data.length; at += 1 << 16) {
        o.write(data, at, Math.min(1 << 16, data.length - at));
      }
    }
    return data.length;
  }
}
