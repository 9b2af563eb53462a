/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.MemoryByteSource;
import org.junit.jupiter.api.Test;

/**
 * The byte rules, and the reader's fast forms of them agreeing with them for every byte value: the
 * reader and the writer share one definition.
 */
class FastqSyntaxTest {
  @Test
  void rulesAcceptExactlyTheirBytes() {
    for (int v = 0; v < 256; v++) {
      byte b = (byte) v;
      boolean letter = (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z');
      assertThat(FastqSyntax.isBase(b))
          .as("base 0x%02X", v)
          .isEqualTo(letter || v == '-' || v == '.' || v == '*');
      assertThat(FastqSyntax.isNameBreaker(b))
          .as("breaker 0x%02X", v)
          .isEqualTo(v == ' ' || v == '\t');
      assertThat(FastqSyntax.isLineEnd(b))
          .as("line end 0x%02X", v)
          .isEqualTo(v == '\n' || v == '\r');
      assertThat(QualityEncoding.PHRED33.accepts(b)).isEqualTo(v >= '!' && v <= '~');
      assertThat(QualityEncoding.PHRED64.accepts(b)).isEqualTo(v >= '@' && v <= '~');
      assertThat(QualityEncoding.SOLEXA.accepts(b)).isEqualTo(v >= ';' && v <= '~');
    }
  }

  @Test
  void swarSearchesAgreeWithTheRulesForEveryByte() {
    byte[] bytes = new byte[24];
    for (int v = 0; v < 256; v++) {
      java.util.Arrays.fill(bytes, (byte) 'A');
      bytes[11] = (byte) v;
      try (MemoryByteSource memory = new MemoryByteSource("syntax", bytes, bytes.length)) {
        long base = memory.window(0, bytes.length).address();
        long end = base + bytes.length;
        assertThat(Swar.indexOfNonBase(base, end) == base + 11)
            .as("indexOfNonBase 0x%02X", v)
            .isEqualTo(!FastqSyntax.isBase((byte) v));
        assertThat(Swar.indexOfBlank(base, end) == base + 11)
            .as("indexOfBlank 0x%02X", v)
            .isEqualTo(FastqSyntax.isNameBreaker((byte) v));
        for (QualityEncoding e : QualityEncoding.values()) {
          long bad = Swar.indexOutsideRange(base, end, e.minChar(), QualityEncoding.MAX_CHAR);
          assertThat(bad == base + 11).as("%s 0x%02X", e, v).isEqualTo(!e.accepts((byte) v));
        }
      }
    }
  }

  @Test
  void messagesNameTheByteAndTheRule() {
    assertThat(FastqSyntax.describeByte((byte) '1')).isEqualTo("'1' (0x31)");
    assertThat(FastqSyntax.describeByte((byte) ' ')).isEqualTo("0x20");
    assertThat(FastqSyntax.describeByte((byte) 0xFF)).isEqualTo("0xFF");
    assertThat(FastqSyntax.badBase((byte) '1', " at byte offset 3"))
        .isEqualTo(
            "sequence character '1' (0x31) at byte offset 3 is not a letter or one of - . *");
    assertThat(FastqSyntax.badQuality((byte) ' ', "", QualityEncoding.PHRED64))
        .isEqualTo("quality character 0x20 is outside the phred64 range '@'..'~'");
    assertThat(QualityEncoding.SOLEXA.range()).isEqualTo("';'..'~'");
  }
}
