/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fastq-mmap tables in a persistent Hive metastore (spark-hive's embedded Derby database and a
 * warehouse in a fresh folder; nothing to install): {@code CREATE TABLE ... USING fastq-mmap
 * LOCATION}, {@code saveAsTable} and {@code INSERT INTO} in one JVM, then a second JVM on the same
 * folder (a restarted application) finds and queries the tables, {@code _metadata} included. Also
 * what direct file queries ({@code SELECT * FROM `fastq-mmap`.`/path`}) do. Each session runs in a
 * {@link HiveMetastoreChild} JVM: a JVM holds one SparkContext, and Hive's classes keep state that
 * the other tests' sessions must not inherit.
 */
// Two child JVMs, each starting Hive's metastore (minutes on a loaded machine).
@Timeout(1200)
class HiveMetastoreIT {
  private static final int READS = 3_000;

  private static Map<String, String> run(String phase, Path metastore, Path tableDir, Path file)
      throws Exception {
    Map<String, String> results = new HashMap<>();
    try (ChildJvm child =
        new ChildJvm(
            List.of(),
            List.of(
                "-Xmx768m",
                // derby.log goes beside the database, not into the working directory.
                "-Dderby.system.home=" + metastore,
                "-Djava.awt.headless=true"),
            HiveMetastoreChild.class,
            phase,
            metastore.toString(),
            tableDir.toString(),
            file.toString())) {
      while (true) {
        String line = child.await("", Duration.ofSeconds(200));
        if (line.equals("END")) {
          break;
        }
        if (line.startsWith("RESULT ")) {
          String kv = line.substring("RESULT ".length());
          int eq = kv.indexOf('=');
          results.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      assertThat(child.waitFor(Duration.ofSeconds(60))).as("exit code of " + phase).isZero();
    }
    return results;
  }

  @Test
  void tablesOutliveTheSessionAndFilesAreQueriedDirectly() throws Exception {
    Path work = ItEnv.workDir("hive");
    Path tableDir = Files.createDirectories(work.resolve("reads-table"));
    Path file = tableDir.resolve("reads.fastq");
    FastqData.generate(file, 41, READS);
    // Left over by an earlier run: the INSERT INTO of this run must be the only one.
    try (var files = Files.list(tableDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.equals(file)) {
          deleteTree(p);
        }
      }
    }
    FastqData.Reference truth = FastqData.reference(List.of(file));
    long longReads = countLongReads(file);
    Path metastore = Files.createTempDirectory(work, "metastore-");

    Map<String, String> first = run("create", metastore, tableDir, file);
    Map<String, String> second = run("reopen", metastore, tableDir, file);

    for (Map<String, String> r : List.of(first, second)) {
      assertThat(r).containsEntry("catalog", "hive");
      assertThat(r).containsEntry("tables", "long_reads,managed_reads,reads");
      // Tables over a location are external (DROP TABLE below leaves the files); saveAsTable
      // without a path makes a managed one, in the warehouse.
      for (String table : List.of("reads", "long_reads")) {
        assertThat(r).containsEntry(table + ".type", "EXTERNAL");
        assertThat(r).containsEntry(table + ".describeType", "EXTERNAL");
        assertThat(r).containsEntry(table + ".provider", "fastq-mmap");
      }
      assertThat(r).containsEntry("managed_reads.type", "MANAGED");
      assertThat(r).containsEntry("managed_reads.describeType", "MANAGED");
      assertThat(r)
          .containsEntry(
              "reads.metadataType",
              "struct<file_path:string,file_name:string,file_size:bigint,"
                  + "file_block_start:bigint,file_block_length:bigint,"
                  + "file_modification_time:timestamp>");
      // Direct file queries, through the short name and through the FileFormat class.
      assertThat(r).containsEntry("direct.shortName.rows", Long.toString(truth.reads));
      assertThat(r).containsEntry("direct.fileFormat.rows", Long.toString(truth.reads));
    }
    for (String phase : List.of("create", "reopen")) {
      Map<String, String> r = phase.equals("create") ? first : second;
      assertThat(r.get(phase + ".reads.count")).isEqualTo(Long.toString(truth.reads));
      assertThat(r.get(phase + ".reads.bases")).isEqualTo(Long.toString(truth.bases));
      assertThat(r.get(phase + ".reads.files")).isEqualTo("1");
      assertThat(r.get(phase + ".reads.firstFileName")).isEqualTo("reads.fastq");
      assertThat(r.get(phase + ".reads.minFileSize")).isEqualTo(Long.toString(Files.size(file)));
      assertThat(r.get(phase + ".reads.inputFileNameAgrees")).isEqualTo(Long.toString(truth.reads));
      assertThat(r.get(phase + ".long_reads.count")).isEqualTo(Long.toString(longReads + 2));
      assertThat(r.get(phase + ".long_reads.minLength")).isEqualTo("150");
      assertThat(r.get(phase + ".long_reads.inserted")).isEqualTo("2");
    }
    // A table over existing files is external: dropping it leaves them.
    assertThat(second).containsEntry("dropped.fileExists", "true");
    // saveAsTable without a path: a managed table in the warehouse, read again after the
    // session's restart, whose files DROP TABLE deletes.
    assertThat(first).containsEntry("managed.rows", "5").doesNotContainKey("managed.error");
    assertThat(second).containsEntry("reopen.managed.rows", "5");
    assertThat(second).containsEntry("managed.existedBeforeDrop", "true");
    assertThat(second).containsEntry("managed.existsAfterDrop", "false");
  }

  /** Reads of at least 150 bases, by a plain parse. */
  private static long countLongReads(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.US_ASCII);
    long n = 0;
    for (int i = 1; i < lines.size(); i += 4) {
      if (lines.get(i).length() >= 150) {
        n++;
      }
    }
    return n;
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (var children = Files.list(p)) {
        for (Path c : (Iterable<Path>) children::iterator) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }
}
