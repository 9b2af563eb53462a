/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.metrics;

import io.github.fastqmmap.codec.Deflating;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The named accumulators of a gzip or BGZF write, {@value #NATIVELY} and {@value #BY_JDK}: the
 * uncompressed bytes of its part files deflated by libdeflate, and by the JDK's zlib. Registered on
 * the driver when the write is prepared and added to as each part file is closed. Spark's file
 * writer has a fixed set of SQL metrics, so writes report theirs only as accumulators (the Stages
 * tab, listeners). Cumulative, as the read accumulators.
 */
public final class DeflateAccumulators implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String NATIVELY = ReadMetric.ACCUMULATOR_PREFIX + "bytesDeflatedNatively";
  public static final String BY_JDK = ReadMetric.ACCUMULATOR_PREFIX + "bytesDeflatedByJdk";

  private final LongAccumulator natively;
  private final LongAccumulator byJdk;

  private DeflateAccumulators(LongAccumulator natively, LongAccumulator byJdk) {
    this.natively = natively;
    this.byJdk = byJdk;
  }

  /** Creates and registers the accumulators of one write. */
  public static DeflateAccumulators register(SparkContext sc) {
    LongAccumulator natively = new LongAccumulator();
    LongAccumulator byJdk = new LongAccumulator();
    sc.register(natively, NATIVELY);
    sc.register(byJdk, BY_JDK);
    return new DeflateAccumulators(natively, byJdk);
  }

  /** Adds a closed part file's deflate work (called on executors). */
  public void add(Deflating part) {
    (part.deflatesNatively() ? natively : byJdk).add(part.bytesDeflated());
  }
}
