/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The only class that names zstd-jni's types: loaded by {@link ZstdStreams} once it has found the
 * library, so that code without zstd-jni gets a message instead of a {@link NoClassDefFoundError}.
 * The {@code NoFinalizer} streams free their native state on {@code close()}, not in a finalizer.
 */
final class ZstdJni {
  private ZstdJni() {}

  static InputStream decompress(InputStream compressed) throws IOException {
    return new ZstdInputStreamNoFinalizer(compressed);
  }

  static OutputStream compress(OutputStream out, int level) throws IOException {
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
    zstd.setChecksum(true);
    return zstd;
  }
}
