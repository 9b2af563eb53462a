"""fastq-mmap from PySpark: reads, bases, GC %, mean read quality and a read-length histogram.

Needs PySpark 4.2 (pip install pyspark==4.2.0) and the connector jar, which carries everything
the data source needs besides Spark:

    spark-submit --jars connector/spark4_2.13/target/fastq-mmap-spark4_2.13-0.1.0-SNAPSHOT.jar \
        examples/python/fastq_qc.py examples/data/sample.fastq

or, without spark-submit, with the jar given to the session (see SPARK_JARS below):

    FASTQ_MMAP_JAR=connector/spark4_2.13/target/fastq-mmap-spark4_2.13-0.1.0-SNAPSHOT.jar \
        python examples/python/fastq_qc.py examples/data/sample.fastq
"""

import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main(paths):
    builder = SparkSession.builder.appName("fastq-mmap PySpark QC")
    jar = os.environ.get("FASTQ_MMAP_JAR")
    if jar:  # started with plain python: hand the connector to the session ourselves
        builder = builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
        builder = builder.config("spark.jars", jar)
    spark = builder.getOrCreate()

    reads = spark.read.format("fastq-mmap").option("mode", "FAILFAST").load(paths)

    # Per-read figures with Spark's own functions: no Python code runs on the executors.
    per_read = reads.select(
        F.octet_length("sequence").alias("length"),
        F.length(F.regexp_replace("sequence", "[^GCgc]", "")).alias("gc"),
        # Mean Phred+33 quality of the read.
        (
            F.aggregate(
                F.transform(F.split("quality", ""), lambda c: F.ascii(c) - 33),
                F.lit(0),
                lambda acc, q: acc + q,
            )
            / F.greatest(F.octet_length("quality"), F.lit(1))
        ).alias("mean_quality"),
    )
    totals = per_read.agg(
        F.count(F.lit(1)).alias("reads"),
        F.sum("length").alias("bases"),
        (100 * F.sum("gc") / F.sum("length")).alias("gc_percent"),
        F.avg("mean_quality").alias("mean_read_quality"),
        F.min("length").alias("min_length"),
        F.max("length").alias("max_length"),
    ).first()

    print("fastq-mmap QC of " + ", ".join(paths))
    print(f"reads              {totals['reads']:,}")
    print(f"bases              {totals['bases']:,}")
    print(f"GC %               {totals['gc_percent']:.2f}")
    print(f"mean read quality  {totals['mean_read_quality']:.2f}")
    print(f"read length        {totals['min_length']} - {totals['max_length']}")

    print("\nread-length histogram (10 bp bins):")
    histogram = (
        per_read.groupBy((F.floor(F.col("length") / 10) * 10).alias("from_bp"))
        .count()
        .orderBy("from_bp")
        .collect()
    )
    most = max((row["count"] for row in histogram), default=1)
    for row in histogram:
        print(f"{row['from_bp']:>6} bp {row['count']:>8,} {'#' * max(1, 40 * row['count'] // most)}")

    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: fastq_qc.py PATH [PATH ...]")
    main(sys.argv[1:])
