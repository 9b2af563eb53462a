/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.testing.ExternalTools;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On linux-x86-64 the jar's own libdeflate build deflates, and gives the bytes the system's
 * libdeflate of the same version gives. Skips, saying why, elsewhere, with native codecs disabled,
 * or without Debian's libdeflate0 to compare with.
 */
class BundledLibdeflateTest {
  private static final Path SYSTEM_LIBDEFLATE =
      Path.of("/usr/lib/x86_64-linux-gnu/libdeflate.so.0");

  private static final int[] LEVELS = {1, -1, 9};

  private static final String SCRIPT = "native/build-libdeflate.sh";

  private static final String BUNDLED =
      "connector/src/main/resources/io/github/fastqmmap/codec/linux-x86-64/libdeflate.so.0";

  @TempDir Path dir;

  private static void assumeBundledPlatform() {
    assumeTrue(
        "linux-x86-64".equals(Platform.RESOURCE_PREFIX),
        "the jar bundles libdeflate for linux-x86-64 only, not " + Platform.RESOURCE_PREFIX);
    assumeTrue(
        !Boolean.getBoolean(NativeCodecs.DISABLE_PROPERTY),
        "native codecs disabled: " + NativeCodecs.libdeflateStatus());
  }

  @Test
  void theJarsBuildIsTheOneLoaded() {
    assumeBundledPlatform();
    assertThat(NativeCodecs.libdeflateStatus())
        .isEqualTo("libdeflate 1.14 bundled in fastq-mmap (linux-x86-64)");
    assertThat(NativeCodecs.libdeflateAvailable()).isTrue();
    assertThat(NativeCodecs.class.getResource("linux-x86-64/libdeflate.COPYING")).isNotNull();
  }

  @Test
  void turnedOffTheSystemsLibdeflateWritesTheSameBgzf() throws Exception {
    assumeBundledPlatform();
    assumeTrue(
        Files.exists(SYSTEM_LIBDEFLATE),
        SYSTEM_LIBDEFLATE + " is absent (Debian package libdeflate0)");
    Path fastq = dir.resolve("in.fastq");
    Files.write(fastq, FastqFileGenerator.builder(21).records(4000).bytes());

    ExternalTools.Run child =
        ExternalTools.run(
            dir,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-D" + NativeCodecs.BUNDLED_LIBDEFLATE_PROPERTY + "=false",
            "-Djna.tmpdir="
                + System.getProperty("jna.tmpdir", System.getProperty("java.io.tmpdir")),
            "-cp",
            System.getProperty("java.class.path"),
            BgzfWithThisJvmsLibdeflate.class.getName(),
            fastq.toString(),
            dir.resolve("system").toString());

    assertThat(child.exit()).as(child.err()).isZero();
    assertThat(new String(child.out(), StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "libdeflate (libdeflate.so.0); bundled libdeflate turned off by"
                + " -Dfastqmmap.bundledLibdeflate=false");
    List<byte[]> bundled = BgzfWithThisJvmsLibdeflate.write(Files.readAllBytes(fastq));
    for (int i = 0; i < LEVELS.length; i++) {
      assertThat(Files.readAllBytes(dir.resolve("system." + i + ".gz")))
          .as("level %d", LEVELS[i])
          .isEqualTo(bundled.get(i));
    }
  }

  @Test
  void theBundledLibraryIsWhatItsScriptBuildsFromDebiansSource() throws Exception {
    assumeBundledPlatform();
    Path root = Path.of("..", "..");
    assumeTrue(Files.exists(root.resolve(SCRIPT)), SCRIPT + " is not two levels above the module");
    ExternalTools.assumeTool("gcc", "gcc");
    ExternalTools.assumeTool("make", "make");
    ExternalTools.assumeTool("curl", "curl");
    try (InputStream jar =
        NativeCodecs.class.getResourceAsStream(NativeCodecs.bundledLibdeflateResource())) {
      assertThat(jar.readAllBytes()).isEqualTo(Files.readAllBytes(root.resolve(BUNDLED)));
    }

    ExternalTools.Run check = ExternalTools.run(root, "bash", SCRIPT, "--check");

    assumeTrue(check.exit() != 3, "offline: " + check.err().strip());
    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(new String(check.out(), StandardCharsets.UTF_8))
        .startsWith("build-libdeflate: the bundled library is this source's build");
  }

  /** The child JVM: prints its libdeflate's status and writes BGZF at each level to files. */
  static final class BgzfWithThisJvmsLibdeflate {
    public static void main(String[] args) throws IOException {
      List<byte[]> written = write(Files.readAllBytes(Path.of(args[0])));
      for (int i = 0; i < written.size(); i++) {
        Files.write(Path.of(args[1] + "." + i + ".gz"), written.get(i));
      }
      System.out.println(NativeCodecs.libdeflateStatus());
    }

    static List<byte[]> write(byte[] data) throws IOException {
      List<byte[]> out = new ArrayList<>();
      for (int level : LEVELS) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream bgzf = new BgzfOutputStream(bytes, level)) {
          bgzf.write(data);
        }
        out.add(bytes.toByteArray());
      }
      return out;
    }
  }
}
