/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command-line peers: seqkit and htslib's samtools, run as processes on the same file. Each
 * answers with records and bases, which are checked like every other answer before a time is kept.
 * A tool that is missing is installed with {@code apt-get} where the harness may (root, Debian);
 * otherwise its cases fail with the reason and the other cases run.
 */
final class ToolPeers {
  /** The command and the Debian package that provides it. */
  static final Map<String, String> PACKAGES = Map.of("seqkit", "seqkit", "samtools", "samtools");

  private ToolPeers() {}

  /** Installs the tools that are missing, where possible; says what it did. */
  static void ensureInstalled(PrintStream out) {
    List<String> missing = new ArrayList<>();
    for (String tool : PACKAGES.keySet()) {
      if (which(tool) == null) {
        missing.add(PACKAGES.get(tool));
      }
    }
    install(missing, out);
  }

  /**
   * Whether {@code tool} (a command that Debian's package of the same name provides) is present,
   * after installing it where missing and possible.
   */
  static boolean ensure(String tool, PrintStream out) {
    if (which(tool) == null) {
      install(List.of(tool), out);
    }
    return which(tool) != null;
  }

  private static void install(List<String> packages, PrintStream out) {
    if (packages.isEmpty()) {
      return;
    }
    if (which("apt-get") == null) {
      out.println("peers: " + packages + " missing and no apt-get: their cases are skipped");
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
    cmd.addAll(packages);
    try {
      Result r = run(cmd, 600);
      out.println(
          "peers: apt-get install "
              + packages
              + (r.code == 0 ? ": done" : ": failed, " + r.tail()));
    } catch (IOException e) {
      out.println("peers: apt-get install " + packages + " failed: " + e.getMessage());
    }
  }

  /** {@code seqkit stats -T -j threads}: records ({@code num_seqs}) and bases ({@code sum_len}). */
  static Map<String, Long> seqkitStats(String path, int threads) throws IOException {
    require("seqkit");
    Result r = run(List.of("seqkit", "stats", "-T", "-j", Integer.toString(threads), path), 3600);
    if (r.code != 0) {
      throw new IOException("seqkit stats exited with " + r.code + ": " + r.tail());
    }
    String[] lines = r.stdout.trim().split("\n");
    List<String> header = List.of(lines[0].split("\t"));
    String[] row = lines[lines.length - 1].split("\t");
    Map<String, Long> a = new LinkedHashMap<>();
    a.put("records", Long.parseLong(row[header.indexOf("num_seqs")].replace(",", "")));
    a.put("bases", Long.parseLong(row[header.indexOf("sum_len")].replace(",", "")));
    return a;
  }

  /**
   * htslib: {@code samtools import -0 <file> -u | samtools stats -}, every record parsed into an
   * unaligned BAM record (uncompressed) and counted: records ({@code raw total sequences}) and
   * bases ({@code total length}). {@code samtools fqidx} was tried first: it keeps one index line
   * per distinct name, so it undercounts files whose names repeat (the generator's do: 64 of
   * 780,002 on 256 MiB).
   */
  static Map<String, Long> samtoolsImportStats(String path) throws IOException {
    require("samtools");
    Result r =
        run(
            List.of(
                "bash",
                "-c",
                "set -o pipefail; samtools import -0 \"$1\" -u -o - | samtools stats -",
                "samtools",
                path),
            3600);
    if (r.code != 0) {
      throw new IOException(
          "samtools import | samtools stats exited with " + r.code + ": " + r.tail());
    }
    Map<String, Long> a = new LinkedHashMap<>();
    for (String line : r.stdout.split("\n")) {
      String[] f = line.split("\t");
      if (f.length >= 3 && f[0].equals("SN")) {
        if (f[1].equals("raw total sequences:")) {
          a.put("records", Long.parseLong(f[2].trim()));
        } else if (f[1].equals("total length:")) {
          a.put("bases", Long.parseLong(f[2].trim()));
        }
      }
    }
    return a;
  }

  private static void require(String tool) throws IOException {
    if (which(tool) == null) {
      throw new IOException(
          "skipped: "
              + tool
              + " is not installed (Debian package "
              + PACKAGES.get(tool)
              + "; the harness installs it with apt-get where it may)");
    }
  }

  static String which(String tool) {
    String pathEnv = System.getenv("PATH");
    if (pathEnv == null) {
      return null;
    }
    for (String dir : pathEnv.split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private static final class Result {
    int code;
    String stdout;
    String stderr;

    String tail() {
      String s = (stderr + "\n" + stdout).trim();
      return s.length() > 300 ? "..." + s.substring(s.length() - 300) : s;
    }
  }

  private static Result run(List<String> cmd, long timeoutSeconds) throws IOException {
    Path err = Files.createTempFile("bench-peer", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(nullFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
      }
      Result r = new Result();
      r.code = p.exitValue();
      r.stdout = out;
      r.stderr = Files.readString(err, StandardCharsets.UTF_8);
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(String.format(Locale.ROOT, "/dev/null"));
  }
}
