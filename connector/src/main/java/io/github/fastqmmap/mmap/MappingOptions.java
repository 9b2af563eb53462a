/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import java.io.Serializable;

/**
 * How a file is mapped: window size, kernel advice and the optional prefetch, drop-behind,
 * populate, lock and huge-page behaviours. Immutable; build one with {@link #builder()}.
 */
public final class MappingOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Default window. The sweep in docs/measurements/read-benchmark.md found 4 MiB to 256 MiB within
   * a few percent of each other with the page cache warm; 16 MiB was as fast as any and keeps a
   * task's mapped resident set at a quarter of 64 MiB's.
   */
  public static final long DEFAULT_WINDOW_BYTES = 16L << 20;

  /**
   * Default {@code MADV_WILLNEED} distance ahead of the cursor: none. In the sweep
   * (docs/measurements/read-benchmark.md) every prefetch distance was as fast or slower with the
   * page cache warm (the advice walks cached pages for nothing), and {@code readAdvice=sequential}
   * already makes the kernel read ahead of a cold file.
   */
  public static final long DEFAULT_PREFETCH_BYTES = 0;

  private final long windowBytes;
  private final long prefetchBytes;
  private final ReadAdvice readAdvice;
  private final boolean dropBehind;
  private final boolean populate;
  private final boolean lock;
  private final boolean hugePages;
  private final WindowRead windowRead;

  private MappingOptions(Builder b) {
    this.windowBytes = b.windowBytes;
    this.prefetchBytes = b.prefetchBytes;
    this.readAdvice = b.readAdvice;
    this.dropBehind = b.dropBehind;
    this.populate = b.populate;
    this.lock = b.lock;
    this.hugePages = b.hugePages;
    this.windowRead = b.windowRead;
  }

  public static MappingOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public long windowBytes() {
    return windowBytes;
  }

  public long prefetchBytes() {
    return prefetchBytes;
  }

  public ReadAdvice readAdvice() {
    return readAdvice;
  }

  public boolean dropBehind() {
    return dropBehind;
  }

  public boolean populate() {
    return populate;
  }

  public boolean lock() {
    return lock;
  }

  public boolean hugePages() {
    return hugePages;
  }

  /** Whether windows are mapped, copied, or chosen per window from a fault probe. */
  public WindowRead windowRead() {
    return windowRead;
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return builder()
        .windowBytes(windowBytes)
        .prefetchBytes(prefetchBytes)
        .readAdvice(readAdvice)
        .dropBehind(dropBehind)
        .populate(populate)
        .lock(lock)
        .hugePages(hugePages)
        .windowRead(windowRead);
  }

  @Override
  public String toString() {
    return "windowBytes="
        + windowBytes
        + ", prefetchBytes="
        + prefetchBytes
        + ", readAdvice="
        + readAdvice.optionValue()
        + (dropBehind ? ", dropBehind" : "")
        + (populate ? ", populate" : "")
        + (lock ? ", lock" : "")
        + (hugePages ? ", hugePages" : "")
        + (windowRead != WindowRead.AUTO ? ", windowRead=" + windowRead.optionValue() : "");
  }

  /** Builder for {@link MappingOptions}. */
  public static final class Builder {
    private long windowBytes = DEFAULT_WINDOW_BYTES;
    private long prefetchBytes = DEFAULT_PREFETCH_BYTES;
    private ReadAdvice readAdvice = ReadAdvice.SEQUENTIAL;
    private boolean dropBehind;
    private boolean populate;
    private boolean lock;
    private boolean hugePages;
    private WindowRead windowRead = WindowRead.AUTO;

    private Builder() {}

    public Builder windowBytes(long value) {
      if (value <= 0) {
        throw new IllegalArgumentException("windowBytes must be positive, got " + value);
      }
      this.windowBytes = value;
      return this;
    }

    public Builder prefetchBytes(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("prefetchBytes must be 0 or positive, got " + value);
      }
      this.prefetchBytes = value;
      return this;
    }

    public Builder readAdvice(ReadAdvice value) {
      this.readAdvice = value;
      return this;
    }

    public Builder dropBehind(boolean value) {
      this.dropBehind = value;
      return this;
    }

    public Builder populate(boolean value) {
      this.populate = value;
      return this;
    }

    public Builder lock(boolean value) {
      this.lock = value;
      return this;
    }

    public Builder hugePages(boolean value) {
      this.hugePages = value;
      return this;
    }

    public Builder windowRead(WindowRead value) {
      this.windowRead = value;
      return this;
    }

    public MappingOptions build() {
      return new MappingOptions(this);
    }
  }
}
