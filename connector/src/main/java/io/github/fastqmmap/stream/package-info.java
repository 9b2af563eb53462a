/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Internal: no compatibility promise. Byte sources read front to back rather than mapped: {@link
 * io.github.fastqmmap.stream.PositionalByteSource} (positional reads of a {@link
 * io.github.fastqmmap.stream.RandomAccessInput}) and {@link
 * io.github.fastqmmap.stream.StreamByteSource} over a decoder (gzip, BGZF, zstd, any input stream),
 * chosen by {@link io.github.fastqmmap.stream.StreamSources}. Public only for {@code open} and the
 * Spark package; users open files through {@code FastqFiles} or {@code open}.
 */
package io.github.fastqmmap.stream;
