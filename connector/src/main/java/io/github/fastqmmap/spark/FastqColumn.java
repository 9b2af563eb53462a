/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns a FASTQ scan can produce: the record's fields, metadata, and the corrupt text. */
enum FastqColumn {
  NAME("name", DataTypes.StringType, false),
  COMMENT("comment", DataTypes.StringType, true),
  SEQUENCE("sequence", DataTypes.StringType, false),
  QUALITY("quality", DataTypes.StringType, false),
  /** Paired reads (paired or interleaved): mate 1's comment, sequence, quality; then mate 2's. */
  COMMENT1("comment1", DataTypes.StringType, true),
  SEQUENCE1("sequence1", DataTypes.StringType, false),
  QUALITY1("quality1", DataTypes.StringType, false),
  COMMENT2("comment2", DataTypes.StringType, true),
  SEQUENCE2("sequence2", DataTypes.StringType, false),
  QUALITY2("quality2", DataTypes.StringType, false),
  /** Metadata: the file's URI. */
  FILE("_file", DataTypes.StringType, false),
  /** Metadata: byte offset of the record's '@'. */
  OFFSET("_offset", DataTypes.LongType, false),
  /**
   * Metadata: the record's ordinal in its file, 0-based (for pairs, the pair's); known from the
   * counting pass at planning, which runs only when this column or pairs are asked for.
   */
  ORDINAL("_ordinal", DataTypes.LongType, false),
  /**
   * Metadata: Spark's {@code _metadata} struct of the file and the range read, with the field names
   * and types of Spark's own file sources.
   */
  METADATA("_metadata", metadataType(), false),
  /** PERMISSIVE mode only; its name comes from {@code columnNameOfCorruptRecord}. */
  CORRUPT_RECORD("_corrupt_record", DataTypes.StringType, true),
  /**
   * A partition column (from key=value folders); its name and type are the table's, its value the
   * file's ({@link PartitionColumns}).
   */
  PARTITION("", DataTypes.NullType, true),
  /** With {@code illuminaHeaders}: the fields of a Casava 1.8+ header ({@link IlluminaHeader}). */
  INSTRUMENT("instrument", DataTypes.StringType, false),
  RUN("run", DataTypes.IntegerType, false),
  FLOWCELL("flowcell", DataTypes.StringType, false),
  LANE("lane", DataTypes.IntegerType, false),
  TILE("tile", DataTypes.IntegerType, false),
  X("x", DataTypes.IntegerType, false),
  Y("y", DataTypes.IntegerType, false),
  READ("read", DataTypes.IntegerType, false),
  FILTERED("filtered", DataTypes.BooleanType, false),
  CONTROL("control", DataTypes.IntegerType, false),
  INDEX("index", DataTypes.StringType, false),
  /**
   * With {@code illuminaHeaders} on pairs: the comment's fields of each mate (the name's fields
   * above are mate 1's, as {@code name} is).
   */
  READ1("read1", DataTypes.IntegerType, false),
  FILTERED1("filtered1", DataTypes.BooleanType, false),
  CONTROL1("control1", DataTypes.IntegerType, false),
  INDEX1("index1", DataTypes.StringType, false),
  READ2("read2", DataTypes.IntegerType, false),
  FILTERED2("filtered2", DataTypes.BooleanType, false),
  CONTROL2("control2", DataTypes.IntegerType, false),
  INDEX2("index2", DataTypes.StringType, false);

  /** The Illumina header columns, in table order. */
  static final FastqColumn[] ILLUMINA = {
    INSTRUMENT, RUN, FLOWCELL, LANE, TILE, X, Y, READ, FILTERED, CONTROL, INDEX
  };

  /** The Illumina header columns of pairs, in table order. */
  static final FastqColumn[] ILLUMINA_PAIRS = {
    INSTRUMENT,
    RUN,
    FLOWCELL,
    LANE,
    TILE,
    X,
    Y,
    READ1,
    FILTERED1,
    CONTROL1,
    INDEX1,
    READ2,
    FILTERED2,
    CONTROL2,
    INDEX2
  };

  private final String defaultName;
  private final DataType type;
  private final boolean nullable;

  FastqColumn(String defaultName, DataType type, boolean nullable) {
    this.defaultName = defaultName;
    this.type = type;
    this.nullable = nullable;
  }

  /**
   * A mate's Illumina comment column of pairs (READ1 to INDEX2) as the single-read column it holds
   * that mate's value of (READ, FILTERED, CONTROL, INDEX); any other column as it is.
   */
  FastqColumn ofMate() {
    return switch (this) {
      case READ1, READ2 -> READ;
      case FILTERED1, FILTERED2 -> FILTERED;
      case CONTROL1, CONTROL2 -> CONTROL;
      case INDEX1, INDEX2 -> INDEX;
      default -> this;
    };
  }

  /** Whether this is one of mate 2's Illumina comment columns of pairs. */
  boolean ofMate2() {
    return this == READ2 || this == FILTERED2 || this == CONTROL2 || this == INDEX2;
  }

  /** The fields of {@code _metadata}, in {@link #METADATA_FIELDS} order. */
  static final int FILE_PATH = 0;

  static final int FILE_NAME = 1;
  static final int FILE_SIZE = 2;
  static final int FILE_BLOCK_START = 3;
  static final int FILE_BLOCK_LENGTH = 4;
  static final int FILE_MODIFICATION_TIME = 5;

  private static StructType metadataType() {
    return new StructType()
        .add("file_path", DataTypes.StringType, false)
        .add("file_name", DataTypes.StringType, false)
        .add("file_size", DataTypes.LongType, false)
        .add("file_block_start", DataTypes.LongType, false)
        .add("file_block_length", DataTypes.LongType, false)
        .add("file_modification_time", DataTypes.TimestampType, false);
  }

  String defaultName() {
    return defaultName;
  }

  DataType type() {
    return type;
  }

  /** The table schema: the four record columns, plus the corrupt-record column if named. */
  static StructType tableSchema(String corruptColumnOrNull) {
    return tableSchema(corruptColumnOrNull, false);
  }

  /** The table schema of single reads, or of pairs: name, then each mate's three columns. */
  static StructType tableSchema(String corruptColumnOrNull, boolean paired) {
    // A malformed record in PERMISSIVE mode has null fields, so then every field is nullable.
    boolean permissive = corruptColumnOrNull != null;
    StructType schema = new StructType();
    FastqColumn[] record =
        paired
            ? new FastqColumn[] {NAME, COMMENT1, SEQUENCE1, QUALITY1, COMMENT2, SEQUENCE2, QUALITY2}
            : new FastqColumn[] {NAME, COMMENT, SEQUENCE, QUALITY};
    for (FastqColumn c : record) {
      schema = schema.add(c.defaultName, c.type, c.nullable || permissive);
    }
    if (corruptColumnOrNull != null) {
      schema = schema.add(corruptColumnOrNull, DataTypes.StringType, true);
    }
    return schema;
  }

  /**
   * The table schema the options ask for: single reads or pairs, the Illumina header columns with
   * {@code illuminaHeaders}, and the corrupt-record column in PERMISSIVE mode.
   */
  static StructType tableSchemaOf(FastqOptions options) {
    String corrupt = options.corruptColumn();
    StructType base = tableSchema(corrupt, options.pairs());
    if (!options.illuminaHeaders()) {
      return base;
    }
    StructField[] fields = base.fields();
    int records = corrupt == null ? fields.length : fields.length - 1;
    StructType out = new StructType();
    for (int i = 0; i < records; i++) {
      out = out.add(fields[i]);
    }
    for (FastqColumn c : options.pairs() ? ILLUMINA_PAIRS : ILLUMINA) {
      out = out.add(c.defaultName, c.type, c.nullable || corrupt != null);
    }
    return corrupt == null ? out : out.add(fields[records]);
  }

  /** Resolves a column of a pruned schema by name. */
  static FastqColumn forName(String name, String corruptColumnOrNull) {
    if (corruptColumnOrNull != null && corruptColumnOrNull.equals(name)) {
      return CORRUPT_RECORD;
    }
    for (FastqColumn c : values()) {
      if (c != CORRUPT_RECORD && c != PARTITION && c.defaultName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("fastq-mmap has no column named " + name);
  }
}
