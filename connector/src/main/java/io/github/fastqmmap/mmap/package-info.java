/**
 * Internal, free of Spark and Hadoop: mapping windows of a local file with {@code mmap} and {@code
 * madvise} through JNA, and counting what that costs (faults, calls). {@link
 * io.github.fastqmmap.mmap.MappingOptions} and {@link io.github.fastqmmap.mmap.ReadAdvice} are part
 * of the API of {@code FastqFiles}; the rest is public only for {@code open}.
 */
package io.github.fastqmmap.mmap;
