/**
 * API, free of Spark and Hadoop: how a file is opened for reading. {@link
 * io.github.fastqmmap.open.InputFile#inspect} tells once what a file holds (its format by magic
 * number, its BGZF index); {@link io.github.fastqmmap.open.RangeOpener} opens one byte range of it
 * as a {@link io.github.fastqmmap.parse.ByteSource} (mapping, positional reads or a decoder);
 * {@link io.github.fastqmmap.open.Storage} says where files live. {@code FastqFiles} and the Spark
 * data source both open files only through here.
 */
package io.github.fastqmmap.open;
