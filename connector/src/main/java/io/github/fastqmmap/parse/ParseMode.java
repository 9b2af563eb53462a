/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

/** What a reader does with a malformed record, named as in Spark's file sources. */
public enum ParseMode implements OptionValue {
  /** Stop with an error naming the file and byte offset. */
  FAILFAST,
  /** Return the record's raw text in the corrupt-record column, other columns null. */
  PERMISSIVE,
  /** Skip the record and count it. */
  DROPMALFORMED;

  /** The spelling in messages; any case is accepted. */
  @Override
  public String optionValue() {
    return name();
  }
}
