/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed record, as a view of the bytes it was parsed from. The reader reuses one instance: a
 * record is valid until the reader's next call to {@code next()}.
 *
 * <p>Each field is exposed as a Spark-style {@code (base, offset, length)} triple for copying with
 * {@code Unsafe}: base {@code null} and a native address while the field is contiguous in the
 * input, or a byte array when the field had to be joined (wrapped lines) or converted (quality in
 * Phred+64 or Solexa). The string accessors are for convenience and allocate.
 */
public final class FastqRecord {
  long offset;
  long end;

  long titleAddress;
  int titleLength;

  /** The title is split into name and comment only when one of them is asked for. */
  private boolean titleSplit;

  private int nameLength;
  private long commentAddress;
  private int commentLength = -1;

  long sequenceAddress;
  int sequenceLength;
  long qualityAddress;
  int qualityLength;

  /** Wrapped records: (address, length) pairs of each sequence and quality line. */
  final LineParts sequenceParts = new LineParts();

  final LineParts qualityParts = new LineParts();
  boolean wrapped;

  /** Whether the native fields lie in a retained window ({@link ByteWindow#retained()}). */
  boolean retained;

  private final QualityEncoding encoding;
  private byte[] sequenceScratch = new byte[256];
  private byte[] qualityScratch = new byte[256];
  private boolean sequencePrepared;
  private boolean qualityPrepared;
  private Object sequenceBase;
  private long sequenceOffset;
  private Object qualityBase;
  private long qualityOffset;

  FastqRecord(QualityEncoding encoding) {
    this.encoding = encoding;
  }

  /** Called by the scanner before it fills the record. */
  void reset() {
    titleSplit = false;
    wrapped = false;
    sequenceParts.clear();
    qualityParts.clear();
    sequencePrepared = false;
    qualityPrepared = false;
  }

  /**
   * Whether the fields given by a native address (base {@code null}) stay valid after the reader
   * moves on, until its consumer releases the source's held buffers ({@link
   * ByteWindow#retained()}).
   */
  public boolean retained() {
    return retained;
  }

  /** Byte offset of the record's {@code '@'} in its file. */
  public long offset() {
    return offset;
  }

  /** Byte offset just past the record (past its last newline, if it has one). */
  public long endOffset() {
    return end;
  }

  /** Length of the record in bytes, from its '@' to its end. */
  public long byteLength() {
    return end - offset;
  }

  public long nameAddress() {
    return titleAddress;
  }

  public int nameLength() {
    splitTitle();
    return nameLength;
  }

  /** Whether the header has a comment after the name. */
  public boolean hasComment() {
    splitTitle();
    return commentLength >= 0;
  }

  public long commentAddress() {
    splitTitle();
    return commentAddress;
  }

  /** Length of the comment, or -1 when there is none. */
  public int commentLength() {
    splitTitle();
    return commentLength;
  }

  /** Name up to the first space or tab; comment after that run of blanks, if anything is left. */
  private void splitTitle() {
    if (titleSplit) {
      return;
    }
    titleSplit = true;
    long end = titleAddress + titleLength;
    long p = Swar.indexOfBlank(titleAddress, end);
    nameLength = (int) (p - titleAddress);
    while (p < end) {
      byte b = RawMemory.getByte(p);
      if (!FastqSyntax.isNameBreaker(b)) {
        break;
      }
      p++;
    }
    commentAddress = p;
    commentLength = p < end ? (int) (end - p) : -1;
  }

  public int sequenceLength() {
    return sequenceLength;
  }

  public Object sequenceBase() {
    prepareSequence();
    return sequenceBase;
  }

  public long sequenceOffset() {
    prepareSequence();
    return sequenceOffset;
  }

  public int qualityLength() {
    return qualityLength;
  }

  /** Quality in Phred+33, converted from the input's encoding if needed. */
  public Object qualityBase() {
    prepareQuality();
    return qualityBase;
  }

  public long qualityOffset() {
    prepareQuality();
    return qualityOffset;
  }

  public String name() {
    return string(null, titleAddress, nameLength());
  }

  /** The header's comment, or null. */
  public String comment() {
    return hasComment() ? string(null, commentAddress, commentLength) : null;
  }

  public String sequence() {
    return string(sequenceBase(), sequenceOffset(), sequenceLength);
  }

  /** Quality in Phred+33. */
  public String quality() {
    return string(qualityBase(), qualityOffset(), qualityLength);
  }

  private void prepareSequence() {
    if (sequencePrepared) {
      return;
    }
    sequencePrepared = true;
    if (!wrapped) {
      sequenceBase = null;
      sequenceOffset = sequenceAddress;
      return;
    }
    sequenceScratch = sequenceParts.join(sequenceScratch, sequenceLength);
    sequenceBase = sequenceScratch;
    sequenceOffset = RawMemory.BYTE_ARRAY_OFFSET;
  }

  private void prepareQuality() {
    if (qualityPrepared) {
      return;
    }
    qualityPrepared = true;
    if (!wrapped && !encoding.converts()) {
      qualityBase = null;
      qualityOffset = qualityAddress;
      return;
    }
    if (wrapped) {
      qualityScratch = qualityParts.join(qualityScratch, qualityLength);
    } else {
      if (qualityScratch.length < qualityLength) {
        qualityScratch = new byte[Math.max(qualityLength, qualityScratch.length * 2)];
      }
      RawMemory.copyToArray(qualityAddress, qualityScratch, 0, qualityLength);
    }
    if (encoding.converts()) {
      for (int i = 0; i < qualityLength; i++) {
        qualityScratch[i] = encoding.toPhred33(qualityScratch[i]);
      }
    }
    qualityBase = qualityScratch;
    qualityOffset = RawMemory.BYTE_ARRAY_OFFSET;
  }

  private static String string(Object base, long offset, int length) {
    byte[] bytes = new byte[length];
    if (base == null) {
      RawMemory.copyToArray(offset, bytes, 0, length);
    } else {
      System.arraycopy(base, (int) (offset - RawMemory.BYTE_ARRAY_OFFSET), bytes, 0, length);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "FastqRecord{offset=" + offset + ", name=" + name() + ", length=" + sequenceLength + "}";
  }

  /** The lines of a wrapped field, as (address, length) pairs. */
  static final class LineParts {
    private long[] parts = new long[16];
    private int count;

    void clear() {
      count = 0;
    }

    void add(long address, int length) {
      if (count + 2 > parts.length) {
        parts = Arrays.copyOf(parts, parts.length * 2);
      }
      parts[count++] = address;
      parts[count++] = length;
    }

    /** Copies the lines into {@code scratch} (or a larger array) and returns it. */
    byte[] join(byte[] scratch, int totalLength) {
      byte[] dest = scratch.length >= totalLength ? scratch : new byte[totalLength];
      int pos = 0;
      for (int i = 0; i < count; i += 2) {
        int len = (int) parts[i + 1];
        RawMemory.copyToArray(parts[i], dest, pos, len);
        pos += len;
      }
      return dest;
    }
  }
}
