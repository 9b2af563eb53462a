/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import io.github.fastqmmap.parse.ByteSource;
import io.github.fastqmmap.parse.ByteSourceContract;
import io.github.fastqmmap.testing.BytesInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** A decompressed stream (gzip), with the smallest buffer, so that it refills and drops often. */
class StreamByteSourceContractTest extends ByteSourceContract {
  private static final StreamSources.Settings SMALL =
      new StreamSources.Settings(Decoder.STEP_BYTES, StreamByteSource.retainLimitFor(1 << 20));

  @Override
  protected ByteSource open(String name, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    byte[] gz = out.toByteArray();
    return StreamSources.open(
            new BytesInput(gz, 3000), name, Compression.GZIP, 0, gz.length, null, SMALL)
        .source();
  }
}
