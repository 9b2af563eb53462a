/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options: {@code --name value}, {@code --flag}, and repeatable names. */
final class Args {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> raw;

  /**
   * @param flags option names that take no value
   * @param known every option name allowed, or null for any
   */
  Args(String[] args, Set<String> flags, Set<String> known) {
    this.raw = List.of(args);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      String bare = eq > 0 ? name.substring(0, eq) : name;
      if (known != null && !known.contains(bare)) {
        throw new IllegalArgumentException("unknown option --" + bare);
      }
      if (eq > 0 && !flags.contains(name)) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (flags.contains(name)) {
        value = "true";
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option --" + name + " needs a value");
        }
        value = args[++i];
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  List<String> raw() {
    return raw;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String otherwise) {
    List<String> v = values.get(name);
    return v == null ? otherwise : v.get(v.size() - 1);
  }

  String require(String name) {
    String v = get(name, null);
    if (v == null) {
      throw new IllegalArgumentException("option --" + name + " is required");
    }
    return v;
  }

  int getInt(String name, int otherwise) {
    String v = get(name, null);
    return v == null ? otherwise : Integer.parseInt(v.trim());
  }

  long getLong(String name, long otherwise) {
    String v = get(name, null);
    return v == null ? otherwise : Long.parseLong(v.trim());
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** Repeated {@code --name key=value} options as a map, in order. */
  Map<String, String> options(String name) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String kv : all(name)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--" + name + " takes key=value, got '" + kv + "'");
      }
      map.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    return map;
  }
}
