/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.ConformanceCorpus;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance corpus ({@code shared/fastq-conformance}, Biopython and htslib test files) read
 * through Spark, one dynamic test per MANIFEST row. Valid files give exactly the MANIFEST's count
 * and the reference parser's records; {@code *_original_*} files, converted to Phred+33, equal
 * their {@code *_as_sanger} conversion. Invalid files fail in FAILFAST with file and byte offset,
 * lose exactly their malformed stretches in DROPMALFORMED (and count them), and show them in the
 * corrupt-record column in PERMISSIVE. Every read is done with the default split and with one-page
 * partitions. The gzip and BGZF copies give the records of their plain twins.
 */
class ConformanceTest {
  private static final List<Map<String, String>> SPLITS =
      List.of(Map.of(), Map.of("maxPartitionBytes", "4096"));

  @TestFactory
  Stream<DynamicTest> manifest() throws IOException {
    Optional<Path> corpus = ConformanceCorpus.directory();
    Assumptions.assumeTrue(
        corpus.isPresent(),
        "The conformance corpus is not beside the clone: " + ConformanceCorpus.SKIP_REASON);
    Path dir = corpus.get();
    List<ConformanceCorpus.Entry> entries = ConformanceCorpus.manifest(dir);
    assertThat(entries).hasSizeGreaterThan(60);
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCorpus.Entry e : entries) {
      String display = e.file() + " (" + (e.valid() ? "valid, " : "invalid, ") + e.records() + ")";
      tests.add(DynamicTest.dynamicTest(display, () -> check(dir, e)));
    }
    return tests.stream();
  }

  private static void check(Path dir, ConformanceCorpus.Entry e) throws IOException {
    Path file = dir.resolve(e.file());
    boolean compressed = e.file().endsWith(".gz") || e.file().endsWith(".bgz");
    byte[] bytes = compressed ? gunzip(file) : Files.readAllBytes(file);
    boolean multiLine = e.what().contains("multi-line");
    QualityEncoding encoding = encoding(e.encoding());
    ReferenceFastqParser.Result reference =
        new ReferenceFastqParser(multiLine, true, encoding, ParseOptions.DEFAULT_MAX_RECORD_BYTES)
            .parse(bytes);
    Map<String, String> options = new HashMap<>();
    options.put("multiLine", Boolean.toString(multiLine));
    options.put("qualityEncoding", encoding.optionValue());
    if (e.valid()) {
      checkValid(dir, e, file, reference, options);
      if (compressed) {
        checkSameAsPlainTwin(dir, e, file, options);
      }
    } else {
      checkInvalid(e, file, reference, options);
    }
  }

  /** Decompresses a gzip or BGZF file (a series of gzip members) with the JDK. */
  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /**
   * A compressed copy gives the records of its plain twin ({@code example.fastq.gz} and {@code
   * example.fastq}): gzip with the same {@code _offset}s (uncompressed offsets), BGZF with the
   * virtual offsets of the same bytes.
   */
  private static void checkSameAsPlainTwin(
      Path dir, ConformanceCorpus.Entry e, Path file, Map<String, String> options)
      throws IOException {
    String twinName = e.file().substring(0, e.file().lastIndexOf('.'));
    Path twin = dir.resolve(twinName);
    assertThat(twin).as("plain twin of %s", e.file()).exists();
    List<Read> plain = SparkReads.reads(SparkReads.load(options, twin));
    List<Read> expected = new ArrayList<>();
    List<BgzfTestFiles.Block> layout =
        e.file().endsWith(".bgz") ? BgzfTestFiles.layout(Files.readAllBytes(file)) : null;
    for (Read r : plain) {
      long offset = layout == null ? r.offset() : BgzfTestFiles.virtualOffset(layout, r.offset());
      expected.add(new Read(offset, r.name(), r.comment(), r.sequence(), r.quality()));
    }
    for (Map<String, String> split : SPLITS) {
      SparkReads.assertSameReads(
          SparkReads.reads(SparkReads.load(merge(options, split), file)),
          expected,
          e.file() + " vs " + twinName + " " + split);
    }
  }

  static QualityEncoding encoding(String manifestEncoding) {
    switch (manifestEncoding) {
      case "sanger/phred33":
      case "n/a": // invalid files: read as the default
        return QualityEncoding.PHRED33;
      case "illumina1.3/phred64":
        return QualityEncoding.PHRED64;
      case "solexa":
        return QualityEncoding.SOLEXA;
      default:
        throw new AssertionError("unknown MANIFEST encoding " + manifestEncoding);
    }
  }

  private static void checkValid(
      Path dir,
      ConformanceCorpus.Entry e,
      Path file,
      ReferenceFastqParser.Result reference,
      Map<String, String> options)
      throws IOException {
    assertThat(reference.malformed()).as("reference parse of a valid file").isEmpty();
    assertThat(reference.reads()).as("reference record count").hasSize(e.records());
    List<Read> expectedReads = reference.reads();
    if (e.file().endsWith(".bgz")) {
      // BGZF: _offset is the virtual offset (block offset << 16 | offset in the block).
      List<BgzfTestFiles.Block> layout = BgzfTestFiles.layout(Files.readAllBytes(file));
      expectedReads =
          expectedReads.stream()
              .map(
                  r ->
                      new Read(
                          BgzfTestFiles.virtualOffset(layout, r.offset()),
                          r.name(),
                          r.comment(),
                          r.sequence(),
                          r.quality()))
              .toList();
    }
    for (Map<String, String> split : SPLITS) {
      List<Read> actual = SparkReads.reads(SparkReads.load(merge(options, split), file));
      assertThat(actual).as("record count of %s %s", e.file(), split).hasSize(e.records());
      SparkReads.assertSameReads(actual, expectedReads, e.file() + " " + split);
    }
    int original = e.file().indexOf("_original_");
    if (original >= 0) {
      Path sanger = dir.resolve(e.file().substring(0, original) + "_as_sanger.fastq");
      assertThat(sanger).as("the _as_sanger partner of %s", e.file()).exists();
      List<Read> converted = SparkReads.reads(SparkReads.load(options, file));
      List<Read> expected =
          SparkReads.reads(SparkReads.load(Map.of("qualityEncoding", "phred33"), sanger));
      assertThat(converted).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        Read c = converted.get(i);
        Read x = expected.get(i);
        assertThat(c.name()).as("name of record %d", i).isEqualTo(x.name());
        assertThat(c.sequence()).as("sequence of record %d", i).isEqualTo(x.sequence());
        assertThat(c.quality())
            .as("%s record %d converted to Phred+33 vs %s", e.file(), i, sanger.getFileName())
            .isEqualTo(x.quality());
      }
    }
  }

  private static void checkInvalid(
      ConformanceCorpus.Entry e,
      Path file,
      ReferenceFastqParser.Result reference,
      Map<String, String> options) {
    List<Malformed> malformed = reference.malformed();
    assertThat(malformed).as("reference finds the malformed record of %s", e.file()).isNotEmpty();
    List<Read> wellFormed = reference.reads();
    assertThat(wellFormed.size()).isGreaterThanOrEqualTo(e.records());
    String fileName = file.getFileName().toString();
    for (Map<String, String> split : SPLITS) {
      // FAILFAST: the first malformed record, by file and byte offset.
      Throwable failure =
          catchThrowable(() -> SparkReads.load(merge(options, split), file).collectAsList());
      assertThat(failure).as("FAILFAST on %s %s", fileName, split).isNotNull();
      assertThat(SparkReads.messages(failure))
          .contains("Malformed FASTQ record in")
          .contains(fileName)
          .contains("at byte offset " + malformed.get(0).offset() + ":");

      // DROPMALFORMED: every well-formed record, the malformed ones counted.
      Map<String, String> drop = merge(merge(options, split), Map.of("mode", "DROPMALFORMED"));
      Dataset<Row> df = SparkReads.load(drop, file).selectExpr(SparkReads.READ_COLUMNS);
      AtomicReference<List<Row>> rows = new AtomicReference<>();
      Map<String, Long> accumulators =
          ScanMetrics.accumulatorsDuring(() -> rows.set(df.collectAsList()));
      List<Read> kept = new ArrayList<>();
      for (Row r : rows.get()) {
        kept.add(
            new Read(r.getLong(4), r.getString(0), r.getString(1), r.getString(2), r.getString(3)));
      }
      assertThat(kept.size()).isGreaterThanOrEqualTo(e.records());
      SparkReads.assertSameReads(kept, wellFormed, fileName + " DROPMALFORMED " + split);
      assertThat(ScanMetrics.accumulator(accumulators, ReadMetric.DROPPED_RECORDS))
          .as("droppedRecords accumulator")
          .isEqualTo(malformed.size())
          .isGreaterThanOrEqualTo(1);
      assertThat(ScanMetrics.accumulator(accumulators, ReadMetric.MALFORMED_RECORDS))
          .as("malformedRecords accumulator")
          .isEqualTo(malformed.size());
      assertThat(ScanMetrics.sql(df, ReadMetric.DROPPED_RECORDS))
          .as("droppedRecords SQL metric")
          .isEqualTo(malformed.size());
      assertThat(ScanMetrics.sql(df, ReadMetric.RECORDS)).isEqualTo(wellFormed.size());

      // PERMISSIVE: records and malformed stretches in file order.
      Map<String, String> permissive = merge(merge(options, split), Map.of("mode", "PERMISSIVE"));
      List<Row> all =
          SparkReads.load(permissive, file)
              .selectExpr("name", "comment", "sequence", "quality", "_offset", "_corrupt_record")
              .collectAsList();
      List<Item> items = reference.items();
      assertThat(all).as("PERMISSIVE rows of %s %s", fileName, split).hasSameSizeAs(items);
      int corrupt = 0;
      for (int i = 0; i < items.size(); i++) {
        Row r = all.get(i);
        assertThat(r.getLong(4)).as("_offset of row %d", i).isEqualTo(items.get(i).offset());
        if (items.get(i) instanceof Read read) {
          assertThat(
                  new Read(
                      r.getLong(4), r.getString(0), r.getString(1), r.getString(2), r.getString(3)))
              .as("row %d", i)
              .isEqualTo(read);
          assertThat(r.isNullAt(5)).as("corrupt column of well-formed row %d", i).isTrue();
        } else {
          Malformed m = (Malformed) items.get(i);
          corrupt++;
          assertThat(Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3)))
              .as("fields of corrupt row %d", i)
              .containsOnlyNulls();
          assertThat(r.getString(5))
              .as("corrupt text of row %d", i)
              .isEqualTo(rawText(reference.bytes(), m));
        }
      }
      assertThat(corrupt).isGreaterThanOrEqualTo(1);
    }
  }

  /** A malformed stretch's text as PERMISSIVE shows it: its bytes without the final line ends. */
  private static String rawText(byte[] bytes, Malformed m) {
    int end = (int) m.end();
    while (end > m.offset() && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    return new String(bytes, (int) m.offset(), end - (int) m.offset(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new HashMap<>(a);
    out.putAll(b);
    return out;
  }

  // FAILFAST through assertThatThrownBy as well, for one file whose error is known by heart.
  @Test
  void failFastNamesFileOffsetAndReason() {
    Optional<Path> corpus = ConformanceCorpus.directory();
    Assumptions.assumeTrue(
        corpus.isPresent(),
        "The conformance corpus is not beside the clone: " + ConformanceCorpus.SKIP_REASON);
    Path file = corpus.get().resolve("error_short_qual.fastq");
    assertThatThrownBy(() -> SparkReads.load(Map.of(), file).count())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(file))
                    .contains("at byte offset")
                    .contains("set mode to DROPMALFORMED"));
  }
}
