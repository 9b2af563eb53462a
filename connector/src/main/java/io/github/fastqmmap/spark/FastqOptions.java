package io.github.fastqmmap.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.mmap.ReadAdvice;
import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.parse.Validation;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The read options, resolved once on the driver: option, then session conf, then default. Every
 * value is checked here, so a bad one fails before any task starts, with a message that names the
 * option, the value and what is allowed. Executors receive this object, never the raw map.
 */
final class FastqOptions implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(FastqOptions.class.getName());

  static final String PATH = "path";
  static final String PATHS = "paths";

  /** FAILFAST, PERMISSIVE or DROPMALFORMED. */
  static final String MODE = "mode";

  /** PERMISSIVE mode's column for the raw text of malformed records. */
  static final String CORRUPT_COLUMN = "columnNameOfCorruptRecord";

  /** strict or basic. */
  static final String VALIDATION = "validation";

  /** phred33, phred64 or solexa. */
  static final String QUALITY_ENCODING = "qualityEncoding";

  /** Accept sequence and quality wrapped over several lines. */
  static final String MULTI_LINE = "multiLine";

  /** Upper bound of one byte range (rounded down to a page multiple). */
  static final String MAX_PARTITION_BYTES = "maxPartitionBytes";

  /** Cost of opening a file, in bytes, when small files are packed together. */
  static final String OPEN_COST_IN_BYTES = "openCostInBytes";

  /** Longest record accepted. */
  static final String MAX_RECORD_BYTES = "maxRecordBytes";

  /** Size of one mapped window. */
  static final String WINDOW_BYTES = "windowBytes";

  /** madvise advice for mapped windows. */
  static final String READ_ADVICE = "readAdvice";

  /** MADV_WILLNEED distance ahead of the cursor; 0 disables. */
  static final String PREFETCH_BYTES = "prefetchBytes";

  /** Evict consumed pages from the page cache. */
  static final String DROP_BEHIND = "dropBehind";

  /** MAP_POPULATE each window. */
  static final String POPULATE = "populate";

  /** mlock each window. */
  static final String LOCK = "lock";

  /** MADV_HUGEPAGE each window. */
  static final String HUGE_PAGES = "hugePages";

  /** Look for files in subdirectories too. */
  static final String RECURSIVE_FILE_LOOKUP = "recursiveFileLookup";

  /** Glob that file names must match. */
  static final String PATH_GLOB_FILTER = "pathGlobFilter";

  /** Skip the rest of a file that fails to read, keeping what was read. */
  static final String IGNORE_CORRUPT_FILES = "ignoreCorruptFiles";

  /** Skip files deleted after planning. */
  static final String IGNORE_MISSING_FILES = "ignoreMissingFiles";

  /** Writes: none, gzip or bgzf. */
  static final String COMPRESSION = "compression";

  private static final Set<String> KNOWN_KEYS =
      lowerCase(
          PATH,
          PATHS,
          MODE,
          CORRUPT_COLUMN,
          VALIDATION,
          QUALITY_ENCODING,
          MULTI_LINE,
          MAX_PARTITION_BYTES,
          OPEN_COST_IN_BYTES,
          MAX_RECORD_BYTES,
          WINDOW_BYTES,
          READ_ADVICE,
          PREFETCH_BYTES,
          DROP_BEHIND,
          POPULATE,
          LOCK,
          HUGE_PAGES,
          RECURSIVE_FILE_LOOKUP,
          PATH_GLOB_FILTER,
          IGNORE_CORRUPT_FILES,
          IGNORE_MISSING_FILES,
          COMPRESSION);

  private final List<String> paths;
  private final ParseOptions parse;
  private final MappingOptions mapping;
  private final String corruptColumn;
  private final long maxPartitionBytes;
  private final long openCostInBytes;
  private final boolean recursiveFileLookup;
  private final String pathGlobFilter;
  private final boolean ignoreCorruptFiles;
  private final boolean ignoreMissingFiles;

  private FastqOptions(CaseInsensitiveStringMap options, SQLConf conf) {
    warnAboutUnknownKeys(options);
    this.paths = paths(options);
    ParseMode mode =
        get(
            options,
            MODE,
            "FAILFAST",
            "FAILFAST, PERMISSIVE, DROPMALFORMED",
            ParseMode::fromOption);
    this.parse =
        ParseOptions.builder()
            .mode(mode)
            .validation(get(options, VALIDATION, "strict", "strict, basic", Validation::fromOption))
            .qualityEncoding(
                get(
                    options,
                    QUALITY_ENCODING,
                    "phred33",
                    "phred33, phred64, solexa",
                    QualityEncoding::fromOption))
            .multiLine(bool(options, MULTI_LINE, false))
            .maxRecordBytes(
                size(
                    options,
                    MAX_RECORD_BYTES,
                    ParseOptions.DEFAULT_MAX_RECORD_BYTES,
                    4,
                    ParseOptions.MAX_MAX_RECORD_BYTES))
            .build();
    this.mapping =
        MappingOptions.builder()
            .windowBytes(
                size(options, WINDOW_BYTES, MappingOptions.DEFAULT_WINDOW_BYTES, 1, 1L << 40))
            .prefetchBytes(
                size(options, PREFETCH_BYTES, MappingOptions.DEFAULT_PREFETCH_BYTES, 0, 1L << 40))
            .readAdvice(
                get(
                    options,
                    READ_ADVICE,
                    "sequential",
                    "normal, sequential, random, willneed",
                    ReadAdvice::fromOption))
            .dropBehind(bool(options, DROP_BEHIND, false))
            .populate(bool(options, POPULATE, false))
            .lock(bool(options, LOCK, false))
            .hugePages(bool(options, HUGE_PAGES, false))
            .build();
    String corrupt = options.getOrDefault(CORRUPT_COLUMN, conf.columnNameOfCorruptRecord());
    if (corrupt.isBlank()) {
      throw invalid(CORRUPT_COLUMN, corrupt, "a non-empty column name");
    }
    this.corruptColumn = mode == ParseMode.PERMISSIVE ? corrupt : null;
    if (corruptColumn != null && isRecordColumn(corruptColumn)) {
      throw invalid(CORRUPT_COLUMN, corrupt, "a name other than name, comment, sequence, quality");
    }
    this.maxPartitionBytes =
        size(options, MAX_PARTITION_BYTES, conf.filesMaxPartitionBytes(), 1, Long.MAX_VALUE);
    this.openCostInBytes =
        size(options, OPEN_COST_IN_BYTES, conf.filesOpenCostInBytes(), 0, Long.MAX_VALUE);
    this.recursiveFileLookup = bool(options, RECURSIVE_FILE_LOOKUP, false);
    this.pathGlobFilter = options.get(PATH_GLOB_FILTER);
    this.ignoreCorruptFiles = bool(options, IGNORE_CORRUPT_FILES, conf.ignoreCorruptFiles());
    this.ignoreMissingFiles = bool(options, IGNORE_MISSING_FILES, conf.ignoreMissingFiles());
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

  private static List<String> paths(CaseInsensitiveStringMap options) {
    List<String> result = new ArrayList<>();
    String single = options.get(PATH);
    if (single != null) {
      result.add(single);
    }
    String many = options.get(PATHS);
    if (many != null) {
      try {
        result.addAll(Arrays.asList(new ObjectMapper().readValue(many, String[].class)));
      } catch (JsonProcessingException e) {
        throw invalid(PATHS, many, "a JSON array of paths");
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException(
          "fastq-mmap needs at least one path: use load(path), load(path1, path2, ...), or the"
              + " 'path' option (in SQL: OPTIONS (path '/data/reads.fastq')).");
    }
    return Collections.unmodifiableList(result);
  }

  private static <T> T get(
      CaseInsensitiveStringMap options,
      String key,
      String defaultValue,
      String allowed,
      Function<String, T> parser) {
    String value = options.getOrDefault(key, defaultValue);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw invalid(key, value, "one of " + allowed);
    }
  }

  private static boolean bool(CaseInsensitiveStringMap options, String key, boolean defaultValue) {
    String value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(key, value, "true or false");
    }
  }

  private static long size(
      CaseInsensitiveStringMap options, String key, long defaultValue, long min, long max) {
    String value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    long bytes;
    try {
      bytes = JavaUtils.byteStringAsBytes(value.trim());
    } catch (RuntimeException e) {
      throw invalid(key, value, "a size in bytes, such as 1048576, 512k, 64m or 1g");
    }
    if (bytes < min || bytes > max) {
      throw invalid(key, value, "a size from " + min + " to " + max + " bytes");
    }
    return bytes;
  }

  static IllegalArgumentException invalid(String key, String value, String allowed) {
    return new IllegalArgumentException(
        "Invalid value '"
            + value
            + "' for fastq-mmap option '"
            + key
            + "': expected "
            + allowed
            + ".");
  }

  private static void warnAboutUnknownKeys(CaseInsensitiveStringMap options) {
    Set<String> unknown = new TreeSet<>();
    for (String key : options.keySet()) {
      // Keys with a dot (fs.s3a.endpoint, dfs.client...) are Hadoop settings for the file system.
      if (!KNOWN_KEYS.contains(key.toLowerCase(Locale.ROOT)) && key.indexOf('.') < 0) {
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

  private static Set<String> lowerCase(String... keys) {
    Set<String> set = new TreeSet<>();
    for (String k : keys) {
      set.add(k.toLowerCase(Locale.ROOT));
    }
    return set;
  }

  /** The options that change what or how a scan reads, for EXPLAIN. */
  String describe() {
    return parse + ", " + mapping;
  }
}
