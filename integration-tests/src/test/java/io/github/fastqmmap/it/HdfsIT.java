/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.ReadMetric;
import io.github.fastqmmap.spark.FastqMetrics;
import io.github.fastqmmap.spark.ScalaCollections;
import io.github.fastqmmap.spark.SparkTestSession;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.FastqFileGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A real HDFS (MiniDFSCluster: a NameNode and two DataNodes in this JVM, loopback only, 1 MiB
 * blocks) beside Spark's shaded Hadoop client. Plain FASTQ on HDFS is read by positional reads with
 * the rows of the mapped path, its ranges carry the HDFS block hosts as preferred locations, gzip
 * and BGZF read the same as locally, and read, filter, write, read round trips are exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class HdfsIT {
  private static final int BLOCK = 1 << 20;
  private static final String[] HOSTS = {"dn1.fastq-mmap.test", "dn2.fastq-mmap.test"};

  private MiniDFSCluster cluster;
  private FileSystem hdfs;
  private SparkSession spark;
  private java.nio.file.Path local;
  private FastqFileGenerator.Generated generated;

  @BeforeAll
  void start() throws IOException {
    java.nio.file.Path base = ItEnv.workDir("hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("cluster").toString());
    conf.setLong("dfs.blocksize", BLOCK);
    conf.setInt("dfs.replication", 1);
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.https-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    // DataNodes report these names (so block locations tell them apart) but are reached by IP.
    conf.setBoolean("dfs.namenode.datanode.registration.ip-hostname-check", false);
    cluster =
        new MiniDFSCluster.Builder(conf)
            .numDataNodes(HOSTS.length)
            .hosts(HOSTS)
            .checkDataNodeHostConfig(true)
            .build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();

    generated =
        FastqFileGenerator.builder(17)
            .records(24_000)
            .readLengths(0, 150)
            .trickyHeaders(true)
            .qualityLinesStartingWith(0.1, 0.1)
            .longReads(0.001, 300_000)
            .generate();
    local = generated.writeTo(base.resolve("reads.fastq"));
    assertThat(generated.bytes().length).isGreaterThan(3 * BLOCK);

    spark = SparkTestSession.get();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.shutdown(); // the shared local[2] session stays for other tests
    }
  }

  private Path put(String name, byte[] bytes) throws IOException {
    Path p = new Path("/data/" + name);
    try (OutputStream out = hdfs.create(p, true)) {
      out.write(bytes);
    }
    return hdfs.makeQualified(p);
  }

  private Dataset<Row> read(Map<String, String> options, String path) {
    return spark.read().format("fastq-mmap").options(options).load(path);
  }

  private static List<String> rows(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r :
        df.selectExpr("name", "comment", "sequence", "quality", "_offset").collectAsList()) {
      out.add(r.mkString("|"));
    }
    return out;
  }

  @Test
  void plainFastqOnHdfsGivesTheMappedRowsWithBlockHostsAsPreferredLocations() throws IOException {
    Path file = put("reads.fastq", generated.bytes());
    Map<String, String> split = Map.of("maxPartitionBytes", "262144");
    Dataset<Row> remote = read(split, file.toString());
    List<String> fromHdfs = rows(remote);
    assertThat(fromHdfs).hasSize(generated.reads().size());
    assertThat(fromHdfs).isEqualTo(rows(read(split, local.toString())));
    Dataset<Row> sequences = remote.select("sequence");
    sequences.collectAsList();
    FastqMetrics metrics = FastqMetrics.of(sequences);
    assertThat(metrics.get(ReadMetric.RECORDS)).isEqualTo(generated.reads().size());
    assertThat(metrics.get(ReadMetric.BYTES_PARSED)).isEqualTo(generated.bytes().length);
    assertThat(metrics.get(ReadMetric.BYTES_MAPPED)).isZero();

    // Ranges of 256 KiB, 4 per 1 MiB block: each prefers the hosts of its block.
    FileStatus status = hdfs.getFileStatus(file);
    BlockLocation[] blocks = hdfs.getFileBlockLocations(status, 0, status.getLen());
    assertThat(blocks.length).isGreaterThanOrEqualTo(3);
    RDD<Row> rdd = remote.rdd();
    Partition[] partitions = rdd.partitions();
    assertThat(partitions.length).isEqualTo((int) ((status.getLen() + 262143) / 262144));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < partitions.length; i++) {
      long start = i * 262144L;
      Set<String> expected = new HashSet<>();
      for (BlockLocation b : blocks) {
        if (b.getOffset() <= start && start < b.getOffset() + b.getLength()) {
          expected.addAll(Arrays.asList(b.getHosts()));
        }
      }
      Set<String> preferred = new HashSet<>(preferredLocations(rdd, i));
      assertThat(preferred).as("preferred locations of range %d", i).isEqualTo(expected);
      seen.addAll(preferred);
    }
    assertThat(seen).isNotEmpty().isSubsetOf(Arrays.asList(HOSTS));
  }

  /** The HDFS client's read operations so far (opens, status and listing requests). */
  private static long hdfsReadOps() {
    return FileSystem.getAllStatistics().stream()
        .filter(st -> "hdfs".equals(st.getScheme()))
        .mapToLong(FileSystem.Statistics::getReadOps)
        .sum();
  }

  @Test
  void smallFilesCostOneNameNodeRequestEachAsText() throws IOException {
    // Files that fit in one range are not read to plan them: the task tells their format from the
    // stream it reads them through, one open (one getBlockLocations) and no status each.
    byte[] small = FastqFileGenerator.builder(18).records(30).generate().bytes();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(small);
    }
    int files = 0;
    for (int i = 0; i < 4; i++) {
      put("small/plain" + i + ".fastq", small);
      put("small/gzip" + i + ".fastq.gz", gz.toByteArray());
      put("small/bgzf" + i + ".fastq", BgzfTestFiles.bgzip(small));
      files += 3;
    }
    String dir = hdfs.makeQualified(new Path("/data/small")).toString();
    Dataset<Row> fastq = read(Map.of(), dir);
    Dataset<Row> text = spark.read().text(dir);
    assertThat(fastq.rdd().getNumPartitions()).isPositive();
    assertThat(text.rdd().getNumPartitions()).isPositive();

    long before = hdfsReadOps();
    assertThat(fastq.count()).isEqualTo(files * 30L);
    long fastqOps = hdfsReadOps() - before;
    before = hdfsReadOps();
    text.count();
    long textOps = hdfsReadOps() - before;
    assertThat(fastqOps).as("HDFS read operations of fastq-mmap's count()").isEqualTo(files);
    assertThat(fastqOps).isLessThanOrEqualTo(textOps);
  }

  @Test
  void compressedFilesOnHdfsReadAsLocally() throws IOException {
    byte[] data = generated.bytes();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(data);
    }
    byte[] bgzf = BgzfTestFiles.bgzip(data);
    Path gzFile = put("reads.fastq.gz", gz.toByteArray());
    Path bgzFile = put("reads.fq.bgz", bgzf);
    Path indexed = put("indexed/reads.fq.bgz", bgzf);
    put("indexed/reads.fq.bgz.gzi", BgzfTestFiles.gzi(BgzfTestFiles.layout(bgzf)));
    java.nio.file.Path localBgz =
        java.nio.file.Files.write(local.resolveSibling("reads.fq.bgz"), bgzf);
    Map<String, String> split = Map.of("maxPartitionBytes", "131072");

    Dataset<Row> gzRows = read(split, gzFile.toString());
    assertThat(gzRows.rdd().getNumPartitions()).isEqualTo(1);
    assertThat(rows(gzRows)).isEqualTo(rows(read(Map.of(), local.toString())));

    Dataset<Row> bgzRows = read(split, bgzFile.toString());
    assertThat(bgzRows.rdd().getNumPartitions()).isGreaterThan(4);
    List<String> expected = rows(read(split, localBgz.toString()));
    assertThat(rows(bgzRows)).isEqualTo(expected);
    assertThat(rows(read(split, indexed.getParent().toString()))).isEqualTo(expected);
  }

  @Test
  void readFilterWriteReadIsExactOnHdfs() throws IOException {
    Path file = put("roundtrip.fastq", generated.bytes());
    Dataset<Row> kept =
        read(Map.of("maxPartitionBytes", "524288"), file.toString())
            .where("octet_length(sequence) >= 50");
    List<String> expected = sorted(kept.selectExpr("name", "comment", "sequence", "quality"));
    assertThat(expected).isNotEmpty();
    for (String compression : List.of("none", "bgzf")) {
      String out = hdfs.makeQualified(new Path("/out/" + compression)).toString();
      // Four part files: one per read partition (44) cost HDFS a file's create and close each,
      // ten seconds a format, and tested nothing more.
      kept.coalesce(4).write().format("fastq-mmap").option("compression", compression).save(out);
      assertThat(hdfs.exists(new Path(out, "_SUCCESS"))).isTrue();
      List<String> back =
          sorted(
              read(Map.of("maxPartitionBytes", "65536"), out)
                  .selectExpr("name", "comment", "sequence", "quality"));
      assertThat(back).as(compression).isEqualTo(expected);
    }
    assertThat(URI.create(file.toString()).getScheme()).isEqualTo("hdfs");
  }

  /**
   * The preferred locations of a partition as the scheduler finds them: from the first RDD of the
   * narrow (one-to-one) chain that has some, here the scan's DataSourceRDD.
   */
  private static List<String> preferredLocations(RDD<?> rdd, int partition) {
    RDD<?> r = rdd;
    while (true) {
      List<String> here =
          new ArrayList<>(ScalaCollections.asJava(r.preferredLocations(r.partitions()[partition])));
      if (!here.isEmpty() || r.dependencies().isEmpty()) {
        return here;
      }
      r = r.dependencies().head().rdd();
    }
  }

  private static List<String> sorted(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.mkString("|"));
    }
    out.sort(null);
    return out;
  }
}
