/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import io.github.fastqmmap.testing.MemoryByteSource;

/** The test source, with small isolated windows, keeps the contract the tests rely on. */
class MemoryByteSourceContractTest extends ByteSourceContract {
  @Override
  protected ByteSource open(String name, byte[] data) {
    return new MemoryByteSource(name, data, 7, true);
  }

  @Override
  protected boolean readsStorage() {
    return false;
  }
}
