/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.testing.ConformanceCorpus;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Quality encodings: the conversion table, and the conformance corpus's reference conversions
 * (Biopython's) read back through the reader.
 */
class QualityEncodingTest {

  @Test
  void rangesAndOptionValues() {
    assertThat(QualityEncoding.PHRED33.minChar()).isEqualTo('!');
    assertThat(QualityEncoding.PHRED64.minChar()).isEqualTo('@');
    assertThat(QualityEncoding.SOLEXA.minChar()).isEqualTo(';');
    assertThat(QualityEncoding.MAX_CHAR).isEqualTo('~');
    assertThat(QualityEncoding.PHRED33.converts()).isFalse();
    assertThat(QualityEncoding.PHRED64.converts()).isTrue();
    assertThat(QualityEncoding.SOLEXA.converts()).isTrue();
    assertThat(OptionValue.parse(QualityEncoding.class, "qualityEncoding", " Phred64 "))
        .isEqualTo(QualityEncoding.PHRED64);
    assertThat(OptionValue.parse(QualityEncoding.class, "qualityEncoding", "SOLEXA"))
        .isEqualTo(QualityEncoding.SOLEXA);
    assertThat(QualityEncoding.PHRED33.optionValue()).isEqualTo("phred33");
    assertThatThrownBy(
            () -> OptionValue.parse(QualityEncoding.class, "qualityEncoding", "illumina"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "Invalid value 'illumina' for fastq-mmap option 'qualityEncoding': expected one of"
                + " phred33, phred64, solexa.");
  }

  @Test
  void phred64ShiftsBy31() {
    assertThat(QualityEncoding.PHRED64.toPhred33((byte) '@')).isEqualTo((byte) '!'); // Q0
    assertThat(QualityEncoding.PHRED64.toPhred33((byte) 'J')).isEqualTo((byte) '+'); // Q10
    assertThat(QualityEncoding.PHRED64.toPhred33((byte) 'h')).isEqualTo((byte) 'I'); // Q40
    assertThat(QualityEncoding.PHRED64.toPhred33((byte) '~')).isEqualTo((byte) '_'); // Q62
    for (int c = '@'; c <= '~'; c++) {
      assertThat(QualityEncoding.PHRED64.toPhred33((byte) c)).isEqualTo((byte) (c - 31));
    }
  }

  @Test
  void solexaUsesTheOddsFormula() {
    // Q = 10 log10(10^(S/10) + 1): S -5 -> 1.19, 0 -> 3.01, 10 -> 10.41, 40 -> 40.0004.
    assertThat(QualityEncoding.SOLEXA.toPhred33((byte) ';')).isEqualTo((byte) ('!' + 1));
    assertThat(QualityEncoding.SOLEXA.toPhred33((byte) '@')).isEqualTo((byte) ('!' + 3));
    assertThat(QualityEncoding.SOLEXA.toPhred33((byte) 'J')).isEqualTo((byte) ('!' + 10));
    assertThat(QualityEncoding.SOLEXA.toPhred33((byte) 'h')).isEqualTo((byte) ('!' + 40));
    // From about S = 10 on, Solexa and Phred agree.
    for (int c = 'T'; c <= '~'; c++) {
      assertThat(QualityEncoding.SOLEXA.toPhred33((byte) c)).isEqualTo((byte) (c - 31));
    }
  }

  @Test
  void everyByteAgreesWithTheReference() {
    for (QualityEncoding e : QualityEncoding.values()) {
      for (int c = 0; c < 256; c++) {
        assertThat(e.toPhred33((byte) c) & 0xFF)
            .as("%s byte 0x%02X", e, c)
            .isEqualTo((int) ReferenceFastqParser.toPhred33(c, e));
      }
    }
    // Characters outside the range (accepted only with basic validation) pass through unchanged.
    assertThat(QualityEncoding.PHRED64.toPhred33((byte) '5')).isEqualTo((byte) '5');
    assertThat(QualityEncoding.SOLEXA.toPhred33((byte) 0x7F)).isEqualTo((byte) 0x7F);
  }

  private static Path corpus() {
    Path dir = ConformanceCorpus.directory().orElse(null);
    Assumptions.assumeTrue(dir != null, ConformanceCorpus.SKIP_REASON);
    return dir;
  }

  private static List<Item> read(Path file, QualityEncoding encoding) throws IOException {
    ParseOptions options = ParseOptions.builder().qualityEncoding(encoding).multiLine(true).build();
    try (RecordReader reader = FastqFiles.open(file, options, MappingOptions.defaults())) {
      List<Item> items = RecordReaderOutput.drain(reader);
      // The independent reference converts the same way.
      assertThat(items)
          .as("%s as %s", file.getFileName(), encoding)
          .isEqualTo(ReferenceFastqParser.of(options).parse(Files.readAllBytes(file)).items());
      return items;
    }
  }

  /** Reads {@code original} in {@code encoding} and checks it equals {@code sanger} read as is. */
  private static void assertConvertsTo(String original, QualityEncoding encoding, String sanger)
      throws IOException {
    Path dir = corpus();
    List<Item> converted = read(dir.resolve(original), encoding);
    List<Item> expected = read(dir.resolve(sanger), QualityEncoding.PHRED33);
    assertThat(converted).as(original).isNotEmpty().allMatch(i -> i instanceof Read);
    assertThat(converted)
        .as("%s read as %s, against %s", original, encoding.optionValue(), sanger)
        .extracting(i -> ((Read) i).name(), i -> ((Read) i).sequence(), i -> ((Read) i).quality())
        .isEqualTo(
            expected.stream()
                .map(i -> tuple(((Read) i).name(), ((Read) i).sequence(), ((Read) i).quality()))
                .toList());
  }

  @Test
  void solexaFullRangeMatchesTheSangerConversion() throws IOException {
    assertConvertsTo(
        "solexa_full_range_original_solexa.fastq",
        QualityEncoding.SOLEXA,
        "solexa_full_range_as_sanger.fastq");
  }

  @Test
  void illuminaFullRangeMatchesTheSangerConversion() throws IOException {
    assertConvertsTo(
        "illumina_full_range_original_illumina.fastq",
        QualityEncoding.PHRED64,
        "illumina_full_range_as_sanger.fastq");
  }

  @Test
  void otherIlluminaConversionsMatch() throws IOException {
    for (String stem : new String[] {"misc_dna", "misc_rna", "wrapping", "longreads"}) {
      assertConvertsTo(
          stem + "_as_illumina.fastq", QualityEncoding.PHRED64, stem + "_as_sanger.fastq");
    }
    assertConvertsTo(
        "solexa_full_range_as_illumina.fastq",
        QualityEncoding.PHRED64,
        "solexa_full_range_as_sanger.fastq");
    assertConvertsTo(
        "solexa_full_range_as_solexa.fastq",
        QualityEncoding.SOLEXA,
        "solexa_full_range_as_sanger.fastq");
  }

  @Test
  void rangeIsCheckedPerEncoding() throws IOException {
    Path dir = corpus();
    // Phred+33 data with characters below '@' is rejected as Phred+64, with the range named.
    ParseOptions phred64 = ParseOptions.builder().qualityEncoding(QualityEncoding.PHRED64).build();
    Path sanger = dir.resolve("sanger_full_range_original_sanger.fastq");
    try (RecordReader reader = FastqFiles.open(sanger, phred64, MappingOptions.defaults())) {
      assertThatThrownBy(() -> RecordReaderOutput.drain(reader))
          .isInstanceOf(FastqParseException.class)
          .hasMessageContaining("Malformed FASTQ record in " + sanger + " at byte offset 0")
          .hasMessageContaining("is outside the phred64 range '@'..'~'");
    }
    ParseOptions solexa = ParseOptions.builder().qualityEncoding(QualityEncoding.SOLEXA).build();
    assertThat(read(dir.resolve("solexa_example.fastq"), QualityEncoding.SOLEXA)).hasSize(5);
    try (RecordReader reader =
        FastqFiles.open(dir.resolve("sanger_faked.fastq"), solexa, MappingOptions.defaults())) {
      assertThatThrownBy(() -> RecordReaderOutput.drain(reader))
          .hasMessageContaining("is outside the solexa range ';'..'~'");
    }
  }
}
