/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.io.Serializable;

/** How records are recognised and checked. Immutable; build one with {@link #builder()}. */
public final class ParseOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default bound on one record's bytes: far above any real read, far below a Java array. */
  public static final long DEFAULT_MAX_RECORD_BYTES = 256L << 20;

  /** The largest {@code maxRecordBytes}: a value must fit a Java array and a Spark string. */
  public static final long MAX_MAX_RECORD_BYTES = Integer.MAX_VALUE - 64;

  private final ParseMode mode;
  private final Validation validation;
  private final QualityEncoding qualityEncoding;
  private final boolean multiLine;
  private final long maxRecordBytes;

  private ParseOptions(Builder b) {
    this.mode = b.mode;
    this.validation = b.validation;
    this.qualityEncoding = b.qualityEncoding;
    this.multiLine = b.multiLine;
    this.maxRecordBytes = b.maxRecordBytes;
  }

  public static ParseOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ParseMode mode() {
    return mode;
  }

  public Validation validation() {
    return validation;
  }

  public QualityEncoding qualityEncoding() {
    return qualityEncoding;
  }

  public boolean multiLine() {
    return multiLine;
  }

  public long maxRecordBytes() {
    return maxRecordBytes;
  }

  /** A copy with another mode. */
  public ParseOptions withMode(ParseMode newMode) {
    return builder()
        .mode(newMode)
        .validation(validation)
        .qualityEncoding(qualityEncoding)
        .multiLine(multiLine)
        .maxRecordBytes(maxRecordBytes)
        .build();
  }

  @Override
  public String toString() {
    return "mode="
        + mode
        + ", validation="
        + validation.optionValue()
        + ", qualityEncoding="
        + qualityEncoding.optionValue()
        + ", multiLine="
        + multiLine
        + ", maxRecordBytes="
        + maxRecordBytes;
  }

  /** Builder for {@link ParseOptions}. */
  public static final class Builder {
    private ParseMode mode = ParseMode.FAILFAST;
    private Validation validation = Validation.STRICT;
    private QualityEncoding qualityEncoding = QualityEncoding.PHRED33;
    private boolean multiLine;
    private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

    private Builder() {}

    public Builder mode(ParseMode value) {
      this.mode = value;
      return this;
    }

    public Builder validation(Validation value) {
      this.validation = value;
      return this;
    }

    public Builder qualityEncoding(QualityEncoding value) {
      this.qualityEncoding = value;
      return this;
    }

    public Builder multiLine(boolean value) {
      this.multiLine = value;
      return this;
    }

    public Builder maxRecordBytes(long value) {
      if (value < 4 || value > MAX_MAX_RECORD_BYTES) {
        throw new IllegalArgumentException(
            "maxRecordBytes must be between 4 and " + MAX_MAX_RECORD_BYTES + ", got " + value);
      }
      this.maxRecordBytes = value;
      return this;
    }

    public ParseOptions build() {
      return new ParseOptions(this);
    }
  }
}
