/**
 * Internal, free of Spark: byte sources that are not mappings (positional reads, and streams
 * decoded from gzip, BGZF and bzip2), the BGZF block format and index, and the BGZF writer. Public
 * for {@code open} and the Spark package; {@link io.github.fastqmmap.stream.Compression} is the one
 * type users meet.
 */
package io.github.fastqmmap.stream;
