/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Starting, watching and stopping the JVMs the integration tests launch. */
final class Processes {
  private Processes() {}

  /** A free TCP port on the loopback address (the race until it is bound again is accepted). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a Spark JVM with stdout and stderr going to {@code log}. */
  static Process startSparkJvm(List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command);
    ItEnv.sparkEnvironment(pb.environment());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Files.writeString(
        log.resolveSibling(log.getFileName() + ".cmd"),
        String.join(" ", command) + "\n",
        StandardCharsets.UTF_8);
    return pb.start();
  }

  /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, Process mustStayAlive, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (mustStayAlive != null && !mustStayAlive.isAlive()) {
        throw new IllegalStateException(
            what + ": the process exited with " + mustStayAlive.exitValue() + " first");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not done after " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /** True when the file exists and contains {@code text}. */
  static boolean logContains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException | UncheckedIOException e) {
      return false; // being written
    }
  }

  /**
   * Stops a process and everything it started: SIGTERM to the process (Spark's Worker then stops
   * its executors and drivers), then SIGKILL to whatever of the tree is left after the grace time.
   */
  static void stopTree(ProcessHandle root, Duration grace) {
    if (root == null) {
      return;
    }
    List<ProcessHandle> tree = root.descendants().collect(Collectors.toList());
    root.destroy();
    try {
      root.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // still running: killed below
    }
    root.destroyForcibly();
    tree.addAll(root.descendants().collect(Collectors.toList()));
    for (ProcessHandle p : tree) {
      p.destroyForcibly();
    }
  }

  /** The first process whose command line contains every one of {@code parts}. */
  static Optional<ProcessHandle> findByCommandLine(String... parts) {
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              for (String part : parts) {
                if (!cmd.contains(part)) {
                  return false;
                }
              }
              return true;
            })
        .findFirst();
  }
}
