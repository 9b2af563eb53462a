/**
 * API, free of Spark and Hadoop: the FASTQ rules ({@link io.github.fastqmmap.parse.FastqSyntax}),
 * the record boundary rule and the reader of records from a {@link
 * io.github.fastqmmap.parse.ByteSource} ({@link io.github.fastqmmap.parse.RecordReader}), with its
 * options, modes and errors. Counters and {@code RawMemory} are public for the other packages, not
 * for users.
 */
package io.github.fastqmmap.parse;
