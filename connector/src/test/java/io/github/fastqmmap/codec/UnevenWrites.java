/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

/** Writes bytes in uneven pieces, single bytes among them, as a writer's records come. */
final class UnevenWrites {
  private UnevenWrites() {}

  static void write(OutputStream out, byte[] data) throws IOException {
    Random random = new Random(5);
    int at = 0;
    while (at < data.length) {
      int n = Math.min(data.length - at, 1 + random.nextInt(3000));
      if (n == 1) {
        out.write(data[at]);
      } else {
        out.write(data, at, n);
      }
      at += n;
    }
  }
}
