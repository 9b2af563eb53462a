/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.InvalidOptionException;
import io.github.fastqmmap.parse.OptionValue;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * One option of the data source, declared once (in {@link FastqOptions}): its key, its default
 * (which may come from the session conf), how its value is parsed and checked, and what it means.
 * Declaring an option also makes its key known, so that it is not warned about as unknown.
 */
final class FastqOption<T> {
  /** Parses a value given under {@code key}, or throws {@link InvalidOptionException}. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String key, String value);
  }

  private static final Map<String, FastqOption<?>> DECLARED = new ConcurrentHashMap<>();

  private final String key;
  private final Function<SQLConf, T> defaultValue;
  private final Parser<T> parser;
  private final String doc;

  private FastqOption(String key, Function<SQLConf, T> defaultValue, Parser<T> parser, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.doc = doc;
    if (DECLARED.putIfAbsent(key.toLowerCase(Locale.ROOT), this) != null) {
      throw new IllegalStateException("Option " + key + " is declared twice");
    }
  }

  static <T> FastqOption<T> of(
      String key, Function<SQLConf, T> defaultValue, Parser<T> parser, String doc) {
    return new FastqOption<>(key, defaultValue, parser, doc);
  }

  /** Free text; absent means null. */
  static FastqOption<String> text(String key, String doc) {
    return of(key, conf -> null, (k, v) -> v, doc);
  }

  static FastqOption<Boolean> bool(String key, boolean defaultValue, String doc) {
    return bool(key, conf -> defaultValue, doc);
  }

  static FastqOption<Boolean> bool(
      String key, Function<SQLConf, Boolean> defaultValue, String doc) {
    return of(key, defaultValue, FastqOption::parseBoolean, doc);
  }

  /** A size in bytes within {@code [min, max]}, in Spark's byte strings ({@code 64m}). */
  static FastqOption<Long> size(String key, long defaultValue, long min, long max, String doc) {
    return size(key, conf -> defaultValue, min, max, doc);
  }

  static FastqOption<Long> size(
      String key, Function<SQLConf, Long> defaultValue, long min, long max, String doc) {
    return of(key, defaultValue, (k, v) -> parseSize(k, v, min, max), doc);
  }

  /** One constant of an enum, by its {@link OptionValue} spellings. */
  static <E extends Enum<E> & OptionValue> FastqOption<E> choice(
      String key, Class<E> type, E defaultValue, String doc) {
    return of(key, conf -> defaultValue, (k, v) -> OptionValue.parse(type, k, v), doc);
  }

  String key() {
    return key;
  }

  String doc() {
    return doc;
  }

  /** The value given under this key (in any case), else the default. */
  T get(CaseInsensitiveStringMap options, SQLConf conf) {
    String value = options.get(key);
    return value == null ? defaultValue.apply(conf) : parser.parse(key, value);
  }

  /** Whether {@code key} (in any case) is a declared option. */
  static boolean isDeclared(String key) {
    return DECLARED.containsKey(key.toLowerCase(Locale.ROOT));
  }

  /** Every declared option. */
  static Collection<FastqOption<?>> declared() {
    return Collections.unmodifiableCollection(DECLARED.values());
  }

  private static boolean parseBoolean(String key, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new InvalidOptionException(key, value, "true or false");
    }
  }

  private static long parseSize(String key, String value, long min, long max) {
    long bytes;
    try {
      bytes = JavaUtils.byteStringAsBytes(value.trim());
    } catch (RuntimeException e) {
      throw new InvalidOptionException(
          key, value, "a size in bytes, such as 1048576, 512k, 64m or 1g");
    }
    if (bytes < min || bytes > max) {
      throw new InvalidOptionException(key, value, "a size from " + min + " to " + max + " bytes");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return key;
  }
}
