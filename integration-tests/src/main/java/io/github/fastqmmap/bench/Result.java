/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark case's outcome as named values, written by the Spark JVM as one line of {@code
 * key=value} pairs separated by tabs and read back by the harness that started it.
 */
final class Result {
  static final String OK = "exact";
  static final String WRONG = "WRONG";
  static final String FAILED = "FAILED";

  private final Map<String, String> values = new LinkedHashMap<>();

  Result put(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  String get(String key) {
    return values.get(key);
  }

  String get(String key, String otherwise) {
    return values.getOrDefault(key, otherwise);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  long getLong(String key, long otherwise) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? otherwise : Long.parseLong(v);
  }

  double getDouble(String key, double otherwise) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? otherwise : Double.parseDouble(v);
  }

  /** The run times in seconds, in run order. */
  double[] seconds() {
    String v = values.get("seconds");
    if (v == null || v.isEmpty()) {
      return new double[0];
    }
    return Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  String line() {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      parts.add(escape(e.getKey()) + "=" + escape(e.getValue()));
    }
    return String.join("\t", parts);
  }

  static Result parse(String line) {
    Result r = new Result();
    for (String part : line.split("\t")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        r.values.put(unescape(part.substring(0, eq)), unescape(part.substring(eq + 1)));
      }
    }
    return r;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The median of the values (the mean of the middle two for an even count). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  static long median(long[] values) {
    if (values.length == 0) {
      return -1;
    }
    long[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
