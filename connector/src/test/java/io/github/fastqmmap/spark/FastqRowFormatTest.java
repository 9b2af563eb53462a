/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The writer's checks, which apply the reader's byte rules (FastqSyntax), without a session. */
class FastqRowFormatTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("name", DataTypes.StringType)
          .add("comment", DataTypes.StringType)
          .add("sequence", DataTypes.StringType)
          .add("quality", DataTypes.StringType);

  private static final FastqRowFormat FORMAT = FastqRowFormat.of(SCHEMA);

  private static InternalRow row(String... values) {
    Object[] cells = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      cells[i] = values[i] == null ? null : UTF8String.fromString(values[i]);
    }
    return new GenericInternalRow(cells);
  }

  private static String write(String... values) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FORMAT.write(row(values), 7, 3, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesFourLineRecords() throws IOException {
    assertThat(write("r1", "x=1", "ACgt-.*N", "!~II#I5I"))
        .isEqualTo("@r1 x=1\nACgt-.*N\n+\n!~II#I5I\n");
    assertThat(write("r2", null, "", "")).isEqualTo("@r2\n\n+\n\n");
  }

  @Test
  void brokenRulesNameTheByteItsOffsetAndTheRule() {
    String[][] cases = {
      {
        "r\t1", null, "A", "I", "the name holds 0x09 at byte offset 1, and a name ends at the first"
      },
      {"r1\r", null, "A", "I", "the name holds 0x0D at byte offset 2"},
      {"r1", "a\nb", "A", "I", "the comment holds the line end 0x0A at byte offset 1"},
      {"r1", " a", "A", "I", "the comment starts with a space or tab (it would not read back)"},
      {"r1", null, "AC1", "III", "sequence character '1' (0x31) at byte offset 2 is not a letter"},
      {
        "r1",
        null,
        "AC",
        "I\u007F",
        "quality character 0x7F at byte offset 1 is outside the phred33"
      },
      // Past the first words, where the checks test eight or sixteen bytes at a time.
      {
        "SRR000001.1234/1:lane_7 x",
        null,
        "A",
        "I",
        "the name holds 0x20 at byte offset 23, and a name ends at the first"
      },
      {"r1", "BC:Z:ACGTACGT\tRG:Z:x\r", "A", "I", "the line end 0x0D at byte offset 20"},
      {
        "r1",
        null,
        "ACGTNACGTNacgtn-.*ACGTACGTACGT=A",
        "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIII",
        "sequence character '=' (0x3D) at byte offset 30 is not a letter"
      },
      {
        "r1",
        null,
        "ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT",
        "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII III",
        "quality character 0x20 at byte offset 36 is outside the phred33"
      }
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> write(c[0], c[1], c[2], c[3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot write row 7 of write task 3 (read '")
          .hasMessageContaining(c[4])
          .hasMessageEndingWith(
              ". Fix or filter such rows before writing; nothing of this write is committed.");
    }
  }
}
