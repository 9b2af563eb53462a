/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ByteSource} promises, checked once for all of them (in the manner of Lucene's
 * {@code BaseDirectoryTestCase}): a subclass says how to make its source over given bytes, and
 * inherits these tests. Readers move forward and look back at most {@link
 * ByteSource#LOOK_BACK_BYTES} behind where they advanced, which a stream supports too.
 */
public abstract class ByteSourceContract {
  /** A source over {@code data}, named {@code name}, as its reader would get it for [0, end). */
  protected abstract ByteSource open(String name, byte[] data) throws IOException;

  /** Whether the source reads storage, so that {@link ByteSource#bytesRead()} grows. */
  protected boolean readsStorage() {
    return true;
  }

  private static byte[] fastq(long seed) {
    return FastqFileGenerator.builder(seed).records(1500).allTricky().bytes();
  }

  private static byte byteAt(ByteWindow w, long p) {
    return RawMemory.getByte(w.addressOf(p));
  }

  @Test
  public void windowsHoldWhatIsAskedMovingForwardWithShortLookBacks() throws IOException {
    byte[] data = fastq(11);
    Random random = new Random(12);
    long[] wants = {1, 2, 10, 100, 5000, 70_000};
    try (ByteSource source = open("data", data)) {
      long pos = 0;
      long lastBytesRead = 0;
      while (pos <= data.length) {
        source.advance(pos);
        long at = Math.max(0, pos - random.nextInt(ByteSource.LOOK_BACK_BYTES + 1));
        long want = wants[random.nextInt(wants.length)];
        ByteWindow w = source.window(at, want);
        long wanted = Math.min(data.length, at + want);
        assertThat(w.start()).as("start for %d", at).isLessThanOrEqualTo(at);
        assertThat(w.end()).as("end for %d + %d", at, want).isGreaterThanOrEqualTo(wanted);
        assertThat(w.end()).isLessThanOrEqualTo(data.length);
        if (w.eof()) {
          assertThat(w.end()).isEqualTo(data.length);
        }
        for (long p = at; p < wanted; p += 1 + random.nextInt(7)) {
          assertThat(byteAt(w, p)).as("byte %d", p).isEqualTo(data[(int) p]);
        }
        if (wanted > at) {
          assertThat(byteAt(w, wanted - 1)).isEqualTo(data[(int) wanted - 1]);
        }
        assertThat(source.bytesRead()).isGreaterThanOrEqualTo(lastBytesRead);
        lastBytesRead = source.bytesRead();
        pos += random.nextInt(3000);
        if (pos > data.length && pos < data.length + 3000) {
          pos = data.length; // end exactly at the end once
          source.advance(pos);
          ByteWindow end = source.window(pos, 1);
          assertThat(end.eof()).isTrue();
          assertThat(end.end()).isEqualTo(data.length);
          break;
        }
      }
      assertThat(source.length()).isEqualTo(data.length);
      if (readsStorage()) {
        assertThat(source.bytesRead()).isPositive();
      } else {
        assertThat(source.bytesRead()).isZero();
      }
    }
  }

  @Test
  public void aHugeRequestEndsAtTheDataWithoutOverflow() throws IOException {
    byte[] data = "@r\nACGT\n+\nIIII\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
    try (ByteSource source = open("data", data)) {
      ByteWindow w = source.window(5, Long.MAX_VALUE);
      assertThat(w.start()).isLessThanOrEqualTo(5);
      assertThat(w.end()).isEqualTo(data.length);
      assertThat(w.eof()).isTrue();
      assertThat(byteAt(w, data.length - 1)).isEqualTo((byte) '\n');
    }
  }

  @Test
  public void emptyDataIsOneEmptyWindowAtTheEnd() throws IOException {
    try (ByteSource source = open("empty", new byte[0])) {
      ByteWindow w = source.window(0, 1);
      assertThat(w.end()).isZero();
      assertThat(w.eof()).isTrue();
      assertThat(source.length()).isZero();
    }
  }

  @Test
  public void offsetsPastTheEndAreRejected() throws IOException {
    byte[] data = "@r\nAC\n+\nII\n".getBytes(StandardCharsets.US_ASCII);
    try (ByteSource source = open("short", data)) {
      assertThatThrownBy(() -> source.window(data.length + 1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("offset " + (data.length + 1));
    }
  }

  @Test
  public void offsetsAreDescribedWithTheirNumber() throws IOException {
    try (ByteSource source = open("named", fastq(13))) {
      assertThat(source.name()).contains("named");
      assertThat(source.describeOffset(1234)).contains("1234");
      assertThat(source.reportedOffset(0)).isZero();
    }
  }

  @Test
  public void closingTwiceIsHarmless() throws IOException {
    ByteSource source = open("twice", fastq(14));
    source.window(0, 100);
    source.close();
    source.close();
  }

  /** The end-to-end promise: a record reader over the source reads what the reference parses. */
  @Test
  public void aRecordReaderReadsTheReferenceParse() throws IOException {
    byte[] data = fastq(15);
    ParseOptions options = ParseOptions.defaults();
    try (RecordReader reader =
        new RecordReader(open("records", data), 0, Long.MAX_VALUE, options, new ParseCounters())) {
      assertThat(RecordReaderOutput.drain(reader))
          .isEqualTo(ReferenceFastqParser.of(options).parse(data).items());
    }
  }
}
