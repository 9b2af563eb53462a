/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.BlockDeflater;
import io.github.fastqmmap.codec.BlockInflater;
import io.github.fastqmmap.codec.CodecCounters;
import io.github.fastqmmap.codec.NativeCodecs;
import io.github.fastqmmap.codec.StreamInflater;
import io.github.fastqmmap.testing.BytesInput;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * ISA-L and libdeflate give the bytes the JDK's zlib gives, and damaged or cut files fail with the
 * same messages on both paths. Native cases skip, saying why, when a library is not present
 * (Debian: libisal2, libdeflate0) or is disabled with {@code -Dfastqmmap.disableNativeCodecs=true}.
 */
class NativeCodecsTest {
  private static List<byte[]> samples() {
    Random random = new Random(11);
    byte[] noise = new byte[200_000];
    random.nextBytes(noise);
    byte[] fastq = FastqFileGenerator.builder(7).records(3000).bytes();
    byte[] tricky = FastqFileGenerator.builder(8).records(500).allTricky().bytes();
    return List.of(
        new byte[0],
        new byte[] {'@'},
        noise,
        Arrays.copyOf(noise, Bgzf.DEFAULT_DATA_SIZE),
        fastq,
        tricky,
        new byte[Bgzf.DEFAULT_DATA_SIZE]);
  }

  private static void assumeIsal() {
    assumeTrue(NativeCodecs.isalAvailable(), "ISA-L not used: " + NativeCodecs.isalStatus());
  }

  private static void assumeLibdeflate() {
    assumeTrue(
        NativeCodecs.libdeflateAvailable(),
        "libdeflate not used: " + NativeCodecs.libdeflateStatus());
  }

  private static void assumeAnyNative() {
    assumeTrue(
        NativeCodecs.isalAvailable() || NativeCodecs.libdeflateAvailable(),
        "no native codec: " + NativeCodecs.isalStatus() + "; " + NativeCodecs.libdeflateStatus());
  }

  private static byte[] rawDeflate(byte[] data, int from, int length, int level) {
    Deflater d = new Deflater(level, true);
    d.setInput(data, from, length);
    d.finish();
    byte[] out = new byte[length + 1024];
    int n = 0;
    while (!d.finished()) {
      n += d.deflate(out, n, out.length - n);
    }
    d.end();
    return Arrays.copyOf(out, n);
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 16);
    b.put(bytes).flip();
    return b;
  }

  @Test
  void everyBlockInflaterGivesTheJdksBytes() throws Exception {
    assumeAnyNative();
    List<BlockInflater.Kind> kinds = new ArrayList<>();
    kinds.add(BlockInflater.Kind.JDK);
    if (NativeCodecs.isalAvailable()) {
      kinds.add(BlockInflater.Kind.ISAL);
    }
    if (NativeCodecs.libdeflateAvailable()) {
      kinds.add(BlockInflater.Kind.LIBDEFLATE);
    }
    for (byte[] sample : samples()) {
      int length = Math.min(sample.length, Bgzf.DEFAULT_DATA_SIZE);
      byte[] block = Arrays.copyOf(sample, length);
      for (int level : new int[] {0, 1, 6, 9}) {
        byte[] packed = rawDeflate(sample, 0, length, level);
        for (BlockInflater.Kind kind : kinds) {
          CodecCounters counters = new CodecCounters();
          try (BlockInflater inflater = BlockInflater.create(kind, counters)) {
            ByteBuffer out = ByteBuffer.allocateDirect(length + 64);
            int n = inflater.inflate(direct(packed), out);
            assertThat(n).as("%s, level %d, %d bytes", kind, level, length).isEqualTo(length);
            byte[] got = new byte[n];
            out.get(0, got);
            assertThat(got).isEqualTo(block);
            assertThat(
                    kind == BlockInflater.Kind.JDK
                        ? counters.bytesInflatedByJdk
                        : counters.bytesInflatedNatively)
                .isEqualTo(length);
          }
        }
      }
    }
  }

  @Test
  void aBlockTheNativeLibraryRejectsFailsAsWithTheJdk() throws Exception {
    assumeAnyNative();
    byte[] data = FastqFileGenerator.builder(3).records(400).bytes();
    byte[] packed = rawDeflate(data, 0, Bgzf.DEFAULT_DATA_SIZE, 6);
    byte[] damaged = packed.clone();
    damaged[0] = (byte) 0xff; // the first block header: reserved block type 3
    for (byte[] input : List.of(damaged, Arrays.copyOf(packed, packed.length / 2))) {
      Object expected = outcome(BlockInflater.Kind.JDK, input);
      BlockInflater.Kind kind =
          NativeCodecs.isalAvailable() ? BlockInflater.Kind.ISAL : BlockInflater.Kind.LIBDEFLATE;
      assertThat(outcome(kind, input)).isEqualTo(expected);
    }
  }

  private static Object outcome(BlockInflater.Kind kind, byte[] input) {
    try (BlockInflater inflater = BlockInflater.create(kind, new CodecCounters())) {
      return inflater.inflate(direct(input), ByteBuffer.allocateDirect(Bgzf.MAX_DATA_SIZE + 64));
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static byte[] gzipMembers(byte[] data, int memberBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int from = 0; from < data.length || from == 0; from += memberBytes) {
      try (OutputStream gz =
          new GZIPOutputStream(out) {
            @Override
            public void close() throws IOException {
              finish(); // keeps the shared stream open
            }
          }) {
        gz.write(data, from, Math.min(memberBytes, data.length - from));
      }
    }
    return out.toByteArray();
  }

  /** Decodes a whole file through a decoder into dst buffers of {@code step} bytes. */
  private static byte[] decodeAll(Decoder decoder, int step) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteBuffer dst = ByteBuffer.allocateDirect(step);
    try (decoder) {
      while (true) {
        dst.clear();
        int n = decoder.decode(dst);
        if (n < 0) {
          return all.toByteArray();
        }
        byte[] got = new byte[n];
        dst.get(0, got);
        all.write(got);
      }
    }
  }

  @Test
  void gzipDecodesToTheSameBytesWithIsalAndWithTheJdk() throws Exception {
    assumeIsal();
    for (byte[] sample : samples()) {
      for (int member : new int[] {1 << 20, 70_000, 4096}) {
        byte[] gz = gzipMembers(sample, member);
        for (int step : new int[] {Decoder.STEP_BYTES, 3 * Decoder.STEP_BYTES + 5}) {
          CodecCounters counters = new CodecCounters();
          byte[] isal =
              decodeAll(new GzipDecoder(new BytesInput(gz, 5000), "mem.gz", counters), step);
          byte[] jdk =
              NativeCodecs.jdkOnly(
                  () -> decodeAll(new GzipDecoder(new BytesInput(gz), "mem.gz"), step));
          assertThat(isal).isEqualTo(sample);
          assertThat(jdk).isEqualTo(sample);
          assertThat(counters.bytesInflatedNatively).isEqualTo(sample.length);
          assertThat(counters.bytesInflatedByJdk).isZero();
        }
      }
    }
  }

  @Test
  void streamInflaterGivesBackTheBytesAfterTheStream() throws Exception {
    assumeIsal();
    byte[] data = FastqFileGenerator.builder(5).records(200).bytes();
    byte[] packed = rawDeflate(data, 0, data.length, 6);
    ByteBuffer src = direct(Arrays.copyOf(packed, packed.length + 100));
    try (StreamInflater inflater = StreamInflater.create(new CodecCounters())) {
      assertThat(inflater.isNative()).isTrue();
      ByteBuffer dst = ByteBuffer.allocateDirect(data.length + 100);
      inflater.reset();
      while (!inflater.finished()) {
        inflater.inflate(src, dst);
      }
      assertThat(dst.position()).isEqualTo(data.length);
      assertThat(src.position()).isEqualTo(packed.length);
    }
  }

  private static String gzipError(byte[] gz) {
    Throwable t =
        catchThrowable(() -> decodeAll(new GzipDecoder(new BytesInput(gz), "x.gz"), 1 << 20));
    assertThat(t).as("an error").isNotNull();
    return t.getMessage();
  }

  @Test
  void damagedAndCutGzipFailWithTheJdksMessages() throws Exception {
    assumeIsal();
    byte[] data = FastqFileGenerator.builder(9).records(5000).bytes();
    byte[] gz = gzipMembers(data, 1 << 20);
    List<byte[]> broken = new ArrayList<>();
    broken.add(Arrays.copyOf(gz, gz.length / 2)); // cut inside the deflate data
    broken.add(Arrays.copyOf(gz, gz.length - 4)); // cut inside the trailer
    byte[] crc = gz.clone();
    crc[crc.length - 6] ^= 1; // stored CRC-32
    broken.add(crc);
    byte[] size = gz.clone();
    size[size.length - 1] ^= 1; // stored length
    broken.add(size);
    byte[] garbage = Arrays.copyOf(gz, gz.length + 3);
    garbage[gz.length] = 'x';
    broken.add(garbage);
    byte[] reserved = gz.clone();
    reserved[10] = (byte) 0xff; // the first deflate block header: reserved type 3
    broken.add(reserved);
    for (byte[] file : broken) {
      String jdk = NativeCodecs.jdkOnly(() -> gzipError(file));
      assertThat(gzipError(file)).isEqualTo(jdk);
    }
  }

  @Test
  void gzipDamagedDeeperInsideStillNamesZlibsReason() throws Exception {
    assumeIsal();
    byte[] data = FastqFileGenerator.builder(10).records(5000).bytes();
    byte[] gz = gzipMembers(data, 1 << 20);
    Random random = new Random(3);
    for (int i = 0; i < 20; i++) {
      byte[] file = gz.clone();
      int at = 1000 + random.nextInt(gz.length / 2);
      file[at] ^= (byte) (1 + random.nextInt(255));
      String jdk = NativeCodecs.jdkOnly(() -> gzipError(file));
      String isal = gzipError(file);
      // zlib's words and the member are the same; where zlib stopped depends on how much output
      // each call had room for, so the offset may differ.
      assertThat(isal.replaceAll("offset \\d+:", "offset N:"))
          .as("damage at %d", at)
          .isEqualTo(jdk.replaceAll("offset \\d+:", "offset N:"));
    }
  }

  private static byte[] bgzf(byte[] data, boolean nativeDeflate) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    NativeCodecs.Work<Void, IOException> write =
        () -> {
          try (BgzfOutputStream out = new BgzfOutputStream(sink)) {
            out.write(data);
          }
          return null;
        };
    if (nativeDeflate) {
      write.run();
    } else {
      NativeCodecs.jdkOnly(write);
    }
    return sink.toByteArray();
  }

  private static byte[] bgzfDecode(byte[] bgzf, CodecCounters counters) throws IOException {
    return decodeAll(
        new BgzfDecoder(new BytesInput(bgzf, 7000), "x.bgz", 0, Bgzf.NONE, -1, counters),
        Decoder.STEP_BYTES);
  }

  @Test
  void bgzfWrittenAndReadNativelyIsTheJdksData() throws Exception {
    assumeAnyNative();
    for (byte[] sample : samples()) {
      for (boolean nativeDeflate : new boolean[] {true, false}) {
        byte[] file = bgzf(sample, nativeDeflate);
        CodecCounters counters = new CodecCounters();
        assertThat(bgzfDecode(file, counters)).isEqualTo(sample);
        assertThat(counters.bytesInflatedNatively).isEqualTo(sample.length);
        byte[] jdk = NativeCodecs.jdkOnly(() -> bgzfDecode(file, new CodecCounters()));
        assertThat(jdk).isEqualTo(sample);
      }
    }
  }

  @Test
  void libdeflateBlocksInflateWithTheJdk() throws Exception {
    assumeLibdeflate();
    byte[] data = FastqFileGenerator.builder(12).records(3000).bytes();
    try (BlockDeflater deflater = BlockDeflater.create(-1, Bgzf.DEFAULT_DATA_SIZE)) {
      assertThat(deflater.isNative()).isTrue();
      byte[] out = new byte[Bgzf.MAX_BLOCK_SIZE];
      int n = deflater.deflate(data, Bgzf.DEFAULT_DATA_SIZE, out, 0, out.length);
      assertThat(n).isPositive();
      ByteBuffer back = ByteBuffer.allocateDirect(Bgzf.MAX_DATA_SIZE + 64);
      int inflated =
          BlockInflater.create(BlockInflater.Kind.JDK, new CodecCounters())
              .inflate(direct(Arrays.copyOf(out, n)), back);
      assertThat(inflated).isEqualTo(Bgzf.DEFAULT_DATA_SIZE);
      // Data that does not fit says so, for the caller's stored-block fallback.
      assertThat(deflater.deflate(data, Bgzf.DEFAULT_DATA_SIZE, out, 0, 100)).isEqualTo(-1);
    }
  }

  private static String bgzfError(byte[] file) {
    Throwable t = catchThrowable(() -> bgzfDecode(file, new CodecCounters()));
    assertThat(t).as("an error").isNotNull();
    return t.getMessage();
  }

  @Test
  void damagedAndCutBgzfFailWithTheJdksMessages() throws Exception {
    assumeAnyNative();
    byte[] data = FastqFileGenerator.builder(13).records(3000).bytes();
    byte[] file = bgzf(data, false);
    int second = Bgzf.blockSizeAt(new BytesInput(file), 0);
    List<byte[]> broken = new ArrayList<>();
    broken.add(Arrays.copyOf(file, second + 100)); // cut inside the second block
    byte[] deflate = file.clone();
    deflate[Bgzf.HEADER_SIZE] = (byte) 0xff; // reserved deflate block type
    broken.add(deflate);
    byte[] middle = file.clone();
    middle[second / 2] ^= 0x55;
    broken.add(middle);
    byte[] crc = file.clone();
    crc[second - 8] ^= 1;
    broken.add(crc);
    byte[] isize = file.clone();
    isize[second - 4] ^= 1;
    broken.add(isize);
    for (byte[] f : broken) {
      String jdk = NativeCodecs.jdkOnly(() -> bgzfError(f));
      assertThat(bgzfError(f)).isEqualTo(jdk);
    }
  }
}
