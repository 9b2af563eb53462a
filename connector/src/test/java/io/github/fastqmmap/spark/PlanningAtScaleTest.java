/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.stream.Compression;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.internal.SQLConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning many files: directories listed in parallel above Spark's threshold give what a serial
 * listing gives, block locations come with the listing, and no file is opened on the driver unless
 * it may be split (a file planned unread is told by its task, whatever its name says).
 */
class PlanningAtScaleTest {
  private static final String THRESHOLD = "spark.sql.sources.parallelPartitionDiscovery.threshold";
  private static final String RECORD = "@r\nACGT\n+\nIIII\n"; // 15 bytes

  @TempDir static Path dir;
  private static long records;

  @BeforeAll
  static void writeTree() throws IOException {
    // Three partitions of 12 files and 5 files at the top, 1 to 2,000 records each (some longer
    // than the 8 KiB ranges of the tests), a hidden file and a _SUCCESS that must be skipped.
    for (int p = 0; p < 3; p++) {
      for (int f = 0; f < 12; f++) {
        records +=
            write(
                dir.resolve("tree/lane=" + p + "/s" + f + ".fastq"), 1 + (p * 37 + f * 151) % 2000);
      }
    }
    for (int f = 0; f < 5; f++) {
      records += write(dir.resolve("tree/top" + f + ".fq"), 1 + f * 300);
    }
    Files.writeString(dir.resolve("tree/_SUCCESS"), "", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("tree/lane=1/.hidden.fastq"), "garbage", StandardCharsets.UTF_8);
  }

  private static int write(Path file, int n) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, RECORD.repeat(n), StandardCharsets.UTF_8);
    return n;
  }

  private static FastqScan scan(Dataset<Row> df) {
    List<BatchScanExec> scans = FastqMetrics.scans(df.queryExecution().executedPlan());
    assertThat(scans).hasSize(1);
    return (FastqScan) scans.get(0).scan();
  }

  private static List<String> ranges(Dataset<Row> df) {
    List<String> result = new ArrayList<>();
    for (InputPartition p : scan(df).planInputPartitions()) {
      result.add(((FastqInputPartition) p).ranges.toString());
    }
    return result;
  }

  @Test
  void parallelListingGivesWhatASerialOneGives() {
    SparkReads.spark();
    FastqOptions options =
        FastqOptions.resolve(
            Map.of("path", dir.resolve("tree").toString(), "maxPartitionBytes", "8192"),
            SQLConf.get());
    Configuration conf = new Configuration();
    FileLister.Listing serial = FileLister.listing(options, conf, PlanningPool.serial());
    FileLister.Listing parallel = FileLister.listing(options, conf, new PlanningPool(0, 8));
    assertThat(serial.files()).hasSize(41);
    assertThat(parallel.files()).containsExactlyElementsOf(serial.files());
    assertThat(parallel.roots()).isEqualTo(serial.roots());
    assertThat(parallel.rootFiles()).isEqualTo(serial.rootFiles());
    for (int i = 0; i < serial.files().size(); i++) {
      assertThat(parallel.files().get(i).blocks).hasSameSizeAs(serial.files().get(i).blocks);
    }

    // Through Spark: the session's threshold decides, and the ranges are the same.
    Map<String, String> small = Map.of("maxPartitionBytes", "8192");
    List<String> serialRanges = ranges(SparkReads.load(small, dir.resolve("tree")));
    SparkReads.spark().conf().set(THRESHOLD, "0");
    try {
      Dataset<Row> df = SparkReads.load(small, dir.resolve("tree"));
      assertThat(ranges(df)).isEqualTo(serialRanges);
      assertThat(df.count()).isEqualTo(records);
      // Many paths given are resolved in parallel too, and a file given twice is read once.
      Path top = dir.resolve("tree/top1.fq"); // 301 records
      Path lane = dir.resolve("tree/lane=0/s1.fastq"); // 152 records
      assertThat(SparkReads.load(small, top, lane, top).count()).isEqualTo(301 + 152);
    } finally {
      SparkReads.spark().conf().unset(THRESHOLD);
    }
  }

  @Test
  void aFileNamedFastqThatHoldsGzipIsReadAsGzip() throws IOException {
    byte[] text = RECORD.repeat(3000).getBytes(StandardCharsets.UTF_8); // 45,000 bytes
    Files.createDirectories(dir.resolve("named"));
    Path gzip =
        Files.write(
            dir.resolve("named/small.fastq"),
            CompressedReadTest.gzip(RECORD.repeat(5).getBytes(StandardCharsets.UTF_8)));
    // Random-ish text so that its gzip is longer than a range.
    StringBuilder noisy = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      noisy.append("@r").append(i * 7919L % 100_003).append("\nACGTTGCA\n+\nIIIIIIII\n");
    }
    Path bigGzip =
        Files.write(
            dir.resolve("named/big.fastq"),
            CompressedReadTest.gzip(noisy.toString().getBytes(StandardCharsets.UTF_8)));
    Path plain = Files.write(dir.resolve("named/plain.fq.gz"), text); // plain text named .gz

    Map<String, String> small = Map.of("maxPartitionBytes", "8192");
    Dataset<Row> df = SparkReads.load(small, dir.resolve("named"));
    Map<String, FastqFile> planned = new HashMap<>();
    for (InputPartition p : scan(df).planInputPartitions()) {
      for (FileRange r : ((FastqInputPartition) p).ranges) {
        planned.put(Path.of(URI.create(r.file.uri)).getFileName().toString(), r.file);
      }
    }
    // The small file was not opened at planning: one range, told by its task.
    assertThat(planned.get("small.fastq").compression).isNull();
    // The longer ones were, as they may be split: the gzip one is not, the plain one is.
    assertThat(Files.size(bigGzip)).isGreaterThan(8192);
    assertThat(planned.get("big.fastq").compression).isEqualTo(Compression.GZIP);
    assertThat(planned.get("plain.fq.gz").compression).isEqualTo(Compression.NONE);
    assertThat(df.count()).isEqualTo(5 + 3000 + 3000);
    assertThat(
            SparkReads.load(Map.of(), gzip).select("name", "sequence").collectAsList().toString())
        .isEqualTo("[" + "[r,ACGT], ".repeat(4) + "[r,ACGT]]");
    Row small5 =
        df.where("_file like '%small.fastq'").selectExpr("count(*)", "max(_offset)").first();
    assertThat(small5.getLong(0)).isEqualTo(5);
    assertThat(small5.getLong(1)).isEqualTo(60);
  }

  @Test
  void blockLocationsComeWithTheListing() throws IOException {
    for (int f = 0; f < 20; f++) {
      write(dir.resolve("counted/s" + f + ".fastq"), 10 + f);
    }
    Path single = dir.resolve("counted/s3.fastq");
    Map<String, String> fs =
        Map.of("fs." + CountingFileSystem.SCHEME + ".impl", CountingFileSystem.class.getName());
    String uri = CountingFileSystem.SCHEME + "://" + dir.resolve("counted").toAbsolutePath();

    CountingFileSystem.reset();
    Dataset<Row> df = SparkReads.reader(fs).load(uri);
    assertThat(scan(df).planInputPartitions()).isNotEmpty();
    assertThat(CountingFileSystem.listLocatedStatus.get()).isEqualTo(1);
    assertThat(CountingFileSystem.listStatus.get()).isZero();
    assertThat(CountingFileSystem.blockLocations.get()).isZero();
    assertThat(CountingFileSystem.opens.get()).isZero(); // no file read to plan
    assertThat(df.count()).isEqualTo(20 * 10 + 190);

    // A file named directly has no listing: its locations are asked for once.
    CountingFileSystem.reset();
    String file = CountingFileSystem.SCHEME + "://" + single.toAbsolutePath();
    Dataset<Row> one = SparkReads.reader(fs).load(file, file);
    assertThat(scan(one).planInputPartitions()).hasSize(1);
    assertThat(CountingFileSystem.blockLocations.get()).isEqualTo(1);
    assertThat(CountingFileSystem.opens.get()).isZero();
    assertThat(one.count()).isEqualTo(13);
  }

  /** Local files under {@code plancount:}, counting the calls planning makes. */
  public static final class CountingFileSystem extends RawLocalFileSystem {
    static final String SCHEME =
        "plancount"; // not testing.CountingFileSystem's countfs: one per JVM
    static final AtomicInteger listLocatedStatus = new AtomicInteger();
    static final AtomicInteger listStatus = new AtomicInteger();
    static final AtomicInteger blockLocations = new AtomicInteger();
    static final AtomicInteger opens = new AtomicInteger();

    static void reset() {
      listLocatedStatus.set(0);
      listStatus.set(0);
      blockLocations.set(0);
      opens.set(0);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public URI getUri() {
      return URI.create(SCHEME + ":///");
    }

    @Override
    public FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws IOException {
      listStatus.incrementAndGet();
      return super.listStatus(f);
    }

    @Override
    public RemoteIterator<LocatedFileStatus> listLocatedStatus(org.apache.hadoop.fs.Path f)
        throws IOException {
      listLocatedStatus.incrementAndGet();
      // One call, as on HDFS: the statuses and their locations without the counted calls.
      List<LocatedFileStatus> located = new ArrayList<>();
      for (FileStatus s : super.listStatus(f)) {
        BlockLocation[] blocks = s.isFile() ? super.getFileBlockLocations(s, 0, s.getLen()) : null;
        // Fields given one by one: LocatedFileStatus(FileStatus, ...) asks a raw local status
        // for its permissions through a file: URI, which this scheme is not.
        located.add(
            new LocatedFileStatus(
                s.getLen(),
                s.isDirectory(),
                s.getReplication(),
                s.getBlockSize(),
                s.getModificationTime(),
                s.getAccessTime(),
                FsPermission.getFileDefault(),
                "",
                "",
                null,
                s.getPath(),
                blocks));
      }
      return new RemoteIterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < located.size();
        }

        @Override
        public LocatedFileStatus next() {
          return located.get(next++);
        }
      };
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len)
        throws IOException {
      blockLocations.incrementAndGet();
      return super.getFileBlockLocations(file, start, len);
    }

    @Override
    public org.apache.hadoop.fs.FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize)
        throws IOException {
      opens.incrementAndGet();
      return super.open(f, bufferSize);
    }
  }
}
