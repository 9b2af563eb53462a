/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExplainMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways to name what to read: one file, several, a directory, a glob, subdirectories, a name
 * filter, and the SQL and DataFrame entry points. Hidden and underscore files hold garbage, so
 * reading one by mistake fails the test.
 */
class LoadPathsTest {
  @TempDir static Path dir;
  private static Path a;
  private static Path b;
  private static Path c;
  private static Path d;

  @BeforeAll
  static void writeFiles() throws Exception {
    a = SparkReads.write(dir.resolve("a.fastq"), "@a1\nACGT\n+\nIIII\n@a2\nAC\n+\nII\n");
    b = SparkReads.write(dir.resolve("b.fq"), "@b1\nA\n+\nI\n@b2\nC\n+\nI\n@b3\nG\n+\nI\n");
    c = SparkReads.write(dir.resolve("sub/c.fastq"), "@c1\nTTTT\n+\nIIII\n");
    d = SparkReads.write(dir.resolve("sub/deeper/d.fq"), "@d1\nGG\n+\nII\n");
    String garbage = "this is not FASTQ\n";
    SparkReads.write(dir.resolve("_SUCCESS"), garbage);
    SparkReads.write(dir.resolve("_temporary.fastq"), garbage);
    SparkReads.write(dir.resolve(".a.fastq.crc"), garbage);
    SparkReads.write(dir.resolve("sub/.hidden.fastq"), garbage);
    SparkReads.write(dir.resolve("_tmp/x.fastq"), garbage);
    SparkReads.write(dir.resolve(".staging/y.fastq"), garbage);
  }

  private static List<String> names(Dataset<Row> df) {
    return df.select("name").collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void oneFile() {
    Dataset<Row> df = SparkReads.load(Map.of(), a);
    assertThat(names(df)).containsExactly("a1", "a2");
    assertThat(df.select("_file").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(SparkReads.fileUri(a));
  }

  @Test
  void severalFiles() {
    Dataset<Row> df = SparkReads.load(Map.of(), a, b, c);
    assertThat(names(df)).containsExactly("a1", "a2", "b1", "b2", "b3", "c1");
    assertThat(df.select("_file").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder(
            SparkReads.fileUri(a), SparkReads.fileUri(b), SparkReads.fileUri(c));
    // Naming a file twice reads it once.
    assertThat(SparkReads.load(Map.of(), a, a).count()).isEqualTo(2);
    // A file:// URI works like a path.
    assertThat(SparkReads.reader(Map.of()).load(a.toUri().toString()).count()).isEqualTo(2);
  }

  @Test
  void fileNamesThatNeedEscaping() throws Exception {
    Path odd = dir.resolve("odd names");
    List<Path> files =
        List.of(
            odd.resolve("with space.fastq"),
            odd.resolve("hash#1.fastq"),
            odd.resolve("percent%41.fastq"),
            odd.resolve("caf\u00e9.fastq"));
    for (Path f : files) {
      SparkReads.write(f, "@r\nACGT\n+\nIIII\n");
    }
    Dataset<Row> df = SparkReads.load(Map.of(), odd);
    List<Row> rows = df.select("_file", "sequence").collectAsList();
    assertThat(rows).hasSize(files.size());
    // _file is the file's URI, as Hadoop writes it (non-ASCII characters unescaped).
    assertThat(rows)
        .extracting(r -> Path.of(URI.create(URI.create(r.getString(0)).toASCIIString())))
        .containsExactlyInAnyOrderElementsOf(files);
    assertThat(SparkReads.load(Map.of(), files.toArray(new Path[0])).count()).isEqualTo(4);
  }

  @Test
  void aFileNamedTwiceThroughItsDirectoryIsReadOnce() {
    assertThat(names(SparkReads.load(Map.of(), dir, a)))
        .containsExactly("a1", "a2", "b1", "b2", "b3");
  }

  @Test
  void directorySkipsSubdirectoriesAndHiddenFiles() {
    assertThat(names(SparkReads.load(Map.of(), dir))).containsExactly("a1", "a2", "b1", "b2", "b3");
  }

  @Test
  void recursiveFileLookupDescendsButStillSkipsHiddenFiles() {
    assertThat(names(SparkReads.load(Map.of("recursiveFileLookup", "true"), dir)))
        .containsExactly("a1", "a2", "b1", "b2", "b3", "c1", "d1");
  }

  @Test
  void glob() {
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/*.fastq")))
        .containsExactly("a1", "a2");
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/{a.fastq,b.fq}")))
        .containsExactly("a1", "a2", "b1", "b2", "b3");
    // A glob skips hidden and underscore names, as Spark's file sources do.
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/*")))
        .containsExactly("a1", "a2", "b1", "b2", "b3", "c1");
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/[_a]*.fastq")))
        .containsExactly("a1", "a2");
    // A glob matching a directory lists it.
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/s?b"))).containsExactly("c1");
  }

  @Test
  void pathGlobFilterAppliesToFileNames() {
    assertThat(names(SparkReads.load(Map.of("pathGlobFilter", "*.fq"), dir)))
        .containsExactly("b1", "b2", "b3");
    assertThat(
            names(
                SparkReads.load(
                    Map.of("pathGlobFilter", "*.fq", "recursiveFileLookup", "true"), dir)))
        .containsExactly("b1", "b2", "b3", "d1");
    assertThat(names(SparkReads.load(Map.of("pathGlobFilter", "[ac].fastq"), dir, c)))
        .containsExactly("a1", "a2", "c1");
  }

  @Test
  void sqlTemporaryView() {
    SparkSession spark = SparkReads.spark();
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW load_paths_v USING `fastq-mmap` OPTIONS (path '"
            + dir
            + "', pathGlobFilter '*.fq', recursiveFileLookup 'true')");
    Row row =
        spark
            .sql("SELECT count(*), sum(octet_length(sequence)) FROM load_paths_v")
            .collectAsList()
            .get(0);
    assertThat(row.getLong(0)).isEqualTo(4);
    assertThat(row.getLong(1)).isEqualTo(5);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW load_paths_a USING `fastq-mmap` OPTIONS (path '"
            + a
            + "')");
    assertThat(spark.sql("SELECT name, sequence FROM load_paths_a ORDER BY name").collectAsList())
        .extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsExactly("a1 ACGT", "a2 AC");

    String explain =
        spark.sql("EXPLAIN SELECT name FROM load_paths_a").collectAsList().get(0).getString(0);
    assertThat(explain)
        .contains("BatchScan")
        .contains("FastqScan fastq-mmap 1 file, 28 bytes")
        .contains("columns=[name]")
        .contains("mode=FAILFAST");
  }

  @Test
  void dataFrameReaderWithOptions() {
    Dataset<Row> df =
        SparkReads.spark()
            .read()
            .format("fastq-mmap")
            .option("mode", "PERMISSIVE")
            .option("multiLine", "true")
            .load(a.toString());
    assertThat(df.columns())
        .containsExactly("name", "comment", "sequence", "quality", "_corrupt_record");
    assertThat(names(df)).containsExactly("a1", "a2");
    // The full class name works as a format too.
    assertThat(
            SparkReads.spark()
                .read()
                .format(FastqDataSource.class.getName())
                .load(b.toString())
                .count())
        .isEqualTo(3);
  }

  @Test
  void explainShowsTheScan() {
    Dataset<Row> df =
        SparkReads.load(Map.of("maxPartitionBytes", "4096"), a, b).select("sequence", "_offset");
    df.collectAsList();
    String plan = df.queryExecution().explainString(ExplainMode.fromString("simple"));
    assertThat(plan)
        .contains("FastqScan fastq-mmap 2 files, 58 bytes")
        .contains("2 ranges in")
        .contains("columns=[sequence, _offset]")
        .contains("paths=[" + a + ", " + b + "]");
  }
}
