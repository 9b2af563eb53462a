/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Mapping windows of a local file with {@code mmap} and {@code madvise} through JNA, free of Spark
 * and Hadoop. API: the option types of {@code FastqFiles} ({@link
 * io.github.fastqmmap.mmap.MappingOptions}, {@link io.github.fastqmmap.mmap.ReadAdvice}, {@link
 * io.github.fastqmmap.mmap.WindowRead}) and {@link io.github.fastqmmap.mmap.MappingCounters}; the
 * other public types are internal (no compatibility promise), public for {@code open} and Spark.
 */
package io.github.fastqmmap.mmap;
