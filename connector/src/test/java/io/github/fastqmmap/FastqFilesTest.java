/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.OptionValue;
import io.github.fastqmmap.parse.ParseCounters;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark-free public API, used as its javadoc shows. */
class FastqFilesTest {
  @TempDir Path dir;

  @Test
  void javadocExampleReadsAFile() throws IOException {
    Path path =
        Files.writeString(
            dir.resolve("reads.fastq"),
            "@r1 first read\nACGT\n+\nIIII\n@r2\nGGC\n+r2\n#$%\n",
            StandardCharsets.US_ASCII);
    List<String> lines = new ArrayList<>();
    // The example from the FastqFiles class comment, with println replaced by a list.
    try (RecordReader reader = FastqFiles.open(path)) {
      while (reader.next()) {
        FastqRecord r = reader.record();
        lines.add(r.name() + " " + r.sequenceLength());
      }
    }
    assertThat(lines).containsExactly("r1 4", "r2 3");
  }

  @Test
  void recordsExposeEveryColumn() throws IOException {
    Path path =
        Files.writeString(
            dir.resolve("x.fastq"), "@r1 c1\r\nACGT\r\n+\r\nIII#\r\n", StandardCharsets.US_ASCII);
    try (RecordReader reader = FastqFiles.open(path)) {
      assertThat(reader.next()).isTrue();
      FastqRecord r = reader.record();
      assertThat(r.offset()).isZero();
      assertThat(r.name()).isEqualTo("r1");
      assertThat(r.comment()).isEqualTo("c1");
      assertThat(r.sequence()).isEqualTo("ACGT");
      assertThat(r.quality()).isEqualTo("III#");
      assertThat(r.byteLength()).isEqualTo(Files.size(path));
      assertThat(reader.next()).isFalse();
    }
  }

  @Test
  void rangesReturnEveryRecordExactlyOnce() throws IOException {
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(1).records(500).allTricky().generate();
    Path path = gen.writeTo(dir.resolve("ranges.fastq"));
    long length = Files.size(path);
    List<Item> all = new ArrayList<>();
    ParseCounters total = new ParseCounters();
    MappingCounters mapping = new MappingCounters();
    long[] cuts = {0, 1, 777, 4096, 4097, length / 2, length - 3, length};
    for (int k = 0; k + 1 < cuts.length; k++) {
      ParseCounters counters = new ParseCounters();
      try (RecordReader reader =
          FastqFiles.open(
              path,
              cuts[k],
              cuts[k + 1],
              ParseOptions.defaults(),
              MappingOptions.defaults(),
              counters,
              mapping)) {
        all.addAll(RecordReaderOutput.drain(reader));
      }
      total.add(counters);
    }
    assertThat(all).isEqualTo(gen.reads());
    assertThat(total.records).isEqualTo(500);
    assertThat(total.bytesParsed).isEqualTo(length);
    assertThat(total.bases)
        .isEqualTo(gen.reads().stream().mapToLong(r -> r.sequence().length()).sum());
    assertThat(mapping.windowsMapped).isPositive();
  }

  @Test
  void optionsAndErrors() throws IOException {
    Path missing = dir.resolve("missing.fastq");
    assertThatThrownBy(() -> FastqFiles.open(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
    Path bad =
        Files.writeString(
            dir.resolve("bad.fastq"), "@a\nAC\n+\nI\n@b\nA\n+\nI\n", StandardCharsets.US_ASCII);
    try (RecordReader reader = FastqFiles.open(bad)) {
      assertThatThrownBy(reader::next)
          .hasMessageContaining("Malformed FASTQ record in " + bad + " at byte offset 0")
          .hasMessageContaining("the quality has 1 character but the sequence has 2");
    }
    ParseOptions drop = ParseOptions.defaults().withMode(ParseMode.DROPMALFORMED);
    try (RecordReader reader = FastqFiles.open(bad, drop, MappingOptions.defaults())) {
      assertThat(RecordReaderOutput.drain(reader)).hasSize(1);
    }
    assertThat(drop.toString())
        .isEqualTo(
            "mode=DROPMALFORMED, validation=strict, qualityEncoding=phred33, multiLine=false,"
                + " maxRecordBytes="
                + ParseOptions.DEFAULT_MAX_RECORD_BYTES);
    assertThatThrownBy(() -> ParseOptions.builder().maxRecordBytes(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRecordBytes must be between 4 and");
    assertThatThrownBy(() -> OptionValue.parse(ParseMode.class, "mode", "lenient"))
        .hasMessageContaining("Invalid value 'lenient' for fastq-mmap option 'mode'")
        .hasMessageContaining("FAILFAST, PERMISSIVE, DROPMALFORMED");
    assertThat(OptionValue.parse(ParseMode.class, "mode", " permissive "))
        .isEqualTo(ParseMode.PERMISSIVE);
  }
}
