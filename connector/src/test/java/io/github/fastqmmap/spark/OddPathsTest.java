/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OpenFiles;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths as real file systems have them: directories named like files, symlinks (to files, to
 * directories, dangling, in a loop), FIFOs, names with spaces and non-ASCII characters, files that
 * cannot be opened, and {@code ignoreCorruptFiles}/{@code ignoreMissingFiles} behaving as in
 * Spark's file sources: a file that cannot be read (or changed since planning, or turned into a
 * directory) is a corrupt file, skipped with {@code ignoreCorruptFiles}; a file that is gone is a
 * missing file, skipped only with {@code ignoreMissingFiles}.
 */
class OddPathsTest {
  private static final String GOOD = "@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n##\n";

  @TempDir Path dir;

  private static List<String> names(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.select("_file", "name").collectAsList()) {
      String file = r.getString(0);
      out.add(file.substring(file.lastIndexOf('/') + 1) + ":" + r.getString(1));
    }
    out.sort(null);
    return out;
  }

  @Test
  void directoryNamedLikeAFileIsReadAsADirectory() throws Exception {
    Path file = SparkReads.write(dir.resolve("a.fastq"), GOOD);
    Path likeFile = Files.createDirectories(dir.resolve("b.fastq"));
    SparkReads.write(likeFile.resolve("part-0.fastq"), GOOD);
    SparkReads.write(likeFile.resolve("_SUCCESS"), "");
    // Named directly, it is a directory: its files are read.
    assertThat(names(SparkReads.load(Map.of(), likeFile)))
        .containsExactly("part-0.fastq:r1", "part-0.fastq:r2");
    // Inside a loaded directory it is a subdirectory: read only with recursiveFileLookup.
    assertThat(names(SparkReads.load(Map.of(), dir))).containsExactly("a.fastq:r1", "a.fastq:r2");
    assertThat(names(SparkReads.load(Map.of("recursiveFileLookup", "true"), dir)))
        .containsExactly("a.fastq:r1", "a.fastq:r2", "part-0.fastq:r1", "part-0.fastq:r2");
    // A glob that matches it lists it, as Spark's file sources do.
    assertThat(names(SparkReads.reader(Map.of()).load(dir + "/*.fastq")))
        .containsExactly("a.fastq:r1", "a.fastq:r2", "part-0.fastq:r1", "part-0.fastq:r2");
    assertThat(Files.isRegularFile(file)).isTrue();
    assertSameFilesAsSparkTextSource(Map.of(), likeFile);
    assertSameFilesAsSparkTextSource(Map.of(), dir);
    assertSameFilesAsSparkTextSource(Map.of("recursiveFileLookup", "true"), dir);
  }

  @Test
  void fileReplacedByADirectoryAfterPlanningIsACorruptFile() throws Exception {
    Path good = SparkReads.write(dir.resolve("a.fastq"), GOOD);
    Path replaced = SparkReads.write(dir.resolve("b.fastq"), GOOD);
    Dataset<Row> df = SparkReads.load(Map.of(), good, replaced);
    Dataset<Row> ignoring = SparkReads.load(Map.of("ignoreCorruptFiles", "true"), good, replaced);
    Files.delete(replaced);
    Files.createDirectory(replaced);
    assertThatThrownBy(df::collectAsList)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains(replaced + " is a directory, not a FASTQ file"));
    assertThat(names(ignoring)).containsExactly("a.fastq:r1", "a.fastq:r2");
  }

  @Test
  void symlinks() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path target = SparkReads.write(data.resolve("target.fastq"), GOOD);
    Path links = Files.createDirectories(dir.resolve("links"));
    Path toFile = Files.createSymbolicLink(links.resolve("to-file.fastq"), target);
    Path toDir = Files.createSymbolicLink(dir.resolve("to-dir"), data);
    // A link to a file reads the file; _file names the path as given.
    Dataset<Row> viaLink = SparkReads.load(Map.of(), toFile);
    assertThat(names(viaLink)).containsExactly("to-file.fastq:r1", "to-file.fastq:r2");
    assertThat(SparkReads.reads(viaLink)).hasSize(2);
    // A link to a directory reads the directory's files.
    assertThat(names(SparkReads.load(Map.of(), toDir)))
        .containsExactly("target.fastq:r1", "target.fastq:r2");
    // A dangling link named directly does not exist; ignoreMissingFiles skips it.
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.fastq"), dir.resolve("gone"));
    assertThatThrownBy(() -> SparkReads.load(Map.of(), dangling))
        .hasMessageContaining("Path does not exist")
        .hasMessageContaining("dangling.fastq");
    assertThat(names(SparkReads.load(Map.of("ignoreMissingFiles", "true"), dangling, toFile)))
        .containsExactly("to-file.fastq:r1", "to-file.fastq:r2");
    // A link that dangles after planning is a missing file.
    Path later = Files.createSymbolicLink(links.resolve("later.fastq"), target);
    Dataset<Row> planned = SparkReads.load(Map.of(), later);
    Dataset<Row> plannedIgnoring = SparkReads.load(Map.of("ignoreMissingFiles", "true"), later);
    Files.delete(later);
    Files.createSymbolicLink(later, dir.resolve("gone"));
    assertThatThrownBy(planned::collectAsList)
        .satisfies(
            t ->
                assertThat(SparkReads.messages(t))
                    .contains("File not found: " + SparkReads.fileUri(later))
                    .contains("ignoreMissingFiles=true"));
    assertThat(plannedIgnoring.collectAsList()).isEmpty();
  }

  /**
   * Records per file as fastq-mmap reads {@code paths}, and lines per file / 4 as Spark's own text
   * source reads them with the same options: the two must list the same files the same number of
   * times.
   */
  private static void assertSameFilesAsSparkTextSource(Map<String, String> options, Path... paths) {
    Map<Path, Long> ours = new TreeMap<>();
    for (Row r : SparkReads.load(options, paths).groupBy("_file").count().collectAsList()) {
      ours.put(localPath(r.getString(0)), r.getLong(1));
    }
    String[] strings = new String[paths.length];
    for (int i = 0; i < paths.length; i++) {
      strings[i] = paths[i].toString();
    }
    Map<Path, Long> spark = new TreeMap<>();
    for (Row r :
        SparkReads.spark()
            .read()
            .options(options)
            .text(strings)
            .groupBy("_metadata.file_path")
            .count()
            .collectAsList()) {
      spark.put(localPath(r.getString(0)), r.getLong(1) / 4);
    }
    assertThat(ours).isNotEmpty().isEqualTo(spark);
  }

  private static Path localPath(String uri) {
    return Path.of(URI.create(URI.create(uri).toASCIIString()));
  }

  @Test
  void danglingLinkInsideADirectoryIsSkippedAsSparkDoes() throws Exception {
    Path d = Files.createDirectories(dir.resolve("with-dangling"));
    SparkReads.write(d.resolve("a.fastq"), GOOD);
    Files.createSymbolicLink(d.resolve("b.fastq"), dir.resolve("gone"));
    assertThat(names(SparkReads.load(Map.of(), d))).containsExactly("a.fastq:r1", "a.fastq:r2");
    assertSameFilesAsSparkTextSource(Map.of(), d);
    assertSameFilesAsSparkTextSource(Map.of("ignoreMissingFiles", "true"), d);
  }

  @Test
  void symlinkLoopWithRecursiveLookupEndsAsInSpark() throws Exception {
    Path loop = Files.createDirectories(dir.resolve("loop"));
    SparkReads.write(loop.resolve("a.fastq"), GOOD);
    Files.createSymbolicLink(loop.resolve("self"), loop);
    // Hadoop's listing follows the link until the kernel refuses a longer chain (40 links), as
    // for Spark's own file sources: the same file is read under 41 names, and the listing ends.
    Dataset<Row> df = SparkReads.load(Map.of("recursiveFileLookup", "true"), loop);
    assertThat(df.select("_file").distinct().count()).isEqualTo(41);
    assertThat(df.count()).isEqualTo(82);
    assertSameFilesAsSparkTextSource(Map.of("recursiveFileLookup", "true"), loop);
  }

  @Test
  void fifoIsNotOpened() throws Exception {
    Path d = Files.createDirectories(dir.resolve("with-fifo"));
    SparkReads.write(d.resolve("a.fastq"), GOOD);
    Path fifo = d.resolve("b.fastq");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(
        mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "no mkfifo here");
    // A FIFO lists with length 0: it owns no range, so nothing blocks on opening it.
    assertThat(names(SparkReads.load(Map.of(), d))).containsExactly("a.fastq:r1", "a.fastq:r2");
  }

  @Test
  void spacesAndNonAsciiInDirectoriesAndNamesWithManyRanges() throws Exception {
    Path odd = Files.createDirectories(dir.resolve("run 42 \u00e9t\u00e9 \u6587\u5b57"));
    FastqFileGenerator.Generated gen =
        FastqFileGenerator.builder(9).records(300).allTricky().generate();
    List<Path> files =
        List.of(
            gen.writeTo(odd.resolve("reads one.fastq")),
            gen.writeTo(odd.resolve("r\u00e9ads-\u00df.fastq")),
            gen.writeTo(odd.resolve("\ud83e\uddec dna.fastq")));
    Dataset<Row> df = SparkReads.load(Map.of("maxPartitionBytes", "4096"), odd);
    assertThat(df.rdd().getNumPartitions()).isGreaterThanOrEqualTo(3 * (gen.bytes().length / 4096));
    Map<Path, List<Read>> byFile = new HashMap<>();
    // _file is the URI as Hadoop writes it, non-ASCII characters unescaped.
    SparkReads.readsByFile(df)
        .forEach(
            (uri, reads) ->
                byFile.put(Path.of(URI.create(URI.create(uri).toASCIIString())), reads));
    assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(files);
    for (Path f : files) {
      SparkReads.assertSameReads(byFile.get(f), gen.reads(), f.toString());
    }
    // The same through SQL, with the path in an OPTIONS clause.
    SparkReads.spark()
        .sql(
            "CREATE OR REPLACE TEMPORARY VIEW odd USING `fastq-mmap` OPTIONS (path '" + odd + "')");
    assertThat(SparkReads.spark().sql("SELECT count(*) FROM odd").first().getLong(0))
        .isEqualTo(900);
    if (OpenFiles.available()) {
      assertThat(OpenFiles.mappings(odd)).isZero();
      assertThat(OpenFiles.descriptors(odd)).isZero();
    }
  }

  @Test
  void unreadableFile() throws IOException {
    Path good = SparkReads.write(dir.resolve("a.fastq"), GOOD);
    Path locked = SparkReads.write(dir.resolve("b.fastq"), GOOD);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(
          Files.isReadable(locked),
          "this process reads files whatever their mode (it runs as root with CAP_DAC_OVERRIDE);"
              + " UnreadableFileIT checks unreadable files in a child JVM without that capability");
      assertThatThrownBy(() -> SparkReads.load(Map.of(), good, locked).collectAsList())
          .satisfies(
              t ->
                  assertThat(SparkReads.messages(t))
                      .contains("Cannot open " + locked + " for reading")
                      .contains("Permission denied"));
      assertThat(names(SparkReads.load(Map.of("ignoreCorruptFiles", "true"), good, locked)))
          .containsExactly("a.fastq:r1", "a.fastq:r2");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
