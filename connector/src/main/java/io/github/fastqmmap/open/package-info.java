/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * API, free of Spark and Hadoop: how a file is opened for reading. {@link
 * io.github.fastqmmap.open.InputFile#inspect} tells once what a file holds; {@link
 * io.github.fastqmmap.open.RangeOpener} opens one byte range of it as a {@link
 * io.github.fastqmmap.parse.ByteSource}; {@link io.github.fastqmmap.open.Storage} and {@link
 * io.github.fastqmmap.open.LocalStorage} say where files live. The pair and ordinal readers ({@code
 * PairReader}, {@code Mate}, {@code OrdinalIndex}, {@code OrdinalReader}, {@code RangeCounter}) are
 * internal, public for the Spark package.
 */
package io.github.fastqmmap.open;
