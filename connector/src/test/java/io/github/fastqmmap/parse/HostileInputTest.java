/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fastqmmap.testing.MemoryByteSource;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Input built to make the record-start search slow: with {@code multiLine=true} every line that
 * starts with '@' is a candidate record start, and a candidate's sequence runs to the next line
 * that starts with '+'. Text with many '@' lines and no '+' line (a SAM header, a list of e-mail
 * addresses) must still be read in time linear in its size, in every mode and at every split.
 */
class HostileInputTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private static final ParseOptions WRAPPED_BASIC =
      ParseOptions.builder().multiLine(true).validation(Validation.BASIC).build();

  /** A SAM header and alignments: every header line starts with '@', no line with '+'. */
  private static byte[] samText(int sequences) {
    StringBuilder s = new StringBuilder("@HD\tVN:1.6\tSO:coordinate\n");
    for (int i = 0; i < sequences; i++) {
      s.append(String.format(Locale.ROOT, "@SQ\tSN:contig_%06d\tLN:%d%n", i, 1000 + i));
    }
    s.append("@PG\tID:bwa\tPN:bwa\tVN:0.7.17\n");
    for (int i = 0; i < 50; i++) {
      s.append("read").append(i).append("\t0\tcontig_000001\t").append(100 + i);
      s.append("\t60\t8M\t*\t0\t0\tACGTACGT\tIIIIIIII\n");
    }
    return s.toString().getBytes(ISO_8859_1);
  }

  private static List<Item> readRanges(byte[] data, ParseOptions options, long rangeBytes)
      throws IOException {
    List<Item> all = new ArrayList<>();
    for (long s = 0; s < data.length; s += rangeBytes) {
      long e = Math.min(data.length, s + rangeBytes);
      try (RecordReader reader =
          new RecordReader(
              new MemoryByteSource("sam.fastq", data, 1 << 16),
              s,
              e,
              options,
              new ParseCounters())) {
        all.addAll(RecordReaderOutput.drain(reader));
      }
    }
    return all;
  }

  @Test
  void smallSamFileMatchesTheReference() throws IOException {
    byte[] data = samText(300);
    for (ParseMode mode : new ParseMode[] {ParseMode.PERMISSIVE, ParseMode.DROPMALFORMED}) {
      ParseOptions options = WRAPPED_BASIC.withMode(mode);
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
      List<Item> expected = mode == ParseMode.PERMISSIVE ? ref.items() : List.of();
      assertThat(ref.items()).containsExactly(new Malformed(0, data.length));
      for (long size : new long[] {data.length, 4096, 333}) {
        assertThat(readRanges(data, options, size))
            .as("%s, ranges of %d", mode, size)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void largeSamFileIsReadInLinearTime() {
    byte[] data = samText(60_000); // 1.8 MB of '@' lines without a '+' line
    assertThat(data.length).isGreaterThan(1_700_000);
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (ParseMode mode : new ParseMode[] {ParseMode.PERMISSIVE, ParseMode.DROPMALFORMED}) {
            ParseOptions options = WRAPPED_BASIC.withMode(mode);
            List<Item> expected =
                mode == ParseMode.PERMISSIVE ? List.of(new Malformed(0, data.length)) : List.of();
            assertThat(readRanges(data, options, data.length))
                .as("%s, one range", mode)
                .isEqualTo(expected);
            assertThat(readRanges(data, options, 64 << 10))
                .as("%s, 64 KiB ranges", mode)
                .isEqualTo(expected);
          }
          ParseOptions failFast = WRAPPED_BASIC.withMode(ParseMode.FAILFAST);
          // A range after the first owns nothing, and finds so quickly.
          try (RecordReader reader =
              new RecordReader(
                  new MemoryByteSource("sam.fastq", data, 1 << 16),
                  4096,
                  8192,
                  failFast,
                  new ParseCounters())) {
            assertThat(reader.next()).isFalse();
          }
        },
        "1.8 MB of '@' lines took longer than " + LIMIT);
  }

  /** Lines starting with '@' and no '+' line, then one record: the documented quadratic case. */
  private static byte[] atLinesThenARecord(int lines) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      s.append("@SQ\tSN:c").append(i).append('\n');
    }
    return s.append("@r\nACGT\n+\nIIII\n").toString().getBytes(ISO_8859_1);
  }

  @Test
  void atLinesBeforeARecordAreLinearWithStrictValidation() {
    // With basic validation each '@' line is a candidate whose sequence runs to the '+' line, so
    // this costs lines x run length (README, Guarantees and limits); strict rejects '@' in a
    // sequence at once.
    byte[] data = atLinesThenARecord(16_000);
    ParseOptions strict =
        ParseOptions.builder().multiLine(true).mode(ParseMode.DROPMALFORMED).build();
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          List<Item> items = readRanges(data, strict, data.length);
          assertThat(items).hasSize(1);
          assertThat(items.get(0).offset()).isEqualTo(data.length - "@r\nACGT\n+\nIIII\n".length());
        });
  }

  @Test
  void atLinesBeforeARecordWithBasicValidationMatchTheReference() throws IOException {
    byte[] data = atLinesThenARecord(1_000);
    for (ParseMode mode : new ParseMode[] {ParseMode.PERMISSIVE, ParseMode.DROPMALFORMED}) {
      ParseOptions options = WRAPPED_BASIC.withMode(mode);
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(options).parse(data);
      List<Item> expected = mode == ParseMode.PERMISSIVE ? ref.items() : List.copyOf(ref.reads());
      assertThat(expected).isNotEmpty();
      for (long size : new long[] {data.length, 4096}) {
        assertThat(readRanges(data, options, size))
            .as("%s, ranges of %d", mode, size)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void failFastNamesTheFirstOffset() {
    byte[] data = samText(10);
    assertThatThrownBy(() -> readRanges(data, WRAPPED_BASIC, data.length))
        .isInstanceOf(FastqParseException.class)
        .hasMessageStartingWith("Malformed FASTQ record in sam.fastq at byte offset 0: ")
        .hasMessageContaining("the file ends inside the record's sequence line");
  }
}
