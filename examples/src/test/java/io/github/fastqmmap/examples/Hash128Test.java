/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Hash128Test {
  @Test
  void oneLoadReadsTheBytesLittleEndian() {
    Random random = new Random(13);
    byte[] b = new byte[64];
    random.nextBytes(b);
    for (int i = 0; i + 8 <= b.length; i++) {
      assertThat(Hash128.getLong(b, i)).isEqualTo(Hash128.getLongBytes(b, i));
    }
  }

  @Test
  void oneLoadStaysInTheArray() {
    assertThatThrownBy(() -> Hash128.getLong(new byte[8], 1))
        .isInstanceOf(ArrayIndexOutOfBoundsException.class)
        .hasMessageContaining("1");
  }

  @Test
  void hashesOfLongSequencesAreStable() {
    // Computed with the byte-by-byte reads before they became one load each.
    byte[] s =
        "ACGTACGTTTGACCANNNACGTAGCTAGCTAGGGATCCATCGATCGATCGATTTAGC"
            .getBytes(StandardCharsets.US_ASCII);
    long[] h = new long[2];
    Hash128.hash(s, 50, h);
    assertThat(h).containsExactly(H1, H2);
  }

  private static final long H1 = -2356622169252106940L;
  private static final long H2 = -4608735326762163546L;
}
