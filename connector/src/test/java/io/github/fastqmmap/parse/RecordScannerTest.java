/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.MemoryByteSource;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One record at one offset: what parses, what is malformed and why, and when to ask for more. */
class RecordScannerTest {
  private static final ParseOptions STRICT = ParseOptions.defaults();
  private static final ParseOptions BASIC =
      ParseOptions.builder().validation(Validation.BASIC).build();
  private static final ParseOptions WRAPPED = ParseOptions.builder().multiLine(true).build();

  private final List<MemoryByteSource> sources = new ArrayList<>();

  @AfterEach
  void free() {
    sources.forEach(MemoryByteSource::close);
  }

  /** The outcome of one scanner call. */
  private static final class Outcome {
    int status;
    RecordScanner scanner;
    FastqRecord record;

    String problemText() {
      return scanner.describeProblem();
    }
  }

  /** Parses at {@code pos} with a window over the whole text (at end of data). */
  private Outcome scan(String text, long pos, ParseOptions options) {
    return scan(text, pos, options, text.length(), true);
  }

  /** Parses at {@code pos} with a window over {@code [0, windowEnd)}. */
  private Outcome scan(String text, long pos, ParseOptions options, int windowEnd, boolean eof) {
    byte[] bytes = text.getBytes(ISO_8859_1);
    MemoryByteSource source = MemoryByteSource.of(bytes);
    sources.add(source);
    ByteWindow whole = source.window(0, bytes.length);
    ByteWindow w = new ByteWindow(whole.address(), 0, windowEnd, eof);
    Outcome o = new Outcome();
    o.scanner = new RecordScanner(options);
    o.record = new FastqRecord(options.qualityEncoding());
    o.status = o.scanner.parse(w, pos, o.record);
    return o;
  }

  private Outcome ok(String text, ParseOptions options) {
    Outcome o = scan(text, 0, options);
    assertThat(o.status).as("status for %s", text).isEqualTo(RecordScanner.OK);
    return o;
  }

  private Outcome malformed(String text, ParseOptions options, Problem problem) {
    Outcome o = scan(text, 0, options);
    assertThat(o.status).as("status for %s", text).isEqualTo(RecordScanner.MALFORMED);
    assertThat(o.scanner.problem).as("problem for %s", text).isEqualTo(problem);
    return o;
  }

  @Test
  void parsesFourLineRecordFields() {
    Outcome o = ok("@r1 lane:1\tx\nACGTN\n+\nIIII#\n@r2\n", STRICT);
    FastqRecord r = o.record;
    assertThat(r.offset()).isZero();
    assertThat(r.endOffset()).isEqualTo(27);
    assertThat(r.byteLength()).isEqualTo(27);
    assertThat(r.name()).isEqualTo("r1");
    assertThat(r.nameLength()).isEqualTo(2);
    assertThat(r.hasComment()).isTrue();
    assertThat(r.comment()).isEqualTo("lane:1\tx");
    assertThat(r.commentLength()).isEqualTo(8);
    assertThat(r.sequence()).isEqualTo("ACGTN");
    assertThat(r.sequenceLength()).isEqualTo(5);
    assertThat(r.quality()).isEqualTo("IIII#");
    assertThat(r.qualityLength()).isEqualTo(5);
    assertThat(r.sequenceBase()).isNull(); // contiguous and unconverted: read in place
    assertThat(r.qualityBase()).isNull();
    assertThat(r.toString()).contains("offset=0", "name=r1", "length=5");
  }

  @Test
  void titleSplitsAtFirstSpaceOrTabRun() {
    assertThat(ok("@r\nA\n+\nI\n", STRICT).record.comment()).isNull();
    assertThat(ok("@r\nA\n+\nI\n", STRICT).record.hasComment()).isFalse();
    assertThat(ok("@r \t c d\nA\n+\nI\n", STRICT).record.comment()).isEqualTo("c d");
    assertThat(ok("@r  \nA\n+\nI\n", STRICT).record.comment()).isNull();
    assertThat(ok("@ c\nA\n+\nI\n", STRICT).record.name()).isEmpty();
    assertThat(ok("@r@x+y\t@c+d\nA\n+r@x+y\t@c+d\nI\n", STRICT).record.name()).isEqualTo("r@x+y");
    assertThat(ok("@r@x+y\t@c+d\nA\n+r@x+y\t@c+d\nI\n", STRICT).record.comment()).isEqualTo("@c+d");
  }

  @Test
  void qualityMayStartWithAtOrPlus() {
    assertThat(ok("@r\nAC\n+\n@I\n", STRICT).record.quality()).isEqualTo("@I");
    assertThat(ok("@r\nAC\n+\n+I\n", STRICT).record.quality()).isEqualTo("+I");
    // A quality line that starts with '@' is not itself a record: the header after it is no
    // sequence followed by a '+' line.
    String text = "@r\nAC\n+\n@I\n@s\nGG\n+\nII\n";
    Outcome atQuality = scan(text, 8, STRICT);
    assertThat(atQuality.status).isEqualTo(RecordScanner.MALFORMED);
    assertThat(atQuality.scanner.problem).isEqualTo(Problem.NO_PLUS);
    assertThat(atQuality.problemText()).isEqualTo("expected a '+' line after the sequence line");
    assertThat(atQuality.scanner.problemOffset).isEqualTo(14);
  }

  @Test
  void plusTitleMustRepeatTheHeaderWhenStrict() {
    ok("@r1 c\nA\n+r1 c\nI\n", STRICT);
    ok("@r1 c\nA\n+\nI\n", STRICT);
    Outcome o = malformed("@r1 c\nA\n+r1\nI\n", STRICT, Problem.TITLE_MISMATCH);
    assertThat(o.scanner.problemOffset).isEqualTo(8);
    assertThat(o.problemText()).isEqualTo("the title on the '+' line differs from the header's");
    malformed("@r1\nA\n+r2\nI\n", STRICT, Problem.TITLE_MISMATCH);
    malformed("@r1\nA\n+r1 \nI\n", STRICT, Problem.TITLE_MISMATCH);
    ok("@r1\nA\n+r2\nI\n", BASIC);
  }

  @Test
  void crlfNeverLeavesCarriageReturnsInValues() {
    FastqRecord r = ok("@r1 c\r\nACG\r\n+r1 c\r\nII#\r\n", STRICT).record;
    assertThat(r.name()).isEqualTo("r1");
    assertThat(r.comment()).isEqualTo("c");
    assertThat(r.sequence()).isEqualTo("ACG");
    assertThat(r.quality()).isEqualTo("II#");
    assertThat(r.endOffset()).isEqualTo(24);
    FastqRecord noFinal = ok("@r\r\nACG\r\n+\r\nII#\r", STRICT).record;
    assertThat(noFinal.quality()).isEqualTo("II#");
    assertThat(noFinal.endOffset()).isEqualTo(16);
    FastqRecord wrapped = ok("@r\r\nAC\r\nG\r\n+\r\nI\r\nI#\r\n", WRAPPED).record;
    assertThat(wrapped.sequence()).isEqualTo("ACG");
    assertThat(wrapped.quality()).isEqualTo("II#");
  }

  @Test
  void zeroLengthReads() {
    FastqRecord r = ok("@empty\n\n+\n\n@next\n", STRICT).record;
    assertThat(r.sequence()).isEmpty();
    assertThat(r.quality()).isEmpty();
    assertThat(r.endOffset()).isEqualTo(11);
    // At the end of the data the empty quality line may lack its newline, or be missing.
    assertThat(ok("@e\n\n+\n", STRICT).record.endOffset()).isEqualTo(6);
    assertThat(ok("@e\n\n+\n", WRAPPED).record.sequence()).isEmpty();
    assertThat(ok("@e\n+\n\n", WRAPPED).record.endOffset()).isEqualTo(6);
    // Four-line mode reads "+" as the sequence line and then misses its '+' line.
    malformed("@e\n+\n\n@f\nA\n+\nI\n", STRICT, Problem.NO_PLUS);
  }

  @Test
  void finalRecordWithoutNewline() {
    FastqRecord r = ok("@r\nACGT\n+\nIIII", STRICT).record;
    assertThat(r.quality()).isEqualTo("IIII");
    assertThat(r.endOffset()).isEqualTo(14);
    assertThat(ok("@r\nAC\nGT\n+\nII\nII", WRAPPED).record.quality()).isEqualTo("IIII");
  }

  @Test
  void truncationInEachLineKind() {
    Outcome header = malformed("@r1", STRICT, Problem.TRUNCATED);
    assertThat(header.problemText()).isEqualTo("the file ends inside the record's header line");
    assertThat(header.scanner.problemOffset).isEqualTo(1);
    Outcome sequence = malformed("@r1\nACG", STRICT, Problem.TRUNCATED);
    assertThat(sequence.problemText()).isEqualTo("the file ends inside the record's sequence line");
    assertThat(sequence.scanner.problemOffset).isEqualTo(4);
    Outcome noPlus = malformed("@r1\nACG\n", STRICT, Problem.TRUNCATED);
    assertThat(noPlus.problemText()).isEqualTo("the file ends inside the record's '+' line");
    assertThat(noPlus.scanner.problemOffset).isEqualTo(8);
    Outcome inPlus = malformed("@r1\nACG\n+r1", STRICT, Problem.TRUNCATED);
    assertThat(inPlus.problemText()).isEqualTo("the file ends inside the record's '+' line");
    assertThat(inPlus.scanner.problemOffset).isEqualTo(9);
    Outcome quality = malformed("@r1\nACG\n+\nII", STRICT, Problem.LENGTH_MISMATCH);
    assertThat(quality.problemText())
        .isEqualTo("the quality has 2 characters but the sequence has 3");
    assertThat(quality.scanner.problemOffset).isEqualTo(10);
    Outcome noQuality = malformed("@r1\nACG\n+\n", STRICT, Problem.LENGTH_MISMATCH);
    assertThat(noQuality.problemText()).contains("the quality has 0 characters");
    Outcome empty = scan("", 0, STRICT);
    assertThat(empty.status).isEqualTo(RecordScanner.MALFORMED);
    assertThat(empty.scanner.problem).isEqualTo(Problem.TRUNCATED);
    // Wrapped: the same line kinds.
    assertThat(malformed("@r1", WRAPPED, Problem.TRUNCATED).problemText()).contains("header line");
    assertThat(malformed("@r1\nAC\nGT", WRAPPED, Problem.TRUNCATED).problemText())
        .contains("sequence line");
    assertThat(malformed("@r1\nAC\nGT\n", WRAPPED, Problem.TRUNCATED).problemText())
        .contains("sequence line");
    assertThat(malformed("@r1\nAC\n+r1", WRAPPED, Problem.TRUNCATED).problemText())
        .contains("'+' line");
    Outcome shortWrapped = malformed("@r1\nAC\nGT\n+\nII\nI\n", WRAPPED, Problem.LENGTH_MISMATCH);
    assertThat(shortWrapped.problemText())
        .isEqualTo("the quality has 3 characters but the sequence has 4");
  }

  @Test
  void incompleteWhileTheWindowEndsInsideTheRecord() {
    String text = "@r1\nACGT\n+\nIIII\n";
    for (int windowEnd = 0; windowEnd < text.length(); windowEnd++) {
      Outcome o = scan(text, 0, STRICT, windowEnd, false);
      if (windowEnd == 0) {
        assertThat(o.status).isEqualTo(RecordScanner.INCOMPLETE);
        continue;
      }
      assertThat(o.status).as("window end %d", windowEnd).isEqualTo(RecordScanner.INCOMPLETE);
      // At the end of the data, the record is complete once its quality line is (without the
      // final newline); anything shorter is malformed.
      Outcome atEof = scan(text, 0, STRICT, windowEnd, true);
      assertThat(atEof.status)
          .as("eof window end %d", windowEnd)
          .isEqualTo(windowEnd == text.length() - 1 ? RecordScanner.OK : RecordScanner.MALFORMED);
    }
    // The quality line's newline is the last byte needed: OK at any window that holds it.
    assertThat(scan(text, 0, STRICT, text.length(), false).status).isEqualTo(RecordScanner.OK);
    // A wrapped record needs the line after the sequence to know the sequence ended.
    String wrapped = "@r\nAC\nGT\n+\nII\nII\n";
    for (int windowEnd = 1; windowEnd < wrapped.length(); windowEnd++) {
      assertThat(scan(wrapped, 0, WRAPPED, windowEnd, false).status)
          .as("wrapped window end %d", windowEnd)
          .isEqualTo(RecordScanner.INCOMPLETE);
    }
    assertThat(scan(wrapped, 0, WRAPPED, wrapped.length(), false).status)
        .isEqualTo(RecordScanner.OK);
  }

  @Test
  void maxRecordBytesIsInclusive() {
    String record = "@r1\nACGTACGT\n+\nIIIIIIII\n"; // 24 bytes
    int length = record.length();
    for (String text : new String[] {record, record + "@r2\nA\n+\nI\n"}) {
      for (boolean eof : new boolean[] {true, false}) {
        ParseOptions exact = ParseOptions.builder().maxRecordBytes(length).build();
        Outcome fits = scan(text, 0, exact, text.length(), eof || text.equals(record));
        assertThat(fits.status).isEqualTo(RecordScanner.OK);
        assertThat(fits.record.byteLength()).isEqualTo(length);
        ParseOptions oneLess = ParseOptions.builder().maxRecordBytes(length - 1).build();
        Outcome tooLong = scan(text, 0, oneLess, text.length(), eof || text.equals(record));
        assertThat(tooLong.status).isEqualTo(RecordScanner.MALFORMED);
        assertThat(tooLong.scanner.problem).isEqualTo(Problem.TOO_LONG);
        assertThat(tooLong.problemText())
            .isEqualTo(
                "the record is longer than maxRecordBytes (23 bytes); raise maxRecordBytes if"
                    + " records this long are expected");
      }
    }
    // Without a final newline the record is one byte shorter and the limit moves with it.
    String noNewline = record.substring(0, length - 1);
    ParseOptions exact = ParseOptions.builder().maxRecordBytes(length - 1).build();
    assertThat(scan(noNewline, 0, exact).status).isEqualTo(RecordScanner.OK);
    ParseOptions oneLess = ParseOptions.builder().maxRecordBytes(length - 2).build();
    assertThat(scan(noNewline, 0, oneLess).scanner.problem).isEqualTo(Problem.TOO_LONG);
    // Wrapped records obey the same bound.
    String wrapped = "@r\nACGT\nACGT\n+\nIIII\nIIII\n"; // 25 bytes
    ParseOptions wrappedExact =
        ParseOptions.builder().multiLine(true).maxRecordBytes(wrapped.length()).build();
    assertThat(scan(wrapped, 0, wrappedExact).status).isEqualTo(RecordScanner.OK);
    ParseOptions wrappedLess =
        ParseOptions.builder().multiLine(true).maxRecordBytes(wrapped.length() - 1).build();
    assertThat(scan(wrapped, 0, wrappedLess).scanner.problem).isEqualTo(Problem.TOO_LONG);
  }

  @Test
  void strictChecksSequenceAlphabet() {
    ok("@r\nACGTNacgtnRYKM-.*\n+\nIIIIIIIIIIIIIIIII\n", STRICT);
    Outcome digit = malformed("@r\nAC1T\n+\nIIII\n", STRICT, Problem.BAD_BASE);
    assertThat(digit.scanner.problemOffset).isEqualTo(5);
    assertThat(digit.problemText())
        .isEqualTo("sequence character '1' (0x31) is not a letter or one of - . *");
    Outcome space = malformed("@r\nAC T\n+\nIIII\n", STRICT, Problem.BAD_BASE);
    assertThat(space.problemText()).startsWith("sequence character 0x20 is not");
    Outcome high = malformed("@r\nAC\u00e9T\n+\nIIII\n", STRICT, Problem.BAD_BASE);
    assertThat(high.problemText()).startsWith("sequence character 0xE9 is not");
    ok("@r\nAC1T\n+\nIIII\n", BASIC);
    malformed("@r\nAC\n@T\n+\nIIII\n", WRAPPED, Problem.BAD_BASE);
  }

  @Test
  void strictChecksQualityRangeOfTheEncoding() {
    Outcome space = malformed("@r\nACGT\n+\nII I\n", STRICT, Problem.BAD_QUALITY);
    assertThat(space.scanner.problemOffset).isEqualTo(12);
    assertThat(space.problemText())
        .isEqualTo("quality character 0x20 is outside the phred33 range '!'..'~'");
    Outcome del = malformed("@r\nACGT\n+\nII\u007fI\n", STRICT, Problem.BAD_QUALITY);
    assertThat(del.problemText()).startsWith("quality character 0x7F");
    ParseOptions phred64 = ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build();
    ok("@r\nACGT\n+\n@Ih~\n", phred64);
    Outcome low = malformed("@r\nACGT\n+\n?Ih~\n", phred64, Problem.BAD_QUALITY);
    assertThat(low.problemText())
        .isEqualTo("quality character '?' (0x3F) is outside the phred64 range '@'..'~'");
    ParseOptions solexa = ParseOptions.builder().qualityEncoding(QualityEncoding.SOLEXA).build();
    ok("@r\nACGT\n+\n;Ih~\n", solexa);
    assertThat(malformed("@r\nACGT\n+\n:Ih~\n", solexa, Problem.BAD_QUALITY).problemText())
        .contains("solexa range ';'..'~'");
    ok("@r\nACGT\n+\nII I\n", BASIC);
  }

  @Test
  void needsAnAtSign() {
    Outcome o = malformed("r\nA\n+\nI\n", STRICT, Problem.NO_HEADER);
    assertThat(o.problemText()).isEqualTo("expected '@' at the start of a record");
    assertThat(o.scanner.problemOffset).isZero();
    assertThat(scan("x@r\nA\n+\nI\n", 1, STRICT).status).isEqualTo(RecordScanner.OK);
  }

  @Test
  void wrappedRecordsJoinLines() {
    FastqRecord r = ok("@r c\nACG\nTA\n\nC\n+r c\n@II\n+I\nI\n@next\n", WRAPPED).record;
    assertThat(r.sequence()).isEqualTo("ACGTAC");
    assertThat(r.quality()).isEqualTo("@II+II");
    assertThat(r.sequenceBase()).isInstanceOf(byte[].class);
    assertThat(r.endOffset()).isEqualTo(29);
    // Quality lines are consumed until the quality is as long as the sequence, then compared.
    malformed("@r\nACG\n+\nII\nII\n", WRAPPED, Problem.LENGTH_MISMATCH);
    // The four-line scanner reads a wrapped record as malformed.
    malformed("@r\nAC\nGT\n+\nIIII\n", STRICT, Problem.NO_PLUS);
    malformed("@r\nACGT\n+\nII\nII\n", STRICT, Problem.LENGTH_MISMATCH);
  }

  @Test
  void convertsQualityWhenAsked() {
    ParseOptions phred64 = ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build();
    FastqRecord r = ok("@r\nACGT\n+\n@Jh~\n", phred64).record;
    assertThat(r.quality()).isEqualTo("!+I_");
    assertThat(r.qualityBase()).isInstanceOf(byte[].class);
    ParseOptions solexaWrapped =
        ParseOptions.builder().qualityEncoding(QualityEncoding.SOLEXA).multiLine(true).build();
    assertThat(ok("@r\nAC\nGT\n+\n;@\nJh\n", solexaWrapped).record.quality()).isEqualTo("\"$+I");
  }

  @Test
  void agreesWithTheReferenceAtEveryOffsetOfMutatedInput() {
    // Differential check of OK/MALFORMED and of the parsed fields against the reference, at every
    // offset of generated files with random damage, in every mode.
    Random random = new Random(7);
    for (int round = 0; round < 24; round++) {
      byte[] data =
          FastqFileGenerator.builder(round)
              .records(12)
              .allTricky()
              .crlf(round % 3 == 0)
              .wrapWidth(round % 2 == 0 ? 0 : 1 + round % 5)
              .generate()
              .bytes();
      for (int damage = 0; damage < round % 4; damage++) {
        data[random.nextInt(data.length)] = (byte) "@+\n\r A!~\t#".charAt(random.nextInt(10));
      }
      for (ParseOptions options :
          new ParseOptions[] {
            STRICT,
            BASIC,
            WRAPPED,
            ParseOptions.builder().multiLine(true).validation(Validation.BASIC).build(),
            ParseOptions.builder().maxRecordBytes(40).build(),
            ParseOptions.builder().qualityEncoding(QualityEncoding.SOLEXA).multiLine(true).build()
          }) {
        ReferenceFastqParser reference = ReferenceFastqParser.of(options);
        String text = new String(data, ISO_8859_1);
        for (int p = 0; p <= data.length; p++) {
          Outcome o = scan(text, p, options);
          ReferenceFastqParser.Read expected = reference.parseAt(data, p);
          String what = "round " + round + " offset " + p + " options " + options;
          if (expected == null) {
            assertThat(o.status).as(what).isEqualTo(RecordScanner.MALFORMED);
          } else {
            assertThat(o.status).as(what).isEqualTo(RecordScanner.OK);
            assertThat(RecordReaderOutput.toRead(o.record)).as(what).isEqualTo(expected);
          }
        }
        sources.forEach(MemoryByteSource::close);
        sources.clear();
      }
    }
  }
}
