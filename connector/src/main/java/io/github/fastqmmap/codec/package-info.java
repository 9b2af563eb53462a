/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Internal: no compatibility promise. Inflate and deflate through native libraries (ISA-L,
 * libdeflate) loaded with JNA, with the JDK's zlib as the fallback; public only because {@code
 * stream} and the metrics use it.
 */
package io.github.fastqmmap.codec;
