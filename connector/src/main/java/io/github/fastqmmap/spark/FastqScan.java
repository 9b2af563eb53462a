/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.metrics.FastqCustomMetric;
import io.github.fastqmmap.metrics.ScanAccumulators;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.stream.Compression;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/** A batch scan of FASTQ files: plans page-aligned ranges and hands readers their options. */
final class FastqScan implements Scan, Batch, SupportsReportStatistics {
  private final FastqOptions options;
  private final List<FastqFile> files;
  private final StructType readSchema;
  private final FastqColumn[] columns;
  private final Configuration hadoopConf;

  /** The partition columns among the read columns, or null. */
  private final PartitionColumns partitionColumns;

  /** The filters on partition columns that chose {@link #files}, for EXPLAIN. */
  private final List<Expression> partitionFilters;

  /** Whether the scan answers a pushed-down COUNT(*): one row per task, holding its count. */
  private final boolean countOnly;

  private List<FastqInputPartition> partitions;

  /** What the counting pass did, once it ran (only for {@code _ordinal} or pairs); else null. */
  private OrdinalPlanner.Outcome counted;

  /** The accumulators of this scan, once its reader factory was made. */
  private volatile ScanAccumulators accumulators;

  FastqScan(
      FastqOptions options,
      List<FastqFile> files,
      StructType readSchema,
      boolean countOnly,
      Configuration hadoopConf) {
    this(options, files, readSchema, countOnly, hadoopConf, new StructType(), List.of());
  }

  /**
   * @param files the files left after partition pruning
   * @param partitionSchema the table's partition columns (empty if none)
   * @param partitionFilters the filters that pruned the files
   */
  FastqScan(
      FastqOptions options,
      List<FastqFile> files,
      StructType readSchema,
      boolean countOnly,
      Configuration hadoopConf,
      StructType partitionSchema,
      List<Expression> partitionFilters) {
    this.partitionFilters = partitionFilters;
    this.options = options;
    this.hadoopConf = hadoopConf;
    this.files = files;
    this.readSchema = readSchema;
    this.countOnly = countOnly;
    StructField[] fields = countOnly ? new StructField[0] : readSchema.fields();
    this.columns = new FastqColumn[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] =
          PartitionColumns.indexOf(partitionSchema, fields[i].name()) >= 0
              ? FastqColumn.PARTITION
              : FastqColumn.forName(fields[i].name(), options.corruptColumn());
    }
    this.partitionColumns = PartitionColumns.of(fields, partitionSchema);
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return partitions().toArray(new InputPartition[0]);
  }

  private synchronized List<FastqInputPartition> partitions() {
    if (partitions == null) {
      SparkSession session = SparkSession.active();
      SQLConf conf = SparkSessions.sessionState(session).conf();
      int minPartitionNum =
          conf.filesMinPartitionNum().isDefined()
              ? (Integer) conf.filesMinPartitionNum().get()
              : SparkSessions.leafNodeDefaultParallelism(session);
      long maxSplit =
          SplitPlanner.maxSplitBytes(
              options.maxPartitionBytes(),
              options.openCostInBytes(),
              files,
              minPartitionNum,
              MappedFile.pageSize());
      int maxPartitionNum =
          conf.filesMaxPartitionNum().isDefined() ? (Integer) conf.filesMaxPartitionNum().get() : 0;
      long openCost = options.openCostInBytes();
      if (options.pairs()) {
        planWithCountingPass(session, maxSplit, maxPartitionNum, minPartitionNum, null);
      } else if (!needsCountingPass()) {
        List<FastqFile> atMax = inspected(files, maxSplit);
        long largest =
            countOnly
                    && !options.maxPartitionBytesGiven()
                    && allPlain(atMax)
                    && !SplitPlanner.hasBlockHosts(files)
                ? countSplit(minPartitionNum)
                : maxSplit;
        // Inspected once more at the smallest split asked (the even one, asked first): every
        // larger split then needs no file read.
        long[] smallest = {maxSplit};
        List<List<FastqFile>> atSmallest = new ArrayList<>(List.of(atMax));
        partitions =
            evenPlan(
                    largest,
                    minPartitionNum,
                    openCost,
                    split -> {
                      if (split < smallest[0]) {
                        atSmallest.set(0, inspected(atMax, split));
                        smallest[0] = split;
                      }
                      return packed(atSmallest.get(0), split, maxPartitionNum);
                    })
                .partitions();
      } else {
        List<FastqFile> all = inspected(files, -1); // every file, empty ones too
        long split =
            evenPlan(maxSplit, minPartitionNum, openCost, x -> packed(all, x, maxPartitionNum))
                .split();
        planWithCountingPass(session, split, maxPartitionNum, minPartitionNum, all);
      }
    }
    return partitions;
  }

  /**
   * How many times maxPartitionBytes a pushed-down {@code COUNT(*)} reads per range of plain files.
   * Counting skips the rows and runs about twice as fast as reading every column, so at Spark's
   * split its tasks are short and Spark's cost per task (scheduling, results, the aggregate's
   * shuffle files) is a large part of them: 1 GiB of 150 bp reads, {@code local[1]}, counted in
   * 0.44 to 0.56 s at 128 MiB ranges against 0.38 to 0.46 s at 512 MiB
   * (docs/measurements/page-cache.md, "Counting in fewer ranges"). Spark's rule still caps a range
   * at the bytes per core, so every core gets one; files whose blocks name hosts keep Spark's cut,
   * which follows the blocks.
   */
  static final int COUNT_SPLIT_FACTOR = 4;

  /** The largest range of a pushed-down count: Spark's rule at {@link #COUNT_SPLIT_FACTOR}. */
  private long countSplit(int minPartitionNum) {
    long bytes = options.maxPartitionBytes();
    return SplitPlanner.maxSplitBytes(
        bytes > Long.MAX_VALUE / COUNT_SPLIT_FACTOR ? Long.MAX_VALUE : bytes * COUNT_SPLIT_FACTOR,
        options.openCostInBytes(),
        files,
        minPartitionNum,
        MappedFile.pageSize());
  }

  /**
   * Whether every file is known to be plain FASTQ: inspected at planning (those longer than Spark's
   * split are) and not compressed. A compressed file counts no faster than it reads, and a file not
   * inspected may be one (a directory of small gzip files would be packed several to a task), so
   * either keeps Spark's split.
   */
  private static boolean allPlain(List<FastqFile> files) {
    for (FastqFile f : files) {
      if (f.compression != Compression.NONE) {
        return false;
      }
    }
    return true;
  }

  private List<FastqInputPartition> packed(List<FastqFile> files, long split, int maxPartitionNum) {
    return SplitPlanner.pack(
        SplitPlanner.split(files, split), split, options.openCostInBytes(), maxPartitionNum);
  }

  /** A split and the partitions packed at it. */
  private record Plan(long split, List<FastqInputPartition> partitions) {}

  /**
   * The plan at Spark's split, or at a smaller one when Spark's leaves cores idle in the last wave
   * and the smaller one, in as many waves, ends sooner ({@link SplitPlanner#evenSplitBytes}),
   * unless the files have block hosts ({@link SplitPlanner#hasBlockHosts}); {@code
   * -Dfastqmmap.evenLastWave=false} in the driver keeps Spark's, to measure.
   *
   * @param planAt the partitions packed at a split
   */
  private Plan evenPlan(
      long maxSplit, int cores, long openCost, LongFunction<List<FastqInputPartition>> planAt) {
    Plan spark = new Plan(maxSplit, planAt.apply(maxSplit));
    if ("false".equals(System.getProperty("fastqmmap.evenLastWave"))
        || SplitPlanner.hasBlockHosts(files)) {
      return spark;
    }
    long even =
        SplitPlanner.evenSplitBytes(spark.partitions(), maxSplit, cores, MappedFile.pageSize());
    if (even >= maxSplit || SplitPlanner.longestFile(files) <= even) {
      // With no file longer than the even split the ranges stay the files themselves, as at
      // Spark's split: many small files keep Spark's packing without the bisection's packings
      // (measured: 0.3 to 0.4 s of planning at 100,000 files).
      return spark;
    }
    // No more tasks than Spark's waves hold (many small files, each its own task at a small
    // split, would model as even but pay a task each). With several files each file's last range
    // is short, so the even split can give more; then the smallest split above it that fits, at
    // the same alignment, found by bisection (the count only falls as the split grows).
    long slots = (long) ((spark.partitions().size() + cores - 1) / cores) * cores;
    long align = SplitPlanner.alignment(even, MappedFile.pageSize());
    Plan evened = null;
    long lo = even / align;
    long hi = (maxSplit - 1) / align;
    while (lo <= hi) {
      long mid = (lo + hi) >>> 1;
      List<FastqInputPartition> candidate = planAt.apply(mid * align);
      if (candidate.size() <= slots) {
        evened = new Plan(mid * align, candidate);
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return evened != null
            && SplitPlanner.finishTime(evened.partitions(), openCost, cores)
                < SplitPlanner.finishTime(spark.partitions(), openCost, cores)
        ? evened
        : spark;
  }

  /**
   * Whether pairs of files may be aligned by the mates' names instead of counted ({@code
   * pairAlignment=auto}): their names are checked, no ordinal is read, and no file is skipped on
   * error (a skipped pair is found by counting it).
   */
  private boolean alignsByNames() {
    if (!options.paired()
        || options.pairAlignment() != PairAlignment.AUTO
        || !options.checkPairNames()
        || options.ignoreCorruptFiles()
        || options.ignoreMissingFiles()) {
      return false;
    }
    return !readsOrdinals();
  }

  /** Whether {@code _ordinal} is read. */
  private boolean readsOrdinals() {
    for (FastqColumn c : columns) {
      if (c == FastqColumn.ORDINAL) {
        return true;
      }
    }
    return false;
  }

  /** Whether ranges need their ordinals: {@code _ordinal} is read, or rows are pairs. */
  private boolean needsCountingPass() {
    return options.pairs() || readsOrdinals();
  }

  /**
   * {@code listed}, those longer than {@code maxSplit} inspected (their first bytes read, in
   * parallel when there are many), as only they can give several ranges; the others stay as listed,
   * one range each, and the task that reads one tells its format. Ordinals and pairs need every
   * file's format ({@code maxSplit} -1).
   */
  private List<FastqFile> inspected(List<FastqFile> listed, long maxSplit) {
    HadoopStorage storage = new HadoopStorage(() -> hadoopConf);
    List<Integer> toInspect = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      if (listed.get(i).length > maxSplit && !listed.get(i).input.isInspected()) {
        toInspect.add(i);
      }
    }
    if (toInspect.isEmpty()) {
      return listed;
    }
    List<FastqFile> result = new ArrayList<>(listed);
    try {
      List<FastqFile> done =
          PlanningPool.ofSession().map(toInspect, i -> listed.get(i).inspected(storage));
      for (int j = 0; j < toInspect.size(); j++) {
        result.set(toInspect.get(j), done.get(j));
      }
    } catch (IOException e) {
      // Inspecting never throws (an unreadable file is left for its reader to report); this is an
      // interrupted pool.
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /**
   * @param inspected every file inspected ({@link #inspected} -1), or null to inspect them here
   */
  private void planWithCountingPass(
      SparkSession session,
      long maxSplit,
      int maxPartitionNum,
      int cores,
      List<FastqFile> inspected) {
    List<FastqFile> all = inspected != null ? inspected : inspected(files, -1); // empty files too
    List<FilePairs.Pair> pairs = options.paired() ? FilePairs.pair(all, options) : null;
    List<FileRange> ranges = new ArrayList<>();
    List<FileRange> mateRanges = new ArrayList<>();
    long packSplit = maxSplit;
    long packOpenCost = options.openCostInBytes();
    if (pairs == null) {
      ranges.addAll(SplitPlanner.split(all, maxSplit));
    } else {
      // A pair's task reads R1's range and the same records of R2, so R1 is cut (and packed) at
      // R1's share of both files' bytes: a task then reads about maxSplit bytes of both, as a
      // single read's task does, and a query has as many tasks as single reads of both files
      // (cut at maxSplit, a pair of files under 2 x maxSplit gave one task doing nearly all).
      long bytes1 = 0;
      long bytes2 = 0;
      for (FilePairs.Pair pair : pairs) {
        bytes1 += pair.first().length;
        bytes2 += pair.second().length;
      }
      if (bytes1 > 0 && bytes2 > 0) {
        double share = (double) bytes1 / ((double) bytes1 + bytes2);
        int page = MappedFile.pageSize();
        long scaled = (long) (maxSplit * share);
        // At 2 MiB multiples when 8 MiB or more (rounding then takes under a quarter off), as
        // single reads' ranges are (maxSplit's), so that R1's windows start where the page cache's
        // large folios do and can be mapped whole.
        // (-Dfastqmmap.pairAlignedSplits=false in the driver cuts at pages, to measure.)
        long align =
            "false".equals(System.getProperty("fastqmmap.pairAlignedSplits"))
                ? page
                : SplitPlanner.alignment(scaled, page);
        packSplit = Math.max(page, scaled - scaled % align);
        packOpenCost = (long) (packOpenCost * share);
      }
      for (FilePairs.Pair pair : pairs) {
        mateRanges.addAll(SplitPlanner.split(List.of(pair.second()), maxSplit));
      }
      long r1OpenCost = packOpenCost;
      packSplit =
          evenPlan(
                  packSplit,
                  cores,
                  r1OpenCost,
                  split ->
                      SplitPlanner.pack(r1Ranges(pairs, split), split, r1OpenCost, maxPartitionNum))
              .split();
      ranges.addAll(r1Ranges(pairs, packSplit));
    }
    List<FastqInputPartition> packed =
        SplitPlanner.pack(ranges, packSplit, packOpenCost, maxPartitionNum);
    OrdinalPlanner.Outcome outcome =
        OrdinalPlanner.plan(
            session, options, hadoopConf, packed, mateRanges, pairs, alignsByNames());
    counted = outcome;
    partitions = outcome.partitions();
  }

  /**
   * R1's ranges at {@code split}. R2 is reopened at the ordinals R1's ranges start at: a gzip or
   * bzip2 R2 can only be read from its start, so its R1 is then read as one range too.
   */
  private static List<FileRange> r1Ranges(List<FilePairs.Pair> pairs, long split) {
    List<FileRange> ranges = new ArrayList<>();
    for (FilePairs.Pair pair : pairs) {
      ranges.addAll(
          pair.second().splittable()
              ? SplitPlanner.split(List.of(pair.first()), split)
              : SplitPlanner.split(List.of(pair.first()), Long.MAX_VALUE));
    }
    return ranges;
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    OrdinalPlanner.Outcome c = counted;
    return c == null
        ? new CustomTaskMetric[0]
        : CountingPassMetric.values(
            c.records(),
            c.ranges(),
            c.reusedRanges(),
            c.nanos() / 1_000_000,
            c.windowsMapped(),
            c.windowsCopied(),
            c.alignedPairs());
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    SparkSession session = SparkSession.active();
    ScanAccumulators registered = ScanAccumulators.register(session.sparkContext());
    accumulators = registered;
    Broadcast<SerializableConfiguration> conf = null;
    if (files.stream().anyMatch(FastqFile::needsHadoopConf)) {
      // Spark's own wrapper, as its file sources broadcast it; a @DeveloperApi @Unstable class
      // with the same constructor and value() in Spark 3.5 and 4.x.
      conf =
          JavaSparkContext.fromSparkContext(session.sparkContext())
              .broadcast(new SerializableConfiguration(hadoopConf));
    }
    return new FastqReaderFactory(options, columns, partitionColumns, countOnly, registered, conf);
  }

  /** This scan's accumulators, or null before Spark asked for a reader factory. */
  ScanAccumulators accumulators() {
    return accumulators;
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    CustomMetric[] read = FastqCustomMetric.all();
    CustomMetric[] pass = CountingPassMetric.all();
    CustomMetric[] all = Arrays.copyOf(read, read.length + pass.length);
    System.arraycopy(pass, 0, all, read.length, pass.length);
    return all;
  }

  @Override
  public Statistics estimateStatistics() {
    long bytes = totalBytes();
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(bytes);
      }

      @Override
      public OptionalLong numRows() {
        return OptionalLong.empty();
      }
    };
  }

  private long totalBytes() {
    long bytes = 0;
    for (FastqFile f : files) {
      bytes += f.length;
    }
    return bytes;
  }

  @Override
  public String description() {
    StringBuilder s = new StringBuilder("FastqScan fastq-mmap ");
    s.append(files.size()).append(files.size() == 1 ? " file" : " files");
    s.append(", ").append(totalBytes()).append(" bytes");
    if (partitions != null) {
      int ranges = 0;
      for (FastqInputPartition p : partitions) {
        ranges += p.ranges.size();
      }
      s.append(", ").append(ranges).append(" ranges in ").append(partitions.size());
      s.append(" partitions");
    }
    OrdinalPlanner.Outcome c = counted;
    if (c != null && c.alignedPairs() > 0) {
      s.append(", pairs aligned by mates' names: ")
          .append(c.alignedPairs())
          .append(c.alignedPairs() == 1 ? " pair of files, " : " pairs of files, ")
          .append(c.alignedStarts())
          .append(c.alignedStarts() == 1 ? " range start" : " range starts")
          .append(" found in R2");
    }
    if (needsCountingPass() && (c == null || c.ranges() > 0 || c.alignedPairs() == 0)) {
      s.append(", counting pass (ordinals").append(options.pairs() ? ", pairs" : "").append(")");
      if (c != null) {
        s.append(": ")
            .append(c.records())
            .append(" records in ")
            .append(c.ranges())
            .append(" ranges");
        if (c.reusedRanges() > 0) {
          s.append(" (").append(c.reusedRanges()).append(" counted by an earlier query)");
        }
      } else {
        s.append(" at planning");
      }
    }
    s.append(", paths=").append(options.paths());
    if (!partitionFilters.isEmpty()) {
      // As Spark's file scans show it, so that EXPLAIN tells what chose the files.
      s.append(", PartitionFilters: [");
      for (int i = 0; i < partitionFilters.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(partitionFilters.get(i).sql());
      }
      s.append("]");
    }
    if (countOnly) {
      s.append(", pushed aggregation: COUNT(*)");
    } else {
      s.append(", columns=[");
      for (int i = 0; i < columns.length; i++) {
        s.append(i == 0 ? "" : ", ").append(readSchema.fields()[i].name());
      }
      s.append("]");
    }
    s.append(", ").append(options.describe());
    return s.toString();
  }

  /**
   * Scans of the same files (same length and modification time) with the same resolved options,
   * columns and pushed aggregate are equal, so Spark can reuse one's exchange or subquery for the
   * other (a self-join reads the files once), as its own {@code FileScan} compares its file index,
   * read schema, filters and options. Planned partitions follow from these and the session.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FastqScan s
        && countOnly == s.countOnly
        && readSchema.equals(s.readSchema)
        && options.equals(s.options)
        && files.equals(s.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(options, files, readSchema, countOnly);
  }

  @Override
  public String toString() {
    return description();
  }
}
