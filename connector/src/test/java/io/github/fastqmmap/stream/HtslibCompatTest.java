/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import static io.github.fastqmmap.testing.ExternalTools.assumeTool;
import static io.github.fastqmmap.testing.ExternalTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.codec.GzipMemberOutputStream;
import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.testing.BytesInput;
import io.github.fastqmmap.testing.ExternalTools.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our BGZF is htslib's: {@code bgzip -t} accepts it, {@code samtools fqidx} indexes and fetches
 * from it, and with libdeflate its bytes are those {@code bgzip} writes at the same level. And we
 * read what {@code bgzip} and {@code gzip} write; htslib, seqkit and fastp read our gzip members.
 * Skips, saying why, when the tools (Debian: tabix for bgzip, samtools, gzip) or libdeflate
 * (libdeflate0) are missing.
 */
class HtslibCompatTest {
  @TempDir Path dir;

  /** FASTQ with 150 bp reads named {@code r0}, {@code r1}, ... (about 340 bytes a record). */
  private static byte[] fastq(int records, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder(records * 340);
    for (int i = 0; i < records; i++) {
      b.append("@r").append(i).append(" 1:N:0:ACGTACGT\n");
      for (int k = 0; k < 150; k++) {
        b.append("ACGTN".charAt(random.nextInt(100) < 1 ? 4 : random.nextInt(4)));
      }
      b.append("\n+\n");
      for (int k = 0; k < 150; k++) {
        b.append((char) (33 + Math.max(2, Math.min(41, (int) (30 + 6 * random.nextGaussian())))));
      }
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] ourBgzf(byte[] data, int level) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new BgzfOutputStream(sink, level)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  private static byte[] decode(Decoder decoder) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteBuffer dst = ByteBuffer.allocateDirect(4 * Decoder.STEP_BYTES);
    try (decoder) {
      for (int n; (n = decoder.decode(dst.clear())) >= 0; ) {
        byte[] got = new byte[n];
        dst.get(0, got);
        all.write(got);
      }
    }
    return all.toByteArray();
  }

  @Test
  void bgzipTestsOurOutputAsValid() throws Exception {
    assumeTool("bgzip", "tabix");
    for (int level : new int[] {-1, 0, 1, 6, 9}) {
      Path file = dir.resolve("ours" + (level + 1) + ".fq.gz");
      Files.write(file, ourBgzf(fastq(3000, level + 2), level));
      Run t = run(dir, "bgzip", "-t", file.toString());
      assertThat(t.exit()).as("bgzip -t at level %d: %s", level, t.err()).isZero();
    }
  }

  @Test
  void samtoolsIndexesAndFetchesFromOurOutput() throws Exception {
    assumeTool("samtools", "samtools");
    byte[] data = fastq(5000, 3);
    Path file = dir.resolve("reads.fq.gz");
    Files.write(file, ourBgzf(data, -1));
    Run index = run(dir, "samtools", "fqidx", file.toString());
    assertThat(index.exit()).as("samtools fqidx: %s", index.err()).isZero();
    assertThat(dir.resolve("reads.fq.gz.fai")).exists();
    assertThat(dir.resolve("reads.fq.gz.gzi")).exists();
    String[] records = new String(data, StandardCharsets.US_ASCII).split("\n");
    for (int i : new int[] {0, 1234, 4999}) {
      Run fetch = run(dir, "samtools", "fqidx", "-n", "1000", file.toString(), "r" + i);
      assertThat(fetch.exit()).as("samtools fqidx r%d: %s", i, fetch.err()).isZero();
      String[] got = new String(fetch.out(), StandardCharsets.US_ASCII).split("\n");
      assertThat(got).containsExactly("@r" + i, records[4 * i + 1], "+", records[4 * i + 3]);
    }
  }

  @Test
  void withLibdeflateOurBytesAreBgzipsAtTheSameLevel() throws Exception {
    assumeTool("bgzip", "tabix");
    assumeTrue(
        NativeCodecs.libdeflateAvailable(),
        "libdeflate not used (" + NativeCodecs.libdeflateStatus() + "): zlib's bytes differ");
    Run ldd = run(dir, "sh", "-c", "ldd \"$(command -v bgzip)\"");
    assumeTrue(
        ldd.exit() == 0 && new String(ldd.out(), StandardCharsets.UTF_8).contains("libdeflate"),
        "this bgzip does not use libdeflate, so its bytes are zlib's");
    byte[] data = fastq(4000, 5);
    Path plain = dir.resolve("reads.fq");
    Files.write(plain, data);
    List<String> differ = new ArrayList<>();
    // -1 is bgzip's default (htslib gives libdeflate level 7 for it); 0 is stored data, which
    // htslib writes with its own framing, so it is not compared.
    for (int level : new int[] {-1, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
      Run bgzip =
          level < 0
              ? run(dir, "bgzip", "-c", plain.toString())
              : run(dir, "bgzip", "-c", "-l", Integer.toString(level), plain.toString());
      assertThat(bgzip.exit()).as(bgzip.err()).isZero();
      if (!java.util.Arrays.equals(ourBgzf(data, level), bgzip.out())) {
        differ.add(String.format(Locale.ROOT, "level %d", level));
      }
    }
    assertThat(differ).as("levels whose bytes differ from bgzip's").isEmpty();
  }

  @Test
  void htslibSeqkitAndFastpReadOurGzipMembersAsOneFile() throws Exception {
    assumeTrue(
        NativeCodecs.libdeflateAvailable(),
        "libdeflate not used (" + NativeCodecs.libdeflateStatus() + "): gzip is one zlib stream");
    assumeTool("bgzip", "tabix");
    assumeTool("seqkit", "seqkit");
    assumeTool("fastp", "fastp");
    byte[] data = fastq(9000, 7); // about 3 MB: three members of 1 MiB
    Path file = dir.resolve("members.fq.gz");
    try (OutputStream out = GzipMemberOutputStream.create(Files.newOutputStream(file))) {
      out.write(data);
    }
    Run bgzip = run(dir, "bgzip", "-dc", file.toString());
    assertThat(bgzip.exit()).as("bgzip -dc: %s", bgzip.err()).isZero();
    assertThat(bgzip.out()).isEqualTo(data);
    Run seqkit = run(dir, "seqkit", "stats", "-T", file.toString());
    assertThat(seqkit.exit()).as("seqkit stats: %s", seqkit.err()).isZero();
    String[] stats = new String(seqkit.out(), StandardCharsets.US_ASCII).split("\n")[1].split("\t");
    assertThat(stats[3]).as("seqkit num_seqs").isEqualTo("9000");
    assertThat(stats[4]).as("seqkit sum_len").isEqualTo("1350000");
    Run fastp =
        run(
            dir,
            "fastp",
            "-i",
            file.toString(),
            "-o",
            dir.resolve("fastp-out.fq").toString(),
            "-A",
            "-G",
            "-Q",
            "-L",
            "-w",
            "1",
            "-j",
            dir.resolve("fastp.json").toString(),
            "-h",
            dir.resolve("fastp.html").toString());
    assertThat(fastp.exit()).as("fastp: %s", fastp.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("fastp-out.fq"))).isEqualTo(data);
  }

  @Test
  void weReadWhatBgzipAndGzipWrite() throws Exception {
    assumeTool("bgzip", "tabix");
    assumeTool("gzip", "gzip");
    byte[] data = fastq(6000, 7);
    Path plain = dir.resolve("reads.fq");
    Files.write(plain, data);
    for (String level : new String[] {"1", "6", "9"}) {
      Run bgzip = run(dir, "bgzip", "-c", "-l", level, plain.toString());
      CodecCounters counters = new CodecCounters();
      byte[] got =
          decode(
              new BgzfDecoder(
                  new BytesInput(bgzip.out(), 100_000), "b.gz", 0, Bgzf.NONE, -1, counters));
      assertThat(got).as("bgzip -l %s", level).isEqualTo(data);
      Run gzip = run(dir, "gzip", "-c", "-" + level, plain.toString());
      byte[] gz = gzip.out();
      assertThat(decode(new GzipDecoder(new BytesInput(gz, 100_000), "g.gz", counters)))
          .as("gzip -%s", level)
          .isEqualTo(data);
      byte[] twice = new byte[2 * gz.length]; // concatenated members, as `cat a.gz b.gz`
      System.arraycopy(gz, 0, twice, 0, gz.length);
      System.arraycopy(gz, 0, twice, gz.length, gz.length);
      assertThat(decode(new GzipDecoder(new BytesInput(twice), "gg.gz", counters)))
          .hasSize(2 * data.length);
    }
  }
}
