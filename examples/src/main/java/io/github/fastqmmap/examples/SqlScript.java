/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script split into statements, each with the comment lines written just above it as its
 * title. Semicolons inside quotes, back-quotes and comments do not end a statement; {@code ${name}}
 * variables are replaced before splitting.
 */
public final class SqlScript {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private SqlScript() {}

  /** One statement: its title (comment text, may be empty) and its SQL without comments. */
  public static final class Statement {
    public final String title;
    public final String sql;

    Statement(String title, String sql) {
      this.title = title;
      this.sql = sql;
    }
  }

  /** Replaces every {@code ${name}}; an unknown name is an error that lists the known ones. */
  public static String substitute(String text, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "the SQL script uses ${"
                + m.group(1)
                + "}, which is not set; set: "
                + variables.keySet());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Splits a script into statements. */
  public static List<Statement> split(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < n && script.charAt(end) != c) {
          end += script.charAt(end) == '\\' && c != '`' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
        current.append(script, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(script, i, end);
        i = end;
      } else if (c == ';') {
        add(statements, current.toString());
        current.setLength(0);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current.toString());
    return statements;
  }

  private static void add(List<Statement> statements, String chunk) {
    List<String> title = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    for (String line : chunk.split("\n", -1)) {
      String t = line.strip();
      if (sql.length() == 0) {
        if (t.isEmpty()) {
          title.clear(); // only the comment block right above the statement is its title
        } else if (t.startsWith("--")) {
          title.add(t.substring(2).strip());
        } else {
          sql.append(line.stripTrailing());
        }
      } else if (!t.startsWith("--")) {
        sql.append('\n').append(line.stripTrailing());
      }
    }
    String text = sql.toString().strip();
    if (!text.isEmpty()) {
      statements.add(new Statement(String.join(" ", title), text));
    }
  }
}
