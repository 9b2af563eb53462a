/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Internal: no compatibility promise. The BGZF block format ({@link
 * io.github.fastqmmap.bgzf.Bgzf}), its {@code .gzi} index and the BGZF writer; public only because
 * {@code stream}, {@code open} and the Spark writer use them.
 */
package io.github.fastqmmap.bgzf;
