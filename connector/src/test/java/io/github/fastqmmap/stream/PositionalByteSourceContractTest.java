/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteSourceContract;
import io.github.fastqmmap.testing.BytesInput;

/** Positional reads (HDFS, object stores), with short reads and a small read size. */
class PositionalByteSourceContractTest extends ByteSourceContract {
  @Override
  protected ByteSource open(String name, byte[] data) {
    return new PositionalByteSource(new BytesInput(data, 1000), name, 4096);
  }
}
