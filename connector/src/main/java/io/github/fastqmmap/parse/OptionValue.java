/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * An enum constant that an option selects by name. One parser serves every such enum: values match
 * case-insensitively and ignoring surrounding blanks, and a bad value's message lists every
 * accepted spelling, aliases included.
 */
public interface OptionValue {
  /** The spelling shown in messages and {@code EXPLAIN}. */
  String optionValue();

  /** Other spellings that select this constant too. */
  default List<String> aliases() {
    return List.of();
  }

  /**
   * The constant of {@code type} that {@code value} names.
   *
   * @throws InvalidOptionException naming {@code key} and every accepted value, when none matches
   */
  static <E extends Enum<E> & OptionValue> E parse(Class<E> type, String key, String value) {
    String v = value.trim();
    for (E e : type.getEnumConstants()) {
      if (e.optionValue().equalsIgnoreCase(v)) {
        return e;
      }
      for (String alias : e.aliases()) {
        if (alias.equalsIgnoreCase(v)) {
          return e;
        }
      }
    }
    throw new InvalidOptionException(key, value, "one of " + accepted(type));
  }

  /** Every accepted value, in declaration order, such as {@code none (or uncompressed), gzip}. */
  static <E extends Enum<E> & OptionValue> String accepted(Class<E> type) {
    List<String> all = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      List<String> aliases = e.aliases();
      all.add(
          aliases.isEmpty()
              ? e.optionValue()
              : e.optionValue() + " (or " + String.join(", ", aliases) + ")");
    }
    return String.join(", ", all);
  }
}
