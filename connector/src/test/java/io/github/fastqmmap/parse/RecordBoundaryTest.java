/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.MemoryByteSource;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The record-start function at every offset of small files, against the reference parser's record
 * starts: the rule every reader of a file must agree on.
 */
class RecordBoundaryTest {
  private static final int[] WINDOWS = {7, 64, 4096};

  /** A named input with the options to read it with. */
  private record Case(String name, byte[] data, ParseOptions options) {}

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    ParseOptions strict = ParseOptions.defaults();
    ParseOptions basic = ParseOptions.builder().validation(Validation.BASIC).build();
    ParseOptions wrapped = ParseOptions.builder().multiLine(true).build();
    ParseOptions wrappedBasic =
        ParseOptions.builder().multiLine(true).validation(Validation.BASIC).build();
    cases.add(new Case("plain", gen(1).records(30).generate().bytes(), strict));
    cases.add(new Case("tricky", gen(2).records(40).allTricky().generate().bytes(), strict));
    cases.add(new Case("tricky basic", gen(3).records(40).allTricky().generate().bytes(), basic));
    cases.add(
        new Case(
            "tricky crlf no final newline",
            gen(4).records(40).allTricky().crlf(true).finalNewline(false).generate().bytes(),
            strict));
    cases.add(
        new Case(
            "blank tail",
            gen(5).records(20).allTricky().blankTailLines(3).generate().bytes(),
            strict));
    cases.add(
        new Case(
            "crlf blank tail",
            gen(6).records(20).allTricky().crlf(true).blankTailLines(2).generate().bytes(),
            wrapped));
    cases.add(
        new Case(
            "phred64",
            gen(7).records(30).allTricky().encoding(QualityEncoding.PHRED64).generate().bytes(),
            ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build()));
    cases.add(
        new Case(
            "solexa wrapped",
            gen(8)
                .records(30)
                .allTricky()
                .wrapWidth(5)
                .encoding(QualityEncoding.SOLEXA)
                .generate()
                .bytes(),
            ParseOptions.builder()
                .multiLine(true)
                .qualityEncoding(QualityEncoding.SOLEXA)
                .build()));
    cases.add(
        new Case(
            "wrapped 3", gen(9).records(30).allTricky().wrapWidth(3).generate().bytes(), wrapped));
    cases.add(
        new Case(
            "wrapped 1, ambiguous",
            gen(10).records(30).allTricky().wrapWidth(1).generate().bytes(),
            wrapped));
    cases.add(
        new Case(
            "wrapped basic",
            gen(11).records(30).allTricky().wrapWidth(4).generate().bytes(),
            wrappedBasic));
    cases.add(
        new Case(
            "four-line file read wrapped",
            gen(12).records(30).allTricky().generate().bytes(),
            wrapped));
    cases.add(
        new Case(
            "small maxRecordBytes",
            gen(13).records(30).readLengths(0, 30).generate().bytes(),
            ParseOptions.builder().maxRecordBytes(60).build()));
    Random random = new Random(99);
    for (int k = 0; k < 6; k++) {
      byte[] data = gen(20 + k).records(25).allTricky().wrapWidth(k % 2 == 0 ? 0 : 6).bytes();
      for (int d = 0; d < 4; d++) {
        data[random.nextInt(data.length)] = (byte) "@+\nA!\r x".charAt(random.nextInt(8));
      }
      cases.add(
          new Case("damaged " + k, data, k % 2 == 0 ? (k % 4 == 0 ? strict : basic) : wrapped));
    }
    byte[] garbage = new byte[1500];
    random.nextBytes(garbage);
    for (int i = 0; i < garbage.length; i += 1 + random.nextInt(20)) {
      garbage[i] = (byte) "@+\n".charAt(random.nextInt(3));
    }
    cases.add(new Case("garbage", garbage, basic));
    cases.add(new Case("garbage wrapped", garbage, wrappedBasic));
    cases.add(new Case("empty", new byte[0], strict));
    cases.add(new Case("blank only", "\n\r\n\n".getBytes(ISO_8859_1), strict));
    return cases;
  }

  private static FastqFileGenerator.Builder gen(long seed) {
    return FastqFileGenerator.builder(seed);
  }

  private static RecordBoundary boundary(MemoryByteSource source, ParseOptions options) {
    return new RecordBoundary(
        source, new RecordScanner(options), new FastqRecord(options.qualityEncoding()));
  }

  @Test
  void nextRecordStartMatchesTheReferenceAtEveryOffset() throws IOException {
    for (Case c : cases()) {
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(c.options()).parse(c.data());
      for (int window : WINDOWS) {
        try (MemoryByteSource source = new MemoryByteSource(c.name(), c.data(), window, true)) {
          RecordBoundary boundary = boundary(source, c.options());
          for (int p = 0; p <= c.data().length; p++) {
            assertThat(boundary.nextRecordStart(p))
                .as("%s, window %d, offset %d", c.name(), window, p)
                .isEqualTo(ref.nextRecordStart(p));
          }
        }
      }
    }
  }

  @Test
  void isRecordStartMatchesTheReferenceAtEveryLineStart() throws IOException {
    for (Case c : cases()) {
      ReferenceFastqParser.Result ref = ReferenceFastqParser.of(c.options()).parse(c.data());
      byte[] d = c.data();
      try (MemoryByteSource source = new MemoryByteSource(c.name(), d, 7, true)) {
        RecordBoundary boundary = boundary(source, c.options());
        for (int p = 0; p < d.length; p++) {
          if ((p == 0 || d[p - 1] == '\n') && d[p] == '@') {
            assertThat(boundary.isRecordStart(p))
                .as("%s offset %d", c.name(), p)
                .isEqualTo(ref.isRecordStart(p));
          }
        }
      }
    }
  }

  @Test
  void ambiguousCaseReallyHasExtraStarts() {
    // Guards the sweep above: the width-1 file must contain record starts inside records.
    Case c =
        cases().stream().filter(x -> x.name().startsWith("wrapped 1")).findFirst().orElseThrow();
    ReferenceFastqParser.Result ref = ReferenceFastqParser.of(c.options()).parse(c.data());
    assertThat(ref.unvisitedRecordStarts()).isNotEmpty();
  }

  @Test
  void lineAfterBlankTailAndEndAtEveryOffset() throws IOException {
    byte[] d = "@a\r\nAC\n\n+\nII\n\r\n\n".getBytes(ISO_8859_1);
    for (int window : new int[] {1, 2, 3, 7, 64}) {
      try (MemoryByteSource source = new MemoryByteSource("x", d, window, true)) {
        RecordBoundary boundary = boundary(source, ParseOptions.defaults());
        for (int p = 0; p <= d.length; p++) {
          int nl = p;
          while (nl < d.length && d[nl] != '\n') {
            nl++;
          }
          long expectedLineAfter = nl < d.length ? nl + 1 : d.length;
          assertThat(boundary.lineAfter(p)).as("lineAfter %d", p).isEqualTo(expectedLineAfter);
          boolean blank = true;
          for (int i = p; i < d.length; i++) {
            blank &= d[i] == '\n' || d[i] == '\r';
          }
          assertThat(boundary.blankTailEnd(p))
              .as("blankTailEnd %d", p)
              .isEqualTo(blank ? d.length : -1);
          assertThat(boundary.isEnd(p)).as("isEnd %d", p).isEqualTo(p == d.length);
          if (p < d.length) {
            assertThat(boundary.byteAt(p)).isEqualTo(d[p]);
          }
        }
      }
    }
  }

  @Test
  void qualityStartingWithAtIsNotARecordStart() throws IOException {
    String text = "@r1\nACGT\n+\n@III\n@r2@x+y\nGG\n+r2@x+y\n+I\n";
    byte[] d = text.getBytes(ISO_8859_1);
    try (MemoryByteSource source = new MemoryByteSource("x", d, 7, true)) {
      RecordBoundary boundary = boundary(source, ParseOptions.defaults());
      assertThat(boundary.isRecordStart(11)).isFalse(); // "@III"
      assertThat(boundary.nextRecordStart(1)).isEqualTo(16); // "@r2@x+y"
      assertThat(boundary.nextRecordStart(17)).isEqualTo(d.length);
    }
  }

  @Test
  void wrappedStartNeedsTheNextRecordToParse() throws IOException {
    // Record A's wrapped quality holds "@XY", letters, "+XY": read from "@XY" that is a record
    // whose quality runs over B ("@b", "AC", "+", "II"), and C parses after it. Both A at 0 and
    // the bogus record at "@XY" are record starts, so the rule alone cannot tell them apart.
    String a = "@a\nACGTACGTACGTA\n+\n@XY\nIIIIIII\n+XY\n";
    String b = "@b\nAC\n+\nII\n";
    String c = "@c\nGG\n+\nII\n";
    byte[] d = (a + b + c).getBytes(ISO_8859_1);
    ParseOptions wrapped = ParseOptions.builder().multiLine(true).build();
    try (MemoryByteSource source = new MemoryByteSource("x", d, 7, true)) {
      RecordBoundary boundary = boundary(source, wrapped);
      int bogus = a.indexOf("@XY");
      assertThat(boundary.isRecordStart(0)).isTrue();
      assertThat(boundary.isRecordStart(bogus)).isTrue();
      assertThat(boundary.isRecordStart(a.length())).isTrue();
      assertThat(boundary.nextRecordStart(1)).isEqualTo(bogus);
      // Without the record after it, a lone wrapped record followed by junk is no start.
      byte[] lone = (b + "junk\n").getBytes(ISO_8859_1);
      try (MemoryByteSource s2 = new MemoryByteSource("y", lone, 64)) {
        assertThat(boundary(s2, wrapped).isRecordStart(0)).isFalse();
        assertThat(boundary(s2, ParseOptions.defaults()).isRecordStart(0)).isTrue();
      }
    }
  }

  /**
   * When a probe runs into the end of the data, no later record start exists and the answer is the
   * data's end: found by reading to it, not taken from length(), which a stream reports as -1.
   */
  @Test
  void noStartBeforeTheEndAnswersTheEndAlsoOnAStreamThatHidesItsLength() throws IOException {
    ParseOptions basicWrapped =
        ParseOptions.builder().multiLine(true).validation(Validation.BASIC).build();
    String[] texts = {"@a\nACGT", "x\n@a\nACGT\n", "@SQ\tSN:1\n@SQ\tSN:2\n@PG\tID:x\n"};
    for (String text : texts) {
      byte[] d = text.getBytes(ISO_8859_1);
      for (ParseOptions options : new ParseOptions[] {ParseOptions.defaults(), basicWrapped}) {
        for (int window : new int[] {1, 3, 64}) {
          try (MemoryByteSource memory = new MemoryByteSource("x", d, window, true);
              UnknownLength stream = new UnknownLength(new MemoryByteSource("x", d, window))) {
            RecordBoundary known = boundary(memory, options);
            RecordBoundary unknown =
                new RecordBoundary(
                    stream, new RecordScanner(options), new FastqRecord(options.qualityEncoding()));
            for (int p = 0; p <= d.length; p++) {
              assertThat(unknown.nextRecordStart(p))
                  .as("%s from %d, window %d", text, p, window)
                  .isEqualTo(known.nextRecordStart(p))
                  .isEqualTo(d.length);
            }
          }
        }
      }
    }
  }

  /** A source that reports its length as a stream does before its end: -1. */
  private static final class UnknownLength implements ByteSource {
    private final ByteSource inner;

    UnknownLength(ByteSource inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public long length() {
      return -1;
    }

    @Override
    public ByteWindow window(long pos, long minBytes) throws IOException {
      return inner.window(pos, minBytes);
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
