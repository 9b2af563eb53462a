package io.github.fastqmmap.mmap;

import java.util.Locale;

/** How the kernel should expect a mapped window to be read; passed to {@code madvise}. */
public enum ReadAdvice {
  NORMAL(0),
  RANDOM(1),
  SEQUENTIAL(2),
  WILLNEED(3);

  private final int madviseValue;

  ReadAdvice(int madviseValue) {
    this.madviseValue = madviseValue;
  }

  int madviseValue() {
    return madviseValue;
  }

  /** The option spelling: {@code normal}, {@code sequential}, {@code random}, {@code willneed}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an option value, case-insensitively. */
  public static ReadAdvice fromOption(String value) {
    for (ReadAdvice advice : values()) {
      if (advice.optionValue().equalsIgnoreCase(value.trim())) {
        return advice;
      }
    }
    throw new IllegalArgumentException(
        "Unknown read advice '"
            + value
            + "'. Supported values are normal, sequential, random, willneed.");
  }
}
