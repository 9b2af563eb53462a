/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.bgzf.BgzfOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Blocks handed to the helper threads come out as the same bytes, in the same order, as blocks
 * deflated on the writing thread: for BGZF (with its index) and gzip members, with libdeflate and
 * with the JDK's zlib.
 */
class DeflatedBlockOutputStreamTest {
  private static final byte[] DATA = fastqLike(3_000_000);

  private static byte[] fastqLike(int bytes) {
    Random random = new Random(11);
    StringBuilder s = new StringBuilder(bytes + 400);
    for (int i = 0; s.length() < bytes; i++) {
      s.append("@read").append(i).append('\n');
      for (int j = 0; j < 150; j++) {
        s.append("ACGTN".charAt(random.nextInt(random.nextInt(20) == 0 ? 5 : 4)));
      }
      s.append("\n+\n");
      for (int j = 0; j < 150; j++) {
        s.append((char) ('!' + 2 + random.nextInt(39)));
      }
      s.append('\n');
    }
    return s.substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
  }

  private record Bgzf(byte[] file, byte[] index, long deflated) {}

  private static Bgzf bgzf(int blockBytes, int cores) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    BgzfOutputStream out =
        new BgzfOutputStream(file, Deflater.DEFAULT_COMPRESSION, blockBytes, cores);
    UnevenWrites.write(out, DATA);
    out.close();
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    out.writeIndex(index);
    return new Bgzf(file.toByteArray(), index.toByteArray(), out.bytesDeflated());
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void bgzfBlocksFromHelpersAreTheBytesOneThreadWrites() throws IOException {
    for (int blockBytes : new int[] {1000, 65280}) {
      Bgzf one = bgzf(blockBytes, 1);
      long before = DeflatedBlockOutputStream.HELPER_BLOCKS.get();
      Bgzf four = bgzf(blockBytes, 4);
      assertThat(DeflatedBlockOutputStream.HELPER_BLOCKS.get() - before)
          .as("blocks deflated by helpers, blocks of %d bytes", blockBytes)
          .isPositive();
      assertThat(four.file()).as("file, blocks of %d bytes", blockBytes).isEqualTo(one.file());
      assertThat(four.index()).as("index, blocks of %d bytes", blockBytes).isEqualTo(one.index());
      assertThat(four.deflated()).isEqualTo(one.deflated()).isEqualTo(DATA.length);
      assertThat(gunzip(four.file())).isEqualTo(DATA);
    }
  }

  @Test
  void aThreadWritingTwoStreamsAsAPairTaskIsHelpedByTheOtherCore() throws IOException {
    Bgzf one = bgzf(65280, 1);
    ByteArrayOutputStream mate1 = new ByteArrayOutputStream();
    ByteArrayOutputStream mate2 = new ByteArrayOutputStream();
    long helped;
    try (BgzfOutputStream out1 =
            new BgzfOutputStream(mate1, Deflater.DEFAULT_COMPRESSION, 65280, 2);
        BgzfOutputStream out2 =
            new BgzfOutputStream(mate2, Deflater.DEFAULT_COMPRESSION, 65280, 2)) {
      long before = DeflatedBlockOutputStream.HELPER_BLOCKS.get();
      // Record by record, alternating, as a task writing _R1 and _R2 parts does.
      for (int at = 0; at < DATA.length; at += 320) {
        int n = Math.min(320, DATA.length - at);
        out1.write(DATA, at, n);
        out2.write(DATA, at, n);
      }
      helped = DeflatedBlockOutputStream.HELPER_BLOCKS.get() - before;
    }
    // Two streams, one thread: one core deflates them, so the other core's helper takes blocks
    // while both are open (not only once the first is closed).
    assertThat(helped)
        .as("blocks deflated by the helper while both streams were open")
        .isPositive();
    assertThat(mate1.toByteArray()).isEqualTo(one.file());
    assertThat(mate2.toByteArray()).isEqualTo(one.file());
  }

  @Test
  void theJdkPathWithHelpersIsTheBytesOneThreadWrites() throws IOException {
    Bgzf one = NativeCodecs.jdkOnly(() -> bgzf(20_000, 1));
    Bgzf three = NativeCodecs.jdkOnly(() -> bgzf(20_000, 3));
    assertThat(three.file()).isEqualTo(one.file());
    assertThat(gunzip(three.file())).isEqualTo(DATA);
  }

  @Test
  void gzipMembersFromHelpersAreTheBytesOneThreadWrites() throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    ByteArrayOutputStream four = new ByteArrayOutputStream();
    GzipMemberOutputStream first = GzipMemberOutputStream.create(one, 100_000, 1);
    if (first == null) {
      return; // no libdeflate: GzipMemberOutputStreamTest says so and skips
    }
    try (first;
        GzipMemberOutputStream second = GzipMemberOutputStream.create(four, 100_000, 4)) {
      UnevenWrites.write(first, DATA);
      UnevenWrites.write(second, DATA);
    }
    assertThat(four.toByteArray()).isEqualTo(one.toByteArray());
    assertThat(gunzip(four.toByteArray())).isEqualTo(DATA);
  }

  @Test
  void flushWritesEveryBlockInFlight() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (BgzfOutputStream out = new BgzfOutputStream(file, Deflater.DEFAULT_COMPRESSION, 1000, 4)) {
      out.write(DATA, 0, 500_000);
      out.flush();
      // Without the end-of-file block, what is there reads as the bytes written so far.
      assertThat(gunzip(file.toByteArray())).isEqualTo(java.util.Arrays.copyOf(DATA, 500_000));
    }
  }

  /** Fails to encode its third block. */
  private static final class FailingThirdBlock extends DeflatedBlockOutputStream {
    private int blocks;

    FailingThirdBlock(OutputStream out, int cores) {
      super(out, 1000, Deflater.DEFAULT_COMPRESSION, 2000, cores);
    }

    @Override
    protected int encode(byte[] data, int length, BlockDeflater deflater, byte[] dst)
        throws IOException {
      if (data[0] == 'X') {
        throw new IOException("no room left on the test device");
      }
      return deflater.deflate(data, length, dst, 0, dst.length);
    }

    @Override
    protected void finish() {}
  }

  @Test
  void aBlockThatFailsOnAHelperFailsTheWriteWithItsCause() {
    byte[] bad = DATA.clone();
    bad[2000] = 'X'; // the third block's first byte
    for (int cores : new int[] {1, 4}) {
      assertThatThrownBy(
              () -> {
                try (FailingThirdBlock out =
                    new FailingThirdBlock(new ByteArrayOutputStream(), cores)) {
                  out.write(bad, 0, 100_000);
                }
              })
          .as("%d cores", cores)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no room left on the test device");
    }
  }
}
