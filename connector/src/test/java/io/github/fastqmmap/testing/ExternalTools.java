/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools (bgzip, zstd) that tests compare against; skips when one is absent. */
public final class ExternalTools {
  private ExternalTools() {}

  /** Whether {@code tool} is an executable on the PATH. */
  public static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Skips the test, saying which Debian package to install, when {@code tool} is absent. */
  public static void assumeTool(String tool, String debianPackage) {
    assumeTrue(onPath(tool), tool + " is not on the PATH (Debian package " + debianPackage + ")");
  }

  /** A finished command: exit status, standard output, standard error. */
  public record Run(int exit, byte[] out, String err) {}

  /** Runs {@code command} in {@code cwd}, with at most two minutes to finish. */
  public static Run run(Path cwd, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(cwd, "out", ".bin");
    Path err = Files.createTempFile(cwd, "err", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(cwd.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      return new Run(
          p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs {@code command} and fails with its standard error unless it exits with 0. */
  public static byte[] runOk(Path cwd, String... command) throws IOException, InterruptedException {
    Run r = run(cwd, command);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }
}
