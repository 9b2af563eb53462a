/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a SQL script over FASTQ files, like {@code spark-sql -f}, and prints every query's result.
 * Without {@code --file} it runs the bundled {@code reads.sql} (read-length histogram, reads under
 * a mean quality, reads containing an adapter; the file is {@code examples/sql/reads.sql}).
 *
 * <pre>
 * spark-submit --jars fastq-mmap-spark4_2.13.jar --class io.github.fastqmmap.examples.FastqSql \
 *     fastq-mmap-examples.jar [--file script.sql] [--var name=value ...] path
 * </pre>
 *
 * {@code path} becomes {@code ${path}}. Without a master from spark-submit it runs on the embedded
 * {@code local[*]}.
 */
public final class FastqSql {
  /** Where the bundled script is inside the jar. */
  public static final String BUNDLED_SCRIPT = "/io/github/fastqmmap/examples/reads.sql";

  private FastqSql() {}

  /** The default variables of the bundled script. */
  public static Map<String, String> defaultVariables() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("minQuality", "30");
    vars.put("adapter", "AGATCGGAAGAGC");
    return vars;
  }

  /** The output of one statement. */
  public static final class Result {
    public final String title;
    public final String sql;
    public final List<String> columns;
    public final List<List<String>> rows;

    Result(String title, String sql, List<String> columns, List<List<String>> rows) {
      this.title = title;
      this.sql = sql;
      this.columns = columns;
      this.rows = rows;
    }
  }

  public static void main(String[] args) throws IOException {
    String file = null;
    Map<String, String> vars = defaultVariables();
    String path = null;
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--file") || args[i].equals("--var")) && i + 1 == args.length) {
        usage(args[i] + " needs a value");
      } else if (args[i].equals("--file")) {
        file = args[++i];
      } else if (args[i].equals("--var")) {
        String[] kv = args[++i].split("=", 2);
        if (kv.length != 2) {
          usage("--var needs name=value, got " + args[i]);
        }
        vars.put(kv[0], kv[1]);
      } else if (args[i].startsWith("--")) {
        usage("unknown argument " + args[i]);
      } else if (path == null) {
        path = args[i];
      } else {
        usage("one path only (a directory or a glob reads several files): " + args[i]);
      }
    }
    if (path == null) {
      usage("no FASTQ path given");
    }
    // Inside a SQL string literal; Spark SQL escapes with a backslash.
    vars.put("path", path.replace("\\", "\\\\").replace("'", "\\'"));
    String script = file == null ? bundledScript() : Files.readString(Paths.get(file));

    SparkSession.Builder builder = SparkSession.builder().appName("fastq-mmap SQL");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      for (Result r : run(spark, script, vars)) {
        if (!r.columns.isEmpty()) {
          System.out.println("-- " + r.title);
          System.out.print(format(r));
          System.out.println();
        }
      }
    } finally {
      spark.stop();
    }
  }

  /** The bundled script's text. */
  public static String bundledScript() throws IOException {
    try (InputStream in = FastqSql.class.getResourceAsStream(BUNDLED_SCRIPT)) {
      if (in == null) {
        throw new IOException("bundled script " + BUNDLED_SCRIPT + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs every statement of the script in order; returns their results (empty for DDL). */
  public static List<Result> run(SparkSession spark, String script, Map<String, String> vars) {
    List<Result> results = new ArrayList<>();
    for (SqlScript.Statement st : SqlScript.split(SqlScript.substitute(script, vars))) {
      Dataset<Row> df = spark.sql(st.sql);
      List<String> columns = List.of(df.columns());
      List<List<String>> rows = new ArrayList<>();
      if (!columns.isEmpty()) {
        for (Row row : df.collectAsList()) {
          List<String> cells = new ArrayList<>(row.length());
          for (int i = 0; i < row.length(); i++) {
            cells.add(row.isNullAt(i) ? "NULL" : String.valueOf(row.get(i)));
          }
          rows.add(cells);
        }
      }
      results.add(new Result(st.title, st.sql, columns, rows));
    }
    return results;
  }

  /** A result as a text grid, as spark-sql and Dataset.show print it. */
  public static String format(Result r) {
    int[] widths = new int[r.columns.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = r.columns.get(c).length();
      for (List<String> row : r.rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : widths) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    rule.append('\n');
    StringBuilder out = new StringBuilder(rule);
    appendRow(out, r.columns, widths, true);
    out.append(rule);
    for (List<String> row : r.rows) {
      appendRow(out, row, widths, false);
    }
    out.append(rule);
    return out.toString();
  }

  private static void appendRow(StringBuilder out, List<String> cells, int[] widths, boolean left) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      boolean alignLeft = left || !isNumber(cell);
      out.append(' ')
          .append(String.format(Locale.ROOT, "%" + (alignLeft ? "-" : "") + widths[c] + "s", cell))
          .append(" |");
    }
    out.append('\n');
  }

  private static boolean isNumber(String s) {
    return s.matches("-?[0-9]+(\\.[0-9]+)?");
  }

  private static void usage(String problem) {
    System.err.println(
        "fastq-mmap SQL: "
            + problem
            + "\nusage: FastqSql [--file script.sql] [--var name=value ...] path");
    System.exit(2);
  }
}
