/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** One gzip stream of the JDK's zlib at its default level: gzip output without libdeflate. */
public final class JdkGzipOutputStream extends GZIPOutputStream implements Deflating {
  // Counted here: the deflater's own count is gone once close() has ended it.
  private long bytesDeflated;

  public JdkGzipOutputStream(OutputStream out) throws IOException {
    super(out, 64 << 10);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    super.write(b, off, len);
    bytesDeflated += len;
  }

  @Override
  public long bytesDeflated() {
    return bytesDeflated;
  }

  @Override
  public boolean deflatesNatively() {
    return false;
  }
}
