package io.github.fastqmmap.parse;

import java.util.Locale;

/** What a reader does with a malformed record, named as in Spark's file sources. */
public enum ParseMode {
  /** Stop with an error naming the file and byte offset. */
  FAILFAST,
  /** Return the record's raw text in the corrupt-record column, other columns null. */
  PERMISSIVE,
  /** Skip the record and count it. */
  DROPMALFORMED;

  public static ParseMode fromOption(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    for (ParseMode m : values()) {
      if (m.name().equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "Unknown mode '"
            + value
            + "'. Supported values are FAILFAST, PERMISSIVE, DROPMALFORMED (case-insensitive).");
  }
}
