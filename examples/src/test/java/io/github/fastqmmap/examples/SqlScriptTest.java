/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    List<SqlScript.Statement> st =
        SqlScript.split(
            "-- header of the file\n\n"
                + "-- first\nSELECT ';' AS a;\n"
                + "-- second, with a ; in the comment\n-- on two lines\n"
                + "SELECT `x;y`, \"q;\" /* ; */ FROM t;\n\n-- trailing comment only\n");
    assertThat(st).hasSize(2);
    assertThat(st.get(0).title).isEqualTo("first");
    assertThat(st.get(0).sql).isEqualTo("SELECT ';' AS a");
    assertThat(st.get(1).title).isEqualTo("second, with a ; in the comment on two lines");
    assertThat(st.get(1).sql).isEqualTo("SELECT `x;y`, \"q;\" /* ; */ FROM t");
  }

  @Test
  void substitutesVariablesAndNamesMissingOnes() {
    assertThat(SqlScript.substitute("a ${x} b ${y}", Map.of("x", "1", "y", "$2")))
        .isEqualTo("a 1 b $2");
    assertThatThrownBy(() -> SqlScript.substitute("${nope}", Map.of("x", "1")))
        .hasMessageContaining("${nope}")
        .hasMessageContaining("[x]");
  }

  @Test
  void bundledScriptHasAViewAndFiveQueries() throws IOException {
    Map<String, String> vars = FastqSql.defaultVariables();
    vars.put("path", "/data/x.fastq");
    List<SqlScript.Statement> st =
        SqlScript.split(SqlScript.substitute(FastqSql.bundledScript(), vars));
    assertThat(st).hasSize(7);
    assertThat(st.get(0).sql).contains("USING `fastq-mmap`").contains("path '/data/x.fastq'");
    assertThat(st.get(2).title).startsWith("Read-length histogram");
  }
}
