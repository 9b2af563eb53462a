package io.github.fastqmmap.parse;

import java.util.Locale;

/** How much of a record is checked beyond its structure. */
public enum Validation {
  /**
   * Structure and lengths, plus: sequence characters are letters or {@code - . *}, quality
   * characters lie in the encoding's range, and a title on the '+' line equals the header's.
   */
  STRICT,
  /** Structure and lengths only. */
  BASIC;

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Validation fromOption(String value) {
    for (Validation v : values()) {
      if (v.optionValue().equalsIgnoreCase(value.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "Unknown validation '" + value + "'. Supported values are strict, basic.");
  }
}
