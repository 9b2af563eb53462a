/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/**
 * A bad option value: the message names the option, the value and everything that is accepted, so
 * that a user can fix the call from the message alone.
 */
public final class InvalidOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  /**
   * {@code expected} completes "expected ...", such as {@code "true or false"} or {@code "one of
   * strict, basic"}.
   */
  public InvalidOptionException(String key, String value, String expected) {
    super(
        "Invalid value '"
            + value
            + "' for fastq-mmap option '"
            + key
            + "': expected "
            + expected
            + ".");
    this.key = key;
    this.value = value;
  }

  /** The option's key as declared. */
  public String key() {
    return key;
  }

  /** The value as given. */
  public String value() {
    return value;
  }
}
