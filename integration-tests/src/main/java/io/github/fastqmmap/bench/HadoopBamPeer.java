/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.seqdoop.hadoop_bam.FastqInputFormat;
import org.seqdoop.hadoop_bam.SequencedFragment;
import scala.Tuple2;

/**
 * The Hadoop-BAM peer: {@code FastqInputFormat} through {@code newAPIHadoopFile}, counting records
 * and summing sequence lengths. Kept in its own class so that a missing or broken Hadoop-BAM fails
 * this case only.
 */
final class HadoopBamPeer {
  private HadoopBamPeer() {}

  /**
   * Reads {@code path} with splits of {@code splitBytes} (the split size Spark's file sources use
   * for the same file, so that every reader gets the same number of tasks).
   */
  static Map<String, Long> count(SparkSession spark, String path, long splitBytes) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    conf.setLong("mapreduce.input.fileinputformat.split.minsize", splitBytes);
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", splitBytes);
    JavaPairRDD<Text, SequencedFragment> rdd =
        jsc.newAPIHadoopFile(
            path, FastqInputFormat.class, Text.class, SequencedFragment.class, conf);
    long[] totals = rdd.mapPartitions(HadoopBamPeer::countPartition).reduce(HadoopBamPeer::add);
    Map<String, Long> answer = new LinkedHashMap<>();
    answer.put("records", totals[0]);
    answer.put("bases", totals[1]);
    answer.put("partitions", (long) rdd.getNumPartitions());
    return answer;
  }

  private static Iterator<long[]> countPartition(Iterator<Tuple2<Text, SequencedFragment>> it) {
    long records = 0;
    long bases = 0;
    while (it.hasNext()) {
      SequencedFragment f = it.next()._2();
      records++;
      bases += f.getSequence().getLength();
    }
    return List.of(new long[] {records, bases}).iterator();
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1]};
  }
}
