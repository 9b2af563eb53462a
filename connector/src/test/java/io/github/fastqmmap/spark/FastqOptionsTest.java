/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.ReadAdvice;
import io.github.fastqmmap.parse.InvalidOptionException;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.parse.Validation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Options: every key case-insensitive with its default; every bad value rejected by {@code load()}
 * on the driver, naming option, value and what is allowed; the corrupt-record column of PERMISSIVE.
 */
class FastqOptionsTest {
  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void writeFile() throws Exception {
    file = SparkReads.write(dir.resolve("a.fastq"), "@r1\nACGT\n+\nIIII\n");
  }

  private static FastqOptions resolve(Map<String, String> options) {
    Map<String, String> withPath = new HashMap<>(options);
    withPath.put("path", file.toString());
    return FastqOptions.resolve(withPath, new SQLConf());
  }

  @Test
  void defaults() {
    FastqOptions o = resolve(Map.of());
    assertThat(o.paths()).containsExactly(file.toString());
    ParseOptions p = o.parse();
    assertThat(p.mode()).isEqualTo(ParseMode.FAILFAST);
    assertThat(p.validation()).isEqualTo(Validation.STRICT);
    assertThat(p.qualityEncoding()).isEqualTo(QualityEncoding.PHRED33);
    assertThat(p.multiLine()).isFalse();
    assertThat(p.maxRecordBytes()).isEqualTo(256L << 20);
    MappingOptions m = o.mapping();
    assertThat(m.windowBytes()).isEqualTo(MappingOptions.DEFAULT_WINDOW_BYTES);
    assertThat(m.prefetchBytes()).isEqualTo(MappingOptions.DEFAULT_PREFETCH_BYTES);
    assertThat(m.readAdvice()).isEqualTo(ReadAdvice.SEQUENTIAL);
    assertThat(m.dropBehind()).isFalse();
    assertThat(m.populate()).isFalse();
    assertThat(m.lock()).isFalse();
    assertThat(m.hugePages()).isFalse();
    assertThat(o.corruptColumn()).isNull(); // FAILFAST has no corrupt-record column
    SQLConf conf = new SQLConf();
    assertThat(o.maxPartitionBytes())
        .isEqualTo(conf.filesMaxPartitionBytes())
        .isEqualTo(128L << 20);
    assertThat(o.openCostInBytes()).isEqualTo(conf.filesOpenCostInBytes()).isEqualTo(4L << 20);
    assertThat(o.recursiveFileLookup()).isFalse();
    assertThat(o.pathGlobFilter()).isNull();
    assertThat(o.ignoreCorruptFiles()).isFalse();
    assertThat(o.ignoreMissingFiles()).isFalse();
  }

  @Test
  void everyOptionIsReadWithKeysAndValuesInAnyCase() {
    Map<String, String> options = new HashMap<>();
    options.put("MODE", "permissive");
    options.put("ColumnNameOfCorruptRecord", "bad_text");
    options.put("VALIDATION", "Basic");
    options.put("qualityencoding", "PHRED64");
    options.put("MultiLine", "TRUE");
    options.put("MAXPARTITIONBYTES", "64k");
    options.put("openCostInBYTES", "1024");
    options.put("maxrecordbytes", "1m");
    options.put("WindowBytes", "2M");
    options.put("READADVICE", "WillNeed");
    options.put("prefetchbytes", "0");
    options.put("DropBehind", "true");
    options.put("POPULATE", "True");
    options.put("lock", "TRUE");
    options.put("HugePages", "true");
    options.put("RecursiveFileLookup", "true");
    options.put("PathGlobFilter", "*.fq");
    options.put("IgnoreCorruptFiles", "true");
    options.put("IGNOREMISSINGFILES", "true");
    FastqOptions o = resolve(options);
    assertThat(o.parse().mode()).isEqualTo(ParseMode.PERMISSIVE);
    assertThat(o.corruptColumn()).isEqualTo("bad_text");
    assertThat(o.parse().validation()).isEqualTo(Validation.BASIC);
    assertThat(o.parse().qualityEncoding()).isEqualTo(QualityEncoding.PHRED64);
    assertThat(o.parse().multiLine()).isTrue();
    assertThat(o.maxPartitionBytes()).isEqualTo(65_536);
    assertThat(o.openCostInBytes()).isEqualTo(1024);
    assertThat(o.parse().maxRecordBytes()).isEqualTo(1L << 20);
    assertThat(o.mapping().windowBytes()).isEqualTo(2L << 20);
    assertThat(o.mapping().readAdvice()).isEqualTo(ReadAdvice.WILLNEED);
    assertThat(o.mapping().prefetchBytes()).isZero();
    assertThat(o.mapping().dropBehind()).isTrue();
    assertThat(o.mapping().populate()).isTrue();
    assertThat(o.mapping().lock()).isTrue();
    assertThat(o.mapping().hugePages()).isTrue();
    assertThat(o.recursiveFileLookup()).isTrue();
    assertThat(o.pathGlobFilter()).isEqualTo("*.fq");
    assertThat(o.ignoreCorruptFiles()).isTrue();
    assertThat(o.ignoreMissingFiles()).isTrue();

    assertThat(resolve(Map.of("mode", "DropMalformed")).parse().mode())
        .isEqualTo(ParseMode.DROPMALFORMED);
    assertThat(resolve(Map.of("qualityEncoding", "Solexa")).parse().qualityEncoding())
        .isEqualTo(QualityEncoding.SOLEXA);
    assertThat(resolve(Map.of("readAdvice", "random")).mapping().readAdvice())
        .isEqualTo(ReadAdvice.RANDOM);
    assertThat(resolve(Map.of("readAdvice", "NORMAL")).mapping().readAdvice())
        .isEqualTo(ReadAdvice.NORMAL);
    assertThat(resolve(Map.of("multiLine", "false")).parse().multiLine()).isFalse();
  }

  @Test
  void sessionConfSuppliesSparkFileDefaults() {
    SQLConf conf = new SQLConf();
    conf.setConfString("spark.sql.files.maxPartitionBytes", "1m");
    conf.setConfString("spark.sql.files.openCostInBytes", "8192");
    conf.setConfString("spark.sql.files.ignoreCorruptFiles", "true");
    conf.setConfString("spark.sql.files.ignoreMissingFiles", "true");
    conf.setConfString("spark.sql.columnNameOfCorruptRecord", "_bad");
    FastqOptions o =
        FastqOptions.resolve(Map.of("path", file.toString(), "mode", "PERMISSIVE"), conf);
    assertThat(o.maxPartitionBytes()).isEqualTo(1L << 20);
    assertThat(o.openCostInBytes()).isEqualTo(8192);
    assertThat(o.ignoreCorruptFiles()).isTrue();
    assertThat(o.ignoreMissingFiles()).isTrue();
    assertThat(o.corruptColumn()).isEqualTo("_bad");
    // An option beats the session conf.
    FastqOptions overridden =
        FastqOptions.resolve(
            Map.of(
                "path",
                file.toString(),
                "maxPartitionBytes",
                "4096",
                "ignoreCorruptFiles",
                "false"),
            conf);
    assertThat(overridden.maxPartitionBytes()).isEqualTo(4096);
    assertThat(overridden.ignoreCorruptFiles()).isFalse();
  }

  static Stream<Arguments> badValues() {
    String sizeHint = "a size in bytes, such as 1048576, 512k, 64m or 1g";
    String bool = "true or false";
    return Stream.of(
        Arguments.of("mode", "bogus", "one of FAILFAST, PERMISSIVE, DROPMALFORMED"),
        Arguments.of("validation", "lenient", "one of strict, basic"),
        Arguments.of("qualityEncoding", "phred99", "one of phred33, phred64, solexa"),
        Arguments.of("multiLine", "maybe", bool),
        Arguments.of("maxPartitionBytes", "-1", sizeHint),
        Arguments.of("maxPartitionBytes", "abc", sizeHint),
        Arguments.of("maxPartitionBytes", "0", "a size from 1 to"),
        Arguments.of("openCostInBytes", "lots", sizeHint),
        Arguments.of("windowBytes", "0", "a size from 1 to"),
        Arguments.of("windowBytes", "2t", "a size from 1 to"),
        Arguments.of("readAdvice", "bogus", "one of normal, sequential, random, willneed"),
        Arguments.of("prefetchBytes", "-5", sizeHint),
        Arguments.of("prefetchBytes", "soon", sizeHint),
        Arguments.of("maxRecordBytes", "3", "a size from 4 to 2147483583 bytes"),
        Arguments.of("maxRecordBytes", "3g", "a size from 4 to 2147483583 bytes"),
        Arguments.of("maxRecordBytes", "big", sizeHint),
        Arguments.of("pathGlobFilter", "[abc", "a glob such as *.fastq"),
        Arguments.of("dropBehind", "yes", bool),
        Arguments.of("populate", "1", bool),
        Arguments.of("lock", "on", bool),
        Arguments.of("hugePages", "maybe", bool),
        Arguments.of("recursiveFileLookup", "2", bool),
        Arguments.of("ignoreCorruptFiles", "sometimes", bool),
        Arguments.of("ignoreMissingFiles", "no", bool),
        Arguments.of("columnNameOfCorruptRecord", " ", "a non-empty column name"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void badValueFailsAtLoadNamingOptionValueAndAllowed(String key, String value, String allowed) {
    assertThatThrownBy(() -> SparkReads.reader(Map.of(key, value)).load(file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid value '" + value + "' for fastq-mmap option '" + key + "'")
        .hasMessageContaining("expected " + allowed);
  }

  @Test
  void badValueUnderAKeyInAnotherCaseNamesTheOption() {
    assertThatThrownBy(() -> SparkReads.reader(Map.of("MODE", "fail_fast")).load(file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value 'fail_fast' for fastq-mmap option 'mode': expected one of FAILFAST,"
                + " PERMISSIVE, DROPMALFORMED.");
  }

  @Test
  void badValueFailsInSqlToo() {
    assertThatThrownBy(
            () ->
                SparkReads.spark()
                    .sql(
                        "CREATE OR REPLACE TEMPORARY VIEW bad_mode USING `fastq-mmap` OPTIONS"
                            + " (path '"
                            + file
                            + "', mode 'sloppy')"))
        .hasMessageContaining("Invalid value 'sloppy' for fastq-mmap option 'mode'")
        .hasMessageContaining("FAILFAST, PERMISSIVE, DROPMALFORMED");
  }

  @Test
  void pathsMustBeGiven() {
    assertThatThrownBy(() -> SparkReads.reader(Map.of()).load())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fastq-mmap needs at least one path")
        .hasMessageContaining("load(path)")
        .hasMessageContaining("OPTIONS (path");
    assertThatThrownBy(() -> FastqOptions.resolve(Map.of("mode", "FAILFAST"), new SQLConf()))
        .hasMessageContaining("fastq-mmap needs at least one path");
    assertThatThrownBy(() -> FastqOptions.resolve(Map.of("paths", "not json"), new SQLConf()))
        .hasMessageContaining("Invalid value 'not json' for fastq-mmap option 'paths'")
        .hasMessageContaining("a JSON array of paths");
  }

  @Test
  void unknownOptionsAreIgnoredWithOneWarningPerLoadButCatalogPropertiesAreNot() {
    // A typo is logged as a warning, not an error, as Spark's file sources do; the options are
    // resolved once per load (inferSchema and getTable share them), so the warning prints once.
    // Spark hands over the keys lower-cased.
    Logger log = Logger.getLogger(FastqOptions.class.getName());
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel() == java.util.logging.Level.WARNING) {
              warnings.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      // A catalog's table properties (location, owner, ...) reach the source as options too: no
      // warning for those.
      assertThat(
              SparkReads.reader(Map.of("mutliLine", "true", "owner", "alice"))
                  .load(file.toString())
                  .count())
          .isEqualTo(1);
    } finally {
      log.removeHandler(handler);
    }
    assertThat(warnings)
        .containsExactly(
            "fastq-mmap ignores unknown option(s) [mutliline]; known options are listed in the"
                + " README.");
  }

  @Test
  void hadoopConfHasTheSessionSettingsAndTheOptionsButNotThePaths() {
    org.apache.spark.sql.SparkSession session = SparkReads.spark();
    Map<String, String> options = new HashMap<>();
    options.put("path", "/data/a.fastq");
    options.put("paths", "[\"/data/b.fastq\"]");
    options.put("fs.example.setting", "42");
    options.put("mode", "FAILFAST");
    org.apache.hadoop.conf.Configuration conf = FastqDataSource.hadoopConf(session, options);
    assertThat(conf.get("fs.example.setting")).isEqualTo("42");
    assertThat(conf.get("mode")).isEqualTo("FAILFAST"); // as Spark's file sources do
    assertThat(conf.get("path")).isNull();
    assertThat(conf.get("paths")).isNull();
    assertThat(conf.get("fs.file.impl.disable.cache"))
        .isEqualTo(
            SparkSessions.sessionState(session).newHadoopConf().get("fs.file.impl.disable.cache"));
  }

  @Test
  void everyDeclaredOptionIsInTheReadme() throws Exception {
    // The project's README, above the line module that runs this (connector/<line>/).
    Path readme = Path.of("..", "..", "README.md");
    Assumptions.assumeTrue(Files.exists(readme), "README.md is not two levels above the module");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    assertThat(FastqOptions.declared())
        .extracting(FastqOption::key)
        .contains("mode", "compression", "paths")
        .allSatisfy(key -> assertThat(text).contains("`" + key + "`"));
    assertThat(FastqOptions.declared()).allSatisfy(o -> assertThat(o.doc()).isNotBlank());
  }

  @Test
  void compressionAcceptsEveryListedSpelling() {
    Map<String, WriteCompression> spellings =
        Map.of(
            "none", WriteCompression.NONE,
            "Uncompressed", WriteCompression.NONE,
            "GZIP", WriteCompression.GZIP,
            "gz", WriteCompression.GZIP,
            " bgzf ", WriteCompression.BGZF,
            "bgz", WriteCompression.BGZF,
            "bzip2", WriteCompression.BZIP2,
            "BZ2", WriteCompression.BZIP2,
            "ZSTD", WriteCompression.ZSTD,
            "zst", WriteCompression.ZSTD);
    spellings.forEach(
        (value, expected) ->
            assertThat(
                    FastqOptions.COMPRESSION.get(
                        new CaseInsensitiveStringMap(Map.of("Compression", value)), new SQLConf()))
                .isEqualTo(expected));
    assertThat(FastqOptions.COMPRESSION.get(new CaseInsensitiveStringMap(Map.of()), new SQLConf()))
        .isEqualTo(WriteCompression.NONE);
    assertThatThrownBy(
            () ->
                FastqOptions.COMPRESSION.get(
                    new CaseInsensitiveStringMap(Map.of("compression", "xz")), new SQLConf()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "Invalid value 'xz' for fastq-mmap option 'compression': expected one of none (or"
                + " uncompressed), gzip (or gz), bgzf (or bgz), bzip2 (or bz2),"
                + " zstd (or zst).");
  }

  // ---- corrupt-record column -----------------------------------------------------------------

  @Test
  void permissiveAddsTheCorruptRecordColumn() {
    StructType schema =
        SparkReads.reader(Map.of("mode", "PERMISSIVE")).load(file.toString()).schema();
    assertThat(schema.fieldNames())
        .containsExactly("name", "comment", "sequence", "quality", "_corrupt_record");
    // A malformed record's fields are null, so in PERMISSIVE mode every field is nullable.
    assertThat(schema.fields()).extracting(StructField::nullable).containsOnly(true);
  }

  @Test
  void otherModesHaveTheFourColumnsOnly() {
    for (String mode : List.of("FAILFAST", "DROPMALFORMED")) {
      StructType schema = SparkReads.reader(Map.of("mode", mode)).load(file.toString()).schema();
      assertThat(schema.fieldNames()).containsExactly("name", "comment", "sequence", "quality");
      assertThat(schema.fields())
          .extracting(StructField::nullable)
          .containsExactly(false, true, false, false);
    }
    // columnNameOfCorruptRecord alone does not add a column.
    assertThat(
            SparkReads.reader(Map.of("columnNameOfCorruptRecord", "bad"))
                .load(file.toString())
                .schema()
                .fieldNames())
        .containsExactly("name", "comment", "sequence", "quality");
  }

  @Test
  void permissiveCorruptColumnTakesACustomName() {
    StructType schema =
        SparkReads.reader(Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "bad_text"))
            .load(file.toString())
            .schema();
    assertThat(schema.fieldNames())
        .containsExactly("name", "comment", "sequence", "quality", "bad_text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "comment", "sequence", "quality", "NAME", "Sequence"})
  void permissiveCorruptColumnMayNotClashWithARecordColumn(String clash) {
    assertThatThrownBy(
            () ->
                SparkReads.reader(Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", clash))
                    .load(file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "Invalid value '" + clash + "' for fastq-mmap option 'columnNameOfCorruptRecord'")
        .hasMessageContaining("a name other than name, comment, sequence, quality");
  }
}
