-- fastq-mmap SQL example. Run it with
--   bin/run-example sql [--var name=value ...] PATH
-- which sets ${path} to PATH (a file, a directory or a glob). Other variables, with defaults:
--   ${minQuality} = 30              (threshold of the low-quality query)
--   ${adapter}    = AGATCGGAAGAGC   (Illumina TruSeq adapter, first 13 bases)
-- Every statement is plain Spark SQL; with a Spark installation the same text runs in spark-sql
-- started with --jars fastq-mmap-spark<line>_<scala>-<version>.jar (after replacing the variables).

-- The reads, as a view over the fastq-mmap data source.
CREATE OR REPLACE TEMPORARY VIEW reads
USING `fastq-mmap`
OPTIONS (path '${path}');

-- Each read's length and mean Phred quality (qualities are Phred+33 whatever the input encoding).
CREATE OR REPLACE TEMPORARY VIEW read_stats AS
SELECT
  name,
  sequence,
  octet_length(sequence) AS length,
  CASE WHEN octet_length(quality) > 0 THEN
    aggregate(sequence(1, octet_length(quality)), 0L,
              (total, i) -> total + ascii(substr(quality, i, 1)) - 33)
      / octet_length(quality)
  END AS mean_quality
FROM reads;

-- Read-length histogram, in 10 bp bins.
SELECT
  10 * floor(length / 10) AS from_bp,
  10 * floor(length / 10) + 9 AS to_bp,
  count(*) AS reads,
  repeat('#', CAST(ceil(40 * count(*) / max(count(*)) OVER ()) AS INT)) AS histogram
FROM read_stats
GROUP BY 1, 2
ORDER BY 1;

-- Reads whose mean quality is under ${minQuality}.
SELECT
  count(*) AS reads,
  count_if(mean_quality < ${minQuality}) AS low_quality_reads,
  round(100 * count_if(mean_quality < ${minQuality}) / count(*), 2) AS low_quality_percent
FROM read_stats;

-- The ten worst of them.
SELECT name, length, round(mean_quality, 2) AS mean_quality
FROM read_stats
WHERE mean_quality < ${minQuality}
ORDER BY mean_quality, name
LIMIT 10;

-- Reads containing the adapter ${adapter}: a sign that adapters still need trimming.
SELECT
  count(*) AS reads,
  count_if(instr(sequence, '${adapter}') > 0) AS reads_with_adapter,
  round(100 * count_if(instr(sequence, '${adapter}') > 0) / count(*), 2) AS adapter_percent,
  round(avg(CASE WHEN instr(sequence, '${adapter}') > 0
                 THEN instr(sequence, '${adapter}') - 1 END), 1) AS mean_insert_bp
FROM read_stats;

-- A few of them, with where the adapter starts.
SELECT name, instr(sequence, '${adapter}') AS adapter_at, substr(sequence, 1, 40) AS start_of_read
FROM read_stats
WHERE instr(sequence, '${adapter}') > 0
ORDER BY adapter_at, name
LIMIT 5;
