/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test, with this JVM's class path and Spark module flags, whose output lines
 * the test reads as they come. Always closed (and killed if still running) by the test.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  private final Thread pump;

  /**
   * Starts {@code prefix} (a wrapper such as {@code setpriv ...}, may be empty), then java with the
   * build's Spark JVM flags ({@link ItEnv#sparkJvmFlags}), this build's jna.tmpdir, {@code
   * jvmOptions} and the main class.
   */
  ChildJvm(List<String> prefix, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(ItEnv.javaBin());
    command.addAll(ItEnv.sparkJvmFlags());
    command.addAll(ItEnv.childJitFlags());
    command.add("-Djna.tmpdir=" + ItEnv.jnaDir());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    process = pb.start();
    pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  System.out.println("[child " + process.pid() + "] " + line);
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("ChildJvm: output lost: " + e);
              }
            },
            "child-jvm-output");
    pump.setDaemon(true);
    pump.start();
  }

  long pid() {
    return process.pid();
  }

  /** The next output line that starts with {@code prefix}, without the prefix. */
  String await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line =
          left > 0 ? lines.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS) : null;
      if (line == null && left > 0 && (pump.isAlive() || !lines.isEmpty())) {
        continue; // still running, or output still coming
      }
      if (line == null) {
        throw new AssertionError(
            "no line starting with '"
                + prefix
                + "' from the child in "
                + timeout
                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                + "; its last lines: "
                + String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size())));
      }
      all.add(line);
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
  }

  /** Sends one line to the child's standard input. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the child to exit and returns its exit code. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the child did not exit in " + timeout);
    }
    pump.join(5_000);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
