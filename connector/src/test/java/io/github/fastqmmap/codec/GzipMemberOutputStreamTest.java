/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fastqmmap.testing.FastqFileGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip written as libdeflate members is one gzip stream to every reader: the JDK's, and {@code
 * gzip} itself. Skips, saying why, where libdeflate is not present (Debian: libdeflate0).
 */
class GzipMemberOutputStreamTest {
  @TempDir Path dir;

  @BeforeEach
  void needsLibdeflate() {
    assumeTrue(
        NativeCodecs.libdeflateAvailable(),
        "libdeflate not used: " + NativeCodecs.libdeflateStatus());
  }

  private static byte[] write(byte[] data, int memberBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipMemberOutputStream gz = GzipMemberOutputStream.create(out, memberBytes)) {
      UnevenWrites.write(gz, data);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** Where each member starts, following the members' deflate ends through their trailers. */
  private static List<Integer> memberStarts(byte[] gz) throws IOException {
    List<Integer> starts = new ArrayList<>();
    int at = 0;
    while (at < gz.length) {
      starts.add(at);
      java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
      inflater.setInput(gz, at + 10, gz.length - at - 10);
      byte[] sink = new byte[1 << 16];
      try {
        while (!inflater.finished()) {
          inflater.inflate(sink);
        }
      } catch (java.util.zip.DataFormatException e) {
        throw new IOException(e);
      }
      at = gz.length - inflater.getRemaining() + 8;
      inflater.end();
    }
    return starts;
  }

  @Test
  void everySizeReadsBackThroughTheJdksGzipReader() throws IOException {
    Random random = new Random(3);
    byte[] noise = new byte[300_000];
    random.nextBytes(noise);
    byte[] fastq = FastqFileGenerator.builder(7).records(5000).bytes();
    for (byte[] data :
        List.of(new byte[0], new byte[] {'@'}, noise, fastq, Arrays.copyOf(fastq, 65_536))) {
      for (int memberBytes : new int[] {1, 4096, 65_536, GzipMemberOutputStream.MEMBER_BYTES}) {
        assertThat(gunzip(write(data, memberBytes)))
            .as(data.length + " bytes in members of " + memberBytes)
            .isEqualTo(data);
      }
    }
  }

  @Test
  void aMemberHoldsMemberBytesAndNoBgzfField() throws IOException {
    byte[] fastq = FastqFileGenerator.builder(9).records(1000).bytes();
    byte[] gz = write(fastq, 8192);
    List<Integer> starts = memberStarts(gz);
    assertThat(starts).hasSize((fastq.length + 8191) / 8192);
    for (int at : starts) {
      // ID1 ID2 CM=deflate FLG=0 (no FEXTRA, so no BC subfield), MTIME 0, XFL 0, OS unknown.
      assertThat(Arrays.copyOfRange(gz, at, at + 10))
          .containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }
    // The last member's ISIZE is what is left over.
    int end = gz.length;
    int isize =
        (gz[end - 4] & 0xff)
            | (gz[end - 3] & 0xff) << 8
            | (gz[end - 2] & 0xff) << 16
            | (gz[end - 1] & 0xff) << 24;
    assertThat(isize).isEqualTo(fastq.length % 8192 == 0 ? 8192 : fastq.length % 8192);
  }

  @Test
  void nothingWrittenIsStillAGzipFile() throws IOException {
    byte[] gz = write(new byte[0], GzipMemberOutputStream.MEMBER_BYTES);
    assertThat(memberStarts(gz)).containsExactly(0);
    assertThat(gunzip(gz)).isEmpty();
  }

  @Test
  void fastqComesOutWithinHalfAPercentOfTheJdksLevelSix() throws IOException {
    // The generator's reads are random bases and qualities: 0.1% larger here; on simulated
    // Illumina reads (the benchmark's) 1.8% smaller.
    byte[] fastq = FastqFileGenerator.builder(13).records(20_000).bytes();
    ByteArrayOutputStream jdk = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(jdk)) {
      out.write(fastq);
    }
    byte[] ours = write(fastq, GzipMemberOutputStream.MEMBER_BYTES);
    assertThat(fastq.length).isGreaterThan(GzipMemberOutputStream.MEMBER_BYTES);
    assertThat(memberStarts(ours)).hasSizeGreaterThan(1);
    assertThat((double) ours.length / jdk.size()).isBetween(0.95, 1.005);
  }

  @Test
  void gzipTestsAndDecompressesTheMembersAsOneFile() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/bin/gzip")) || Files.isExecutable(Path.of("/usr/bin/gzip")),
        "no gzip command (Debian: gzip)");
    byte[] fastq = FastqFileGenerator.builder(17).records(3000).bytes();
    Path gz = dir.resolve("members.fastq.gz");
    Files.write(gz, write(fastq, 10_000));
    Path plain = dir.resolve("members.fastq");
    Process test =
        new ProcessBuilder("gzip", "-t", gz.toString()).redirectErrorStream(true).start();
    String said = new String(test.getInputStream().readAllBytes(), "US-ASCII");
    assertThat(test.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(test.exitValue()).as(said).isZero();
    Process unzip =
        new ProcessBuilder("gzip", "-dc", gz.toString())
            .redirectOutput(plain.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertThat(unzip.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(unzip.exitValue()).isZero();
    assertThat(Files.readAllBytes(plain)).isEqualTo(fastq);
  }

  @Test
  void aMemberSizeOutsideOneByteToOneMibIsRefused() {
    Throwable thrown =
        catchThrowable(
            () ->
                GzipMemberOutputStream.create(
                    new ByteArrayOutputStream(), GzipMemberOutputStream.MEMBER_BYTES + 1));
    assertThat(thrown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("member size must be 1 to 1048576 bytes: 1048577");
  }

  @Test
  void withoutLibdeflateThereIsNoMemberStream() throws IOException {
    GzipMemberOutputStream none =
        NativeCodecs.jdkOnly(() -> GzipMemberOutputStream.create(new ByteArrayOutputStream()));
    assertThat(none).isNull();
  }
}
