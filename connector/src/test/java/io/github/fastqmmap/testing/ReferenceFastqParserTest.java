/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.testing.ConformanceCorpus.Entry;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import io.github.fastqmmap.testing.ReferenceFastqParser.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks the test oracles against each other before anything is checked against them: the
 * generator's own account of its records equals the reference parse, and the reference agrees with
 * the conformance corpus's manifest.
 */
class ReferenceFastqParserTest {
  private static final long MAX = 256L << 20;

  @Test
  void generatorAndReferenceAgreeForEveryFeature() {
    for (int seed = 0; seed < 12; seed++) {
      for (int wrap : new int[] {0, 1, 3, 17}) {
        for (QualityEncoding encoding : QualityEncoding.values()) {
          FastqFileGenerator.Generated g =
              FastqFileGenerator.builder(seed * 31L + wrap)
                  .records(40)
                  .allTricky()
                  .longReads(wrap == 1 ? 0 : 0.05, 5000)
                  .crlf(seed % 2 == 1)
                  .finalNewline(seed % 3 != 0)
                  .blankTailLines(seed % 4 == 3 ? 2 : 0)
                  .wrapWidth(wrap)
                  .encoding(encoding)
                  .generate();
          Result r = new ReferenceFastqParser(wrap > 0, true, encoding, MAX).parse(g.bytes());
          String what = "seed " + seed + " wrap " + wrap + " " + encoding;
          assertThat(r.malformed()).as(what).isEmpty();
          assertThat(r.reads()).as(what).isEqualTo(g.reads());
          if (wrap == 1 && encoding == QualityEncoding.PHRED33) {
            // One-character lines with '@' and '+' qualities make wrapped FASTQ ambiguous: "@",
            // "V", "+", "O" inside a quality is itself a record. See wrapAtOneIsAmbiguous.
            continue;
          }
          assertThat(r.isUnambiguous()).as(what).isTrue();
          assertThat(r.recordStarts())
              .as(what)
              .isEqualTo(g.reads().stream().map(Read::offset).toList());
        }
      }
    }
  }

  @Test
  void wrapAtOneIsAmbiguous() {
    int ambiguous = 0;
    for (int seed = 0; seed < 10; seed++) {
      FastqFileGenerator.Generated g =
          FastqFileGenerator.builder(seed).records(100).allTricky().wrapWidth(1).generate();
      Result r =
          new ReferenceFastqParser(true, true, QualityEncoding.PHRED33, MAX).parse(g.bytes());
      assertThat(r.reads()).isEqualTo(g.reads());
      for (long start : r.unvisitedRecordStarts()) {
        assertThat(r.recordStarts()).contains(start);
        assertThat(g.reads()).extracting(Read::offset).doesNotContain(start);
      }
      ambiguous += r.isUnambiguous() ? 0 : 1;
    }
    assertThat(ambiguous).isGreaterThan(0);
  }

  @Test
  void splitsTitlesIntoNameAndComment() {
    String fastq =
        "@r1\nA\n+\nI\n"
            + "@r2 c1 c2\nA\n+\nI\n"
            + "@r3\t \tc3\t\nA\n+\nI\n"
            + "@r4  \nA\n+\nI\n"
            + "@r5@x+y z@+\r\nA\r\n+r5@x+y z@+\r\nI\r\n";
    Result r = strict().parse(fastq.getBytes(ISO_8859_1));
    assertThat(r.reads())
        .extracting(Read::name, Read::comment)
        .containsExactly(
            tuple("r1", null),
            tuple("r2", "c1 c2"),
            tuple("r3", "c3\t"),
            tuple("r4", null),
            tuple("r5@x+y", "z@+"));
  }

  @Test
  void malformedStretchRunsToTheNextRecordStart() {
    String good = "@a\nAC\n+\nII\n";
    String bad = "@b\nACG\n+\nII\n"; // lengths differ
    byte[] data = (good + bad + "junk\n" + good).getBytes(ISO_8859_1);
    Result r = strict().parse(data);
    int badAt = good.length();
    int nextGood = good.length() + bad.length() + 5;
    assertThat(r.items())
        .containsExactly(
            new Read(0, "a", null, "AC", "II"),
            new Malformed(badAt, nextGood),
            new Read(nextGood, "a", null, "AC", "II"));
    assertThat(r.nextRecordStart(1)).isEqualTo(nextGood);
    assertThat(r.nextRecordStart(data.length)).isEqualTo(data.length);
  }

  @Test
  void toleratesBlankTailAndMissingFinalNewline() {
    assertThat(strict().parse("@a\nAC\n+\nII".getBytes(ISO_8859_1)).reads()).hasSize(1);
    Result tail = strict().parse("@a\nAC\n+\nII\n\r\n\n".getBytes(ISO_8859_1));
    assertThat(tail.items()).containsExactly(new Read(0, "a", null, "AC", "II"));
    Result middle = strict().parse("@a\nAC\n+\nII\n\n@a\nAC\n+\nII\n".getBytes(ISO_8859_1));
    assertThat(middle.malformed()).containsExactly(new Malformed(11, 12));
  }

  @Test
  void convertsQualityEncodings() {
    assertThat(ReferenceFastqParser.toPhred33('h', QualityEncoding.PHRED64)).isEqualTo('I');
    assertThat(ReferenceFastqParser.toPhred33('@', QualityEncoding.PHRED64)).isEqualTo('!');
    assertThat(ReferenceFastqParser.toPhred33(';', QualityEncoding.SOLEXA)).isEqualTo('"'); // 1
    assertThat(ReferenceFastqParser.toPhred33('@', QualityEncoding.SOLEXA)).isEqualTo('$'); // 3
    assertThat(ReferenceFastqParser.toPhred33('J', QualityEncoding.SOLEXA)).isEqualTo('+'); // 10
    assertThat(ReferenceFastqParser.toPhred33('h', QualityEncoding.SOLEXA)).isEqualTo('I'); // 40
  }

  @Test
  void agreesWithTheConformanceManifest() throws Exception {
    Path dir = ConformanceCorpus.directory().orElse(null);
    Assumptions.assumeTrue(dir != null, ConformanceCorpus.SKIP_REASON);
    int checked = 0;
    for (Entry e : ConformanceCorpus.manifest(dir)) {
      if (!e.file().endsWith(".fastq") && !e.file().endsWith(".fq")) {
        continue; // compressed copies
      }
      byte[] data = Files.readAllBytes(dir.resolve(e.file()));
      Result wrapped =
          new ReferenceFastqParser(true, true, QualityEncoding.PHRED33, MAX).parse(data);
      Result fourLine =
          new ReferenceFastqParser(false, true, QualityEncoding.PHRED33, MAX).parse(data);
      if (e.valid()) {
        assertThat(wrapped.malformed()).as(e.file()).isEmpty();
        assertThat(wrapped.reads()).as(e.file()).hasSize(e.records());
      } else {
        assertThat(fourLine.malformed()).as(e.file()).isNotEmpty();
        assertThat(wrapped.malformed()).as(e.file()).isNotEmpty();
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(60);
  }

  private static ReferenceFastqParser strict() {
    return new ReferenceFastqParser(false, true, QualityEncoding.PHRED33, MAX);
  }
}
