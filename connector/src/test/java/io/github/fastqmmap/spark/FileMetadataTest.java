/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_block_length;
import static org.apache.spark.sql.functions.input_file_block_start;
import static org.apache.spark.sql.functions.input_file_name;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code _metadata} has Spark's fields and types and describes the file and the range each record
 * was read from; {@code input_file_name()}, {@code input_file_block_start()} and {@code
 * input_file_block_length()} agree with it; on plain, gzip and BGZF files, with several ranges per
 * splittable file, from the DataFrame API and SQL.
 */
class FileMetadataTest {
  /** One-page ranges: each splittable file becomes many ranges. */
  private static final Map<String, String> SMALL_SPLITS =
      Map.of("maxPartitionBytes", Integer.toString(MappedFile.pageSize()));

  /** Distinct modification times, with milliseconds, so a unit mistake shows. */
  private static final Map<String, Instant> MTIMES =
      Map.of(
          "plain.fastq", Instant.parse("2021-03-04T05:06:07.123Z"),
          "reads.fastq.gz", Instant.parse("2022-11-12T13:14:15.456Z"),
          "reads.fastq.bgz", Instant.parse("2019-01-02T03:04:05.789Z"));

  @TempDir static Path dir;
  private static List<Read> truth;

  @BeforeAll
  static void writeFiles() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(31).readLengths(50, 150).records(600).generate();
    truth = g.reads();
    byte[] data = g.bytes();
    Files.write(dir.resolve("plain.fastq"), data);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(data);
    }
    Files.write(dir.resolve("reads.fastq.gz"), gz.toByteArray());
    Files.write(dir.resolve("reads.fastq.bgz"), BgzfTestFiles.randomBlocks(data, 3000, 0, 7));
    for (Map.Entry<String, Instant> e : MTIMES.entrySet()) {
      Files.setLastModifiedTime(dir.resolve(e.getKey()), FileTime.from(e.getValue()));
    }
  }

  @Test
  void metadataColumnHasSparksFieldsAndTypes() {
    StructType type =
        (StructType)
            SparkReads.load(Map.of(), dir).select("_metadata").schema().fields()[0].dataType();
    assertThat(type.fieldNames())
        .containsExactly(
            "file_path",
            "file_name",
            "file_size",
            "file_block_start",
            "file_block_length",
            "file_modification_time");
    assertThat(type.fields()[0].dataType()).isEqualTo(DataTypes.StringType);
    assertThat(type.fields()[1].dataType()).isEqualTo(DataTypes.StringType);
    assertThat(type.fields()[2].dataType()).isEqualTo(DataTypes.LongType);
    assertThat(type.fields()[3].dataType()).isEqualTo(DataTypes.LongType);
    assertThat(type.fields()[4].dataType()).isEqualTo(DataTypes.LongType);
    assertThat(type.fields()[5].dataType()).isEqualTo(DataTypes.TimestampType);
    // Hidden like _file and _offset: not part of select("*").
    assertThat(SparkReads.load(Map.of(), dir).columns()).doesNotContain("_metadata");
  }

  @Test
  void metadataDescribesTheFileAndRangeOfEveryRecord() throws Exception {
    Dataset<Row> df = SparkReads.load(SMALL_SPLITS, dir);
    List<Row> rows =
        df.select(
                col("_file"),
                col("_offset"),
                col("_metadata.file_path"),
                col("_metadata.file_name"),
                col("_metadata.file_size"),
                col("_metadata.file_block_start"),
                col("_metadata.file_block_length"),
                col("_metadata.file_modification_time"),
                input_file_name(),
                input_file_block_start(),
                input_file_block_length(),
                col("name"))
            .collectAsList();

    assertThat(rows).hasSize(3 * truth.size());
    Map<String, TreeMap<Long, Long>> rangesByFile = new TreeMap<>();
    Map<String, Integer> recordsByFile = new TreeMap<>();
    for (Row r : rows) {
      String name = r.getString(3);
      Path file = dir.resolve(name);
      assertThat(r.getString(0)).isEqualTo(SparkReads.fileUri(file));
      // Hadoop's form of the same path, as Spark's own sources give it (compared below).
      assertThat(r.getString(2)).isEqualTo("file:" + file.toAbsolutePath());
      assertThat(r.getString(8)).isEqualTo(r.getString(2));
      assertThat(r.getLong(4)).isEqualTo(Files.size(file));
      long start = r.getLong(5);
      long length = r.getLong(6);
      assertThat(r.getLong(9)).isEqualTo(start);
      assertThat(r.getLong(10)).isEqualTo(length);
      assertThat(r.getTimestamp(7).toInstant()).isEqualTo(MTIMES.get(name));
      // The range is the one that read the record: its '@' (for BGZF, its block) lies in it.
      long offset = r.getLong(1);
      if (name.endsWith(".fastq")) {
        assertThat(offset).isGreaterThanOrEqualTo(start).isLessThan(start + length);
      } else if (name.endsWith(".bgz")) {
        assertThat(offset >>> 16).isGreaterThanOrEqualTo(start).isLessThan(start + length);
      }
      rangesByFile.computeIfAbsent(name, k -> new TreeMap<>()).put(start, length);
      recordsByFile.merge(name, 1, Integer::sum);
    }
    assertThat(recordsByFile.values()).containsOnly(truth.size());
    // Splittable files were read in several ranges, which tile the file; gzip in one.
    for (Map.Entry<String, TreeMap<Long, Long>> e : rangesByFile.entrySet()) {
      long size = Files.size(dir.resolve(e.getKey()));
      TreeMap<Long, Long> ranges = e.getValue();
      if (e.getKey().endsWith(".gz")) {
        assertThat(ranges).containsExactly(Map.entry(0L, size));
        continue;
      }
      assertThat(ranges.size()).as(e.getKey()).isGreaterThan(3);
      assertThat(ranges.firstKey()).isZero();
      long end = 0;
      for (Map.Entry<Long, Long> range : ranges.entrySet()) {
        assertThat(range.getKey()).as(e.getKey()).isGreaterThanOrEqualTo(end);
        end = range.getKey() + range.getValue();
      }
      assertThat(end).as(e.getKey()).isLessThanOrEqualTo(size);
    }
  }

  @Test
  void fileFieldsEqualSparksOwnTextSource() {
    Path file = dir.resolve("plain.fastq");
    String[] fields = {
      "_metadata.file_path",
      "_metadata.file_name",
      "_metadata.file_size",
      "_metadata.file_modification_time"
    };
    Row ours = SparkReads.load(Map.of(), file).select(fields[0], fields).first();
    Row spark = SparkReads.spark().read().text(file.toString()).select(fields[0], fields).first();
    assertThat(ours).isEqualTo(spark);
  }

  @Test
  void metadataFromSqlAndWithoutOtherColumns() {
    Path file = dir.resolve("reads.fastq.bgz");
    List<String> names = new ArrayList<>();
    for (Row r :
        SparkReads.load(SMALL_SPLITS, file).select("_metadata.file_name").collectAsList()) {
      names.add(r.getString(0));
    }
    assertThat(names).hasSize(truth.size()).containsOnly("reads.fastq.bgz");

    // A SQL view shows the table's columns only, so _metadata is selected before making it.
    // (Spark 4.2 refuses a direct query on files, `fastq-mmap`.`/path`, for a DSv2 source.)
    SparkReads.load(SMALL_SPLITS, file)
        .select(col("*"), col("_metadata"))
        .createOrReplaceTempView("metadata_reads");
    List<Row> sql =
        SparkReads.spark()
            .sql(
                "SELECT _metadata.file_path, _metadata.file_size, input_file_name(), count(*),"
                    + " count(DISTINCT _metadata.file_block_start)"
                    + " FROM metadata_reads GROUP BY 1, 2, 3")
            .collectAsList();
    assertThat(sql).hasSize(1);
    assertThat(sql.get(0).getString(0))
        .isEqualTo("file:" + file.toAbsolutePath())
        .isEqualTo(sql.get(0).getString(2));
    assertThat(sql.get(0).getLong(4)).isGreaterThan(3);
    assertThat(sql.get(0).getLong(3)).isEqualTo(truth.size());
  }

  @Test
  void oddFileNamesMatchSparksTextSource() throws Exception {
    Path odd = Files.createDirectories(dir.resolve("odd dir")).resolve("r %41 \u00e9+x.fastq");
    Files.copy(dir.resolve("plain.fastq"), odd);
    String[] fields = {"_metadata.file_path", "_metadata.file_name", "_metadata.file_size"};
    Dataset<Row> ours = SparkReads.load(Map.of(), odd);
    Row row =
        ours.select(col(fields[0]), col(fields[1]), col(fields[2]), input_file_name()).first();
    Row spark =
        SparkReads.spark()
            .read()
            .text(odd.toString())
            .select(col(fields[0]), col(fields[1]), col(fields[2]))
            .first();
    assertThat(row.getString(0)).isEqualTo(spark.getString(0)).isEqualTo(row.getString(3));
    assertThat(row.getString(1))
        .isEqualTo(spark.getString(1))
        .isEqualTo("r%20%2541%20\u00e9+x.fastq");
    assertThat(row.getLong(2)).isEqualTo(spark.getLong(2));
  }

  @Test
  void malformedRecordsInPermissiveModeCarryTheirFilesMetadata() throws Exception {
    Path bad =
        SparkReads.write(
            Files.createDirectories(dir.resolve("bad")).resolve("bad.fastq"),
            "@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nII\n@r3\nAC\n+\nII\n");
    List<Row> rows =
        SparkReads.load(Map.of("mode", "PERMISSIVE"), bad)
            .select(
                col("_corrupt_record").isNotNull(),
                col("_metadata.file_name"),
                col("_metadata.file_size"),
                col("_metadata.file_block_start"),
                col("_metadata.file_block_length"))
            .collectAsList();
    assertThat(rows).hasSize(3);
    assertThat(rows).filteredOn(r -> r.getBoolean(0)).hasSize(1);
    long size = Files.size(bad);
    for (Row r : rows) {
      assertThat(r.getString(1)).isEqualTo("bad.fastq");
      assertThat(r.getLong(2)).isEqualTo(size);
      assertThat(r.getLong(3)).isZero();
      assertThat(r.getLong(4)).isEqualTo(size);
    }
  }
}
