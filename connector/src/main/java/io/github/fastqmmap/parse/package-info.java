/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * API, free of Spark and Hadoop: {@link io.github.fastqmmap.parse.RecordReader} reads {@link
 * io.github.fastqmmap.parse.FastqRecord}s from a {@link io.github.fastqmmap.parse.ByteSource} under
 * {@link io.github.fastqmmap.parse.ParseOptions} ({@code ParseMode}, {@code Validation}, {@code
 * QualityEncoding}), counting into {@code ParseCounters}, and fails with {@link
 * io.github.fastqmmap.parse.FastqParseException}, {@link
 * io.github.fastqmmap.parse.FileChangedDuringReadException} or {@code InvalidOptionException}. The
 * other public types ({@code ByteWindow}, {@code FastqSyntax}, {@code CompressionMagic}, {@code
 * OptionValue}, {@code NativeMemory}) are internal, public for the other packages; raw allocate and
 * free stay package-private in {@code RawMemory}.
 */
package io.github.fastqmmap.parse;
