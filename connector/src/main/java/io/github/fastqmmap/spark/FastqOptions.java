/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.ReadAdvice;
import io.github.fastqmmap.mmap.WindowRead;
import io.github.fastqmmap.parse.InvalidOptionException;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.parse.Validation;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The read options, resolved once per load on the driver: option, then session conf, then default.
 * Each option is declared once below as a {@link FastqOption}. Every value is checked here, so a
 * bad one fails before any task starts, with a message that names the option, the value and what is
 * allowed. Executors receive this object, never the raw map.
 */
final class FastqOptions implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(FastqOptions.class.getName());

  // Each option is declared once, here: key, default, parser (with what it accepts) and meaning.

  static final FastqOption<String> PATH = FastqOption.text("path", "the file or directory to read");

  static final FastqOption<List<String>> PATHS =
      FastqOption.of("paths", conf -> List.of(), FastqOptions::parsePaths, "a JSON array of paths");

  static final FastqOption<ParseMode> MODE =
      FastqOption.choice(
          "mode", ParseMode.class, ParseMode.FAILFAST, "what a malformed record does");

  static final FastqOption<String> CORRUPT_COLUMN =
      FastqOption.of(
          "columnNameOfCorruptRecord",
          SQLConf::columnNameOfCorruptRecord,
          (key, value) -> value,
          "PERMISSIVE mode's column for the raw text of malformed records");

  static final FastqOption<Validation> VALIDATION =
      FastqOption.choice(
          "validation",
          Validation.class,
          Validation.STRICT,
          "how much of a record is checked beyond its structure");

  static final FastqOption<QualityEncoding> QUALITY_ENCODING =
      FastqOption.choice(
          "qualityEncoding",
          QualityEncoding.class,
          QualityEncoding.PHRED33,
          "how quality characters encode scores");

  static final FastqOption<Boolean> MULTI_LINE =
      FastqOption.bool(
          "multiLine", false, "accept sequence and quality wrapped over several lines");

  static final FastqOption<Long> MAX_PARTITION_BYTES =
      FastqOption.size(
          "maxPartitionBytes",
          SQLConf::filesMaxPartitionBytes,
          1,
          Long.MAX_VALUE,
          "upper bound of one byte range (rounded down to a page multiple)");

  static final FastqOption<Long> OPEN_COST_IN_BYTES =
      FastqOption.size(
          "openCostInBytes",
          SQLConf::filesOpenCostInBytes,
          0,
          Long.MAX_VALUE,
          "cost of opening a file, in bytes, when small files are packed together");

  static final FastqOption<Long> MAX_RECORD_BYTES =
      FastqOption.size(
          "maxRecordBytes",
          ParseOptions.DEFAULT_MAX_RECORD_BYTES,
          4,
          ParseOptions.MAX_MAX_RECORD_BYTES,
          "longest record accepted");

  static final FastqOption<Long> WINDOW_BYTES =
      FastqOption.size(
          "windowBytes", MappingOptions.DEFAULT_WINDOW_BYTES, 1, 1L << 40, "one mapped window");

  static final FastqOption<ReadAdvice> READ_ADVICE =
      FastqOption.choice(
          "readAdvice", ReadAdvice.class, ReadAdvice.SEQUENTIAL, "madvise advice for windows");

  static final FastqOption<Long> PREFETCH_BYTES =
      FastqOption.size(
          "prefetchBytes",
          MappingOptions.DEFAULT_PREFETCH_BYTES,
          0,
          1L << 40,
          "MADV_WILLNEED distance ahead of the cursor; 0 disables");

  static final FastqOption<Boolean> DROP_BEHIND =
      FastqOption.bool("dropBehind", false, "evict consumed pages from the page cache");

  static final FastqOption<Boolean> POPULATE =
      FastqOption.bool("populate", false, "MAP_POPULATE each window");

  static final FastqOption<Boolean> LOCK = FastqOption.bool("lock", false, "mlock each window");

  static final FastqOption<Boolean> HUGE_PAGES =
      FastqOption.bool("hugePages", false, "MADV_HUGEPAGE each window");

  static final FastqOption<WindowRead> WINDOW_READ =
      FastqOption.choice(
          "windowRead",
          WindowRead.class,
          WindowRead.AUTO,
          "map windows, or copy them with pread where the page cache holds small pages");

  static final FastqOption<Boolean> RECURSIVE_FILE_LOOKUP =
      FastqOption.bool("recursiveFileLookup", false, "look for files in subdirectories too");

  static final FastqOption<String> PATH_GLOB_FILTER =
      FastqOption.text("pathGlobFilter", "glob that file names must match");

  static final FastqOption<String> BASE_PATH =
      FastqOption.text(
          "basePath", "directory where partition discovery starts (key=value folders below it)");

  static final FastqOption<String> MODIFIED_BEFORE =
      FastqOption.text(
          "modifiedBefore", "read only files modified before this timestamp (Spark's semantics)");

  static final FastqOption<String> MODIFIED_AFTER =
      FastqOption.text(
          "modifiedAfter", "read only files modified after this timestamp (Spark's semantics)");

  static final FastqOption<String> TIME_ZONE =
      FastqOption.of(
          "timeZone",
          SQLConf::sessionLocalTimeZone,
          (key, value) -> value,
          "time zone of modifiedBefore/modifiedAfter and of timestamp partition values");

  static final FastqOption<Boolean> ILLUMINA_HEADERS =
      FastqOption.bool(
          "illuminaHeaders",
          false,
          "split Casava 1.8+ headers into instrument, run, flowcell, lane, tile, x, y, read,"
              + " filtered, control and index columns (pairs: read1 to index2 for each mate)");

  static final FastqOption<Boolean> FILTER_FAILED_QC =
      FastqOption.bool(
          "filterFailedQc",
          false,
          "drop reads whose Casava 1.8+ header says filtered=Y (as Hadoop-BAM's filter-failed-qc);"
              + " pairs either of whose mates says Y");

  static final FastqOption<Boolean> IGNORE_CORRUPT_FILES =
      FastqOption.bool(
          "ignoreCorruptFiles",
          SQLConf::ignoreCorruptFiles,
          "skip the rest of a file that fails to read, keeping what was read");

  static final FastqOption<Boolean> IGNORE_MISSING_FILES =
      FastqOption.bool(
          "ignoreMissingFiles", SQLConf::ignoreMissingFiles, "skip files deleted after planning");

  static final FastqOption<Boolean> PAIRED =
      FastqOption.bool("paired", false, "read R1/R2 files as pairs of mates, one row per fragment");

  /**
   * Interleaved pairs: one file whose records alternate mate 1, mate 2. Reads: one row per pair.
   * Writes: a paired DataFrame is written so instead of into {@code _R1}/{@code _R2} files.
   */
  static final FastqOption<Boolean> INTERLEAVED =
      FastqOption.bool(
          "interleaved", false, "pairs as one file of alternating mates (R1, R2, R1, R2, ...)");

  static final FastqOption<String> PAIR_PATTERN =
      FastqOption.text(
          "pairPattern",
          "regex on file names whose group 'mate' (1 or 2) tells R1 from R2; the rest must agree");

  static final FastqOption<Boolean> CHECK_PAIR_NAMES =
      FastqOption.bool(
          "checkPairNames", true, "check that mates' names agree, but for a trailing /1 or /2");

  static final FastqOption<PairAlignment> PAIR_ALIGNMENT =
      FastqOption.choice(
          "pairAlignment",
          PairAlignment.class,
          PairAlignment.AUTO,
          "how R1's ranges find their mates in R2: by the mates' names where possible (auto) or"
              + " always by counting records (count)");

  static final FastqOption<ColumnarRead> COLUMNAR =
      FastqOption.choice(
          "columnar",
          ColumnarRead.class,
          ColumnarRead.AUTO,
          "hand single reads, and pairs read as their own strings only, to Spark as column"
              + " batches (auto, true) or as rows (false)");

  /** Writes only. */
  static final FastqOption<WriteCompression> COMPRESSION =
      FastqOption.choice(
          "compression",
          WriteCompression.class,
          WriteCompression.NONE,
          "how part files are compressed");

  /** Writes only: a {@code .gzi} index beside every BGZF part file. */
  static final FastqOption<Boolean> BGZF_INDEX =
      FastqOption.bool("bgzfIndex", true, "write a .gzi index beside every BGZF part file");

  /** Writes only: names of written pairs as {@code name/1} and {@code name/2}. */
  static final FastqOption<Boolean> MATE_SUFFIX =
      FastqOption.bool("mateSuffix", false, "write the names of mates as name/1 and name/2");

  private final List<String> paths;
  private final ParseOptions parse;
  private final MappingOptions mapping;
  private final String corruptColumn;
  private final long maxPartitionBytes;

  /** Whether the read or the session set maxPartitionBytes, rather than Spark's default. */
  private final boolean maxPartitionBytesGiven;

  private final long openCostInBytes;
  private final boolean recursiveFileLookup;
  private final String pathGlobFilter;
  private final boolean ignoreCorruptFiles;
  private final boolean ignoreMissingFiles;
  private final boolean paired;
  private final boolean interleaved;
  private final String pairPattern;
  private final boolean checkPairNames;
  private final PairAlignment pairAlignment;
  private final String basePath;
  private final boolean illuminaHeaders;
  private final boolean filterFailedQc;
  private final String modifiedBefore;
  private final String modifiedAfter;
  private final String timeZone;
  private final ColumnarRead columnar;

  private FastqOptions(CaseInsensitiveStringMap options, SQLConf conf) {
    warnAboutUnknownKeys(options);
    this.paths = paths(options, conf);
    ParseMode mode = MODE.get(options, conf);
    this.parse =
        ParseOptions.builder()
            .mode(mode)
            .validation(VALIDATION.get(options, conf))
            .qualityEncoding(QUALITY_ENCODING.get(options, conf))
            .multiLine(MULTI_LINE.get(options, conf))
            .maxRecordBytes(MAX_RECORD_BYTES.get(options, conf))
            .build();
    this.mapping =
        MappingOptions.builder()
            .windowBytes(WINDOW_BYTES.get(options, conf))
            .prefetchBytes(PREFETCH_BYTES.get(options, conf))
            .readAdvice(READ_ADVICE.get(options, conf))
            .dropBehind(DROP_BEHIND.get(options, conf))
            .populate(POPULATE.get(options, conf))
            .lock(LOCK.get(options, conf))
            .hugePages(HUGE_PAGES.get(options, conf))
            .windowRead(WINDOW_READ.get(options, conf))
            .build();
    String corrupt = CORRUPT_COLUMN.get(options, conf);
    if (corrupt.isBlank()) {
      throw invalid(CORRUPT_COLUMN, corrupt, "a non-empty column name");
    }
    this.corruptColumn = mode == ParseMode.PERMISSIVE ? corrupt : null;
    if (corruptColumn != null && isRecordColumn(corruptColumn)) {
      throw invalid(CORRUPT_COLUMN, corrupt, "a name other than name, comment, sequence, quality");
    }
    this.maxPartitionBytes = MAX_PARTITION_BYTES.get(options, conf);
    this.maxPartitionBytesGiven =
        options.containsKey(MAX_PARTITION_BYTES.key())
            || conf.contains(SQLConf.FILES_MAX_PARTITION_BYTES().key());
    this.openCostInBytes = OPEN_COST_IN_BYTES.get(options, conf);
    this.recursiveFileLookup = RECURSIVE_FILE_LOOKUP.get(options, conf);
    this.pathGlobFilter = PATH_GLOB_FILTER.get(options, conf);
    this.ignoreCorruptFiles = IGNORE_CORRUPT_FILES.get(options, conf);
    this.ignoreMissingFiles = IGNORE_MISSING_FILES.get(options, conf);
    this.interleaved = INTERLEAVED.get(options, conf);
    this.paired = PAIRED.get(options, conf) && !interleaved;
    this.pairPattern = PAIR_PATTERN.get(options, conf);
    if (pairPattern != null) {
      FilePairs.compile(pairPattern); // a bad pattern fails here, naming the option
    }
    this.checkPairNames = CHECK_PAIR_NAMES.get(options, conf);
    this.pairAlignment = PAIR_ALIGNMENT.get(options, conf);
    this.basePath = BASE_PATH.get(options, conf);
    this.modifiedBefore = MODIFIED_BEFORE.get(options, conf);
    this.modifiedAfter = MODIFIED_AFTER.get(options, conf);
    this.timeZone = TIME_ZONE.get(options, conf);
    ModifiedTimeFilter.of(this); // a bad timestamp fails at load(), with Spark's message
    this.illuminaHeaders = ILLUMINA_HEADERS.get(options, conf);
    this.filterFailedQc = FILTER_FAILED_QC.get(options, conf);
    this.columnar = COLUMNAR.get(options, conf);
  }

  /** Whether R1/R2 files are read as pairs (not with {@code interleaved}, which wins). */
  boolean paired() {
    return paired;
  }

  /** Whether each file holds interleaved pairs. */
  boolean interleaved() {
    return interleaved;
  }

  /** Whether rows are pairs: {@code paired} or {@code interleaved}. */
  boolean pairs() {
    return paired || interleaved;
  }

  /** The naming rule of R1 and R2 files, or null for the built-in one. */
  String pairPattern() {
    return pairPattern;
  }

  boolean checkPairNames() {
    return checkPairNames;
  }

  PairAlignment pairAlignment() {
    return pairAlignment;
  }

  /**
   * Whether a name is one of the record columns, in any case: Spark resolves column names
   * case-insensitively by default, so {@code NAME} beside {@code name} would make every reference
   * to either ambiguous.
   */
  private static boolean isRecordColumn(String column) {
    for (String field : FastqColumn.tableSchema(null).fieldNames()) {
      if (field.equalsIgnoreCase(column)) {
        return true;
      }
    }
    return false;
  }

  /** Resolves and checks options against the active session's configuration. */
  static FastqOptions resolve(Map<String, String> options, SQLConf conf) {
    return new FastqOptions(
        options instanceof CaseInsensitiveStringMap
            ? (CaseInsensitiveStringMap) options
            : new CaseInsensitiveStringMap(options),
        conf);
  }

  List<String> paths() {
    return paths;
  }

  ParseOptions parse() {
    return parse;
  }

  MappingOptions mapping() {
    return mapping;
  }

  /** The corrupt-record column's name in PERMISSIVE mode, otherwise null. */
  String corruptColumn() {
    return corruptColumn;
  }

  long maxPartitionBytes() {
    return maxPartitionBytes;
  }

  /** Whether maxPartitionBytes was set (as an option or in the session), not Spark's default. */
  boolean maxPartitionBytesGiven() {
    return maxPartitionBytesGiven;
  }

  long openCostInBytes() {
    return openCostInBytes;
  }

  boolean recursiveFileLookup() {
    return recursiveFileLookup;
  }

  /** Glob for file names, or null. */
  String pathGlobFilter() {
    return pathGlobFilter;
  }

  boolean ignoreCorruptFiles() {
    return ignoreCorruptFiles;
  }

  boolean ignoreMissingFiles() {
    return ignoreMissingFiles;
  }

  /** Whether Casava 1.8+ headers are split into columns. */
  boolean illuminaHeaders() {
    return illuminaHeaders;
  }

  /** Whether reads whose Casava header says filtered=Y are dropped. */
  boolean filterFailedQc() {
    return filterFailedQc;
  }

  /** Whether headers are parsed as Casava 1.8+ headers (for columns or for the QC filter). */
  boolean parsesIlluminaHeaders() {
    return illuminaHeaders || filterFailedQc;
  }

  /** Whether single reads may reach Spark as column batches. */
  ColumnarRead columnar() {
    return columnar;
  }

  /** Where partition discovery starts, as given, or null: the paths' directories. */
  String basePath() {
    return basePath;
  }

  /** The {@code modifiedBefore} timestamp as given, or null. */
  String modifiedBefore() {
    return modifiedBefore;
  }

  /** The {@code modifiedAfter} timestamp as given, or null. */
  String modifiedAfter() {
    return modifiedAfter;
  }

  /** The {@code timeZone} option, or the session's time zone. */
  String timeZone() {
    return timeZone;
  }

  private static List<String> paths(CaseInsensitiveStringMap options, SQLConf conf) {
    List<String> result = new ArrayList<>();
    String single = PATH.get(options, conf);
    if (single != null) {
      result.add(single);
    }
    result.addAll(PATHS.get(options, conf));
    if (result.isEmpty()) {
      throw new IllegalArgumentException(
          "fastq-mmap needs at least one path: use load(path), load(path1, path2, ...), or the"
              + " 'path' option (in SQL: OPTIONS (path '/data/reads.fastq')).");
    }
    return Collections.unmodifiableList(result);
  }

  private static List<String> parsePaths(String key, String value) {
    try {
      return Arrays.asList(new ObjectMapper().readValue(value, String[].class));
    } catch (JsonProcessingException e) {
      throw new InvalidOptionException(key, value, "a JSON array of paths");
    }
  }

  /**
   * Every option declared above. Asking this class, not {@link FastqOption}, makes sure its fields
   * (the declarations) have been initialized.
   */
  static Collection<FastqOption<?>> declared() {
    return FastqOption.declared();
  }

  /** A bad value of {@code option}; {@code expected} completes "expected ...". */
  static InvalidOptionException invalid(FastqOption<?> option, String value, String expected) {
    return new InvalidOptionException(option.key(), value, expected);
  }

  /**
   * Table properties a catalog hands the source as options when it loads a table (Spark's
   * TableCatalog reserved properties): not the user's options, so not worth a warning.
   */
  private static final Set<String> CATALOG_PROPERTIES =
      Set.of("comment", "location", "provider", "owner", "external", "is_managed_location");

  private static void warnAboutUnknownKeys(CaseInsensitiveStringMap options) {
    Set<String> unknown = new TreeSet<>();
    for (String key : options.keySet()) {
      // Keys with a dot (fs.s3a.endpoint, dfs.client...) are Hadoop settings for the file system.
      if (!FastqOption.isDeclared(key)
          && key.indexOf('.') < 0
          && !CATALOG_PROPERTIES.contains(key.toLowerCase(Locale.ROOT))) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "fastq-mmap ignores unknown option(s) "
              + unknown
              + "; known options are listed in the"
              + " README.");
    }
  }

  /**
   * Every resolved value, for scan equality: two loads with the same values (given or defaulted)
   * read the same way. The parse and mapping options are compared by their text, which lists every
   * field.
   */
  private List<Object> key() {
    return Arrays.asList(
        paths,
        parse.toString(),
        mapping.toString(),
        corruptColumn,
        maxPartitionBytes,
        maxPartitionBytesGiven,
        openCostInBytes,
        recursiveFileLookup,
        pathGlobFilter,
        ignoreCorruptFiles,
        ignoreMissingFiles,
        paired,
        interleaved,
        String.valueOf(pairPattern),
        checkPairNames,
        pairAlignment,
        basePath,
        modifiedBefore,
        modifiedAfter,
        timeZone,
        illuminaHeaders,
        filterFailedQc,
        columnar);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FastqOptions other && key().equals(other.key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  /** The options that change what or how a scan reads, for EXPLAIN. */
  String describe() {
    String pairs =
        interleaved
            ? ", interleaved pairs"
            : paired
                ? ", paired" + (pairPattern == null ? "" : " by pairPattern " + pairPattern)
                : "";
    if (pairs() && !checkPairNames) {
      pairs += " (names not checked)";
    }
    return parse + ", " + mapping + pairs;
  }
}
