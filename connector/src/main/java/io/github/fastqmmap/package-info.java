/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * API without Spark: {@link io.github.fastqmmap.FastqFiles} reads FASTQ files with the same opener,
 * boundary rule and parser as the Spark data source.
 */
package io.github.fastqmmap;
