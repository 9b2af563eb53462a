/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.ReferenceFastqParser;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Direct file queries ({@code SELECT * FROM `fastq-mmap`.`/path`}), which Spark reads through its
 * V1 file scan with its own splits (byte ranges of {@code spark.sql.files.maxPartitionBytes}, not
 * page-aligned): the rows are the reference parser's at every split size, on plain, gzip and BGZF
 * files, for a file, a directory and a glob; errors name the file and offset as the DSv2 reader's.
 */
class DirectFileQueryTest {
  @TempDir static Path dir;
  private static List<Read> truth;

  @BeforeAll
  static void writeFiles() throws Exception {
    FastqFileGenerator.Generated g =
        FastqFileGenerator.builder(15).readLengths(30, 160).records(700).generate();
    byte[] data = g.bytes();
    truth = ReferenceFastqParser.of(ParseOptions.defaults()).parse(data).reads();
    assertThat(truth).hasSize(700);
    Files.createDirectories(dir.resolve("reads"));
    Files.write(dir.resolve("reads/plain.fastq"), data);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(data);
    }
    Files.write(dir.resolve("reads/gzip.fastq.gz"), gz.toByteArray());
    Files.write(dir.resolve("reads/bgzf.fastq.bgz"), BgzfTestFiles.randomBlocks(data, 3000, 0, 7));
  }

  private static SparkSession spark() {
    return SparkReads.spark();
  }

  @AfterEach
  void resetConf() {
    spark().conf().unset("spark.sql.files.maxPartitionBytes");
    spark().conf().unset("spark.sql.files.openCostInBytes");
  }

  private static String query(Path path) {
    return "SELECT name, comment, sequence, quality FROM `fastq-mmap`.`"
        + path.toAbsolutePath()
        + "`";
  }

  /** Records without offsets (the V1 scan has no _offset), in a stable order. */
  private static List<Read> sorted(List<Read> reads) {
    List<Read> out = new ArrayList<>();
    for (Read r : reads) {
      out.add(new Read(0, r.name(), r.comment(), r.sequence(), r.quality()));
    }
    out.sort(Comparator.comparing(Read::toString));
    return out;
  }

  private static List<Read> rows(Dataset<Row> df) {
    List<Read> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(
          new Read(
              0,
              r.getString(0),
              r.isNullAt(1) ? null : r.getString(1),
              r.getString(2),
              r.getString(3)));
    }
    return out;
  }

  @ParameterizedTest(name = "maxPartitionBytes={0}")
  @ValueSource(ints = {997, 4093, 65536, 1 << 30})
  void everyFileAtEverySplitSizeGivesTheReferenceRecords(int splitBytes) throws Exception {
    spark().conf().set("spark.sql.files.maxPartitionBytes", Integer.toString(splitBytes));
    spark().conf().set("spark.sql.files.openCostInBytes", "0");
    for (String name : List.of("plain.fastq", "gzip.fastq.gz", "bgzf.fastq.bgz")) {
      Path file = dir.resolve("reads").resolve(name);
      Dataset<Row> df = spark().sql(query(file));
      SparkReads.assertSameReads(sorted(rows(df)), sorted(truth), name + " at " + splitBytes);
      // Spark's planner cuts splittable files (at most maxPartitionBytes, fewer bytes when the
      // cores would be idle), gzip not.
      int splits = df.rdd().getNumPartitions();
      if (name.endsWith(".gz")) {
        assertThat(splits).as(name).isEqualTo(1);
      } else {
        assertThat(splits)
            .as(name)
            .isGreaterThanOrEqualTo((int) ((Files.size(file) + splitBytes - 1) / splitBytes));
        if (splitBytes < 5000) {
          assertThat(splits).as(name).isGreaterThan(3);
        }
      }
    }
  }

  @Test
  void directoryAndGlobReadEveryFile() {
    spark().conf().set("spark.sql.files.maxPartitionBytes", "5000");
    List<Read> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.addAll(truth);
    }
    SparkReads.assertSameReads(
        sorted(rows(spark().sql(query(dir.resolve("reads"))))), sorted(three), "directory");
    SparkReads.assertSameReads(
        sorted(rows(spark().sql(query(dir.resolve("reads/*.{fastq,bgz}"))))),
        sorted(three.subList(0, 2 * truth.size())),
        "glob");
  }

  @Test
  void sameRowsAsTheDataSourceAndSparksFileMetadata() {
    Path file = dir.resolve("reads/bgzf.fastq.bgz");
    spark().conf().set("spark.sql.files.maxPartitionBytes", "3000");
    List<Read> dsv2 = SparkReads.reads(SparkReads.load(Map.of(), file));
    SparkReads.assertSameReads(sorted(rows(spark().sql(query(file)))), sorted(dsv2), "vs DSv2");
    List<Row> meta =
        spark()
            .sql(
                "SELECT _metadata.file_name, _metadata.file_size, input_file_name(),"
                    + " count(*), count(DISTINCT _metadata.file_block_start) FROM `fastq-mmap`.`"
                    + dir.resolve("reads").toAbsolutePath()
                    + "` GROUP BY 1, 2, 3 ORDER BY 1")
            .collectAsList();
    assertThat(meta).hasSize(3);
    for (Row r : meta) {
      assertThat(r.getLong(3)).as(r.getString(0)).isEqualTo(truth.size());
      assertThat(r.getString(2)).endsWith("/reads/" + r.getString(0));
      // The splittable files were read in several splits, gzip in one.
      if (r.getString(0).endsWith(".gz")) {
        assertThat(r.getLong(4)).as(r.getString(0)).isEqualTo(1);
      } else {
        // Not every split reads a record: a BGZF split may hold no block start.
        assertThat(r.getLong(4)).as(r.getString(0)).isGreaterThan(3);
      }
    }
    String count = "SELECT count(*) FROM `fastq-mmap`.`" + file.toAbsolutePath() + "`";
    assertThat(spark().sql(count).first().getLong(0)).isEqualTo(truth.size());
  }

  @Test
  void malformedRecordNamesFileAndOffsetAsTheDataSourceDoes() throws Exception {
    String good = "@r1\nACGT\n+\nIIII\n";
    Path file =
        SparkReads.write(dir.resolve("bad/wrapped.fastq"), good + "@w1\nACGT\nAC\n+\nIIII\nII\n");
    assertThatThrownBy(() -> spark().sql(query(file)).collectAsList())
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("Malformed FASTQ record in " + SparkReads.fileUri(file))
                    .contains("at byte offset " + good.length() + ":")
                    .contains("set multiLine=true"));
  }
}
