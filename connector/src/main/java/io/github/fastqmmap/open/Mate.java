/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.NativeMemory;
import java.nio.charset.StandardCharsets;

/**
 * One mate of a pair: its fields as (base, offset, length), in the form Spark's {@code Platform}
 * and {@link FastqRecord} use (a null base means {@code offset} is a native address). A mate either
 * points into its reader's record ({@link #view}), valid until that reader moves on, or holds a
 * copy ({@link #copy}), which an interleaved file needs because both mates come from one reader.
 */
public final class Mate {
  Object nameBase;
  long nameOffset;
  int nameLength;
  Object commentBase;
  long commentOffset;
  int commentLength = -1;
  Object sequenceBase;
  long sequenceOffset;
  int sequenceLength;
  Object qualityBase;
  long qualityOffset;
  int qualityLength;
  long reportedOffset;
  long recordOrdinal;

  /** Whether the native fields lie in a retained window ({@link FastqRecord#retained()}). */
  private boolean retained;

  private byte[] buffer = new byte[512];

  /** The text of a malformed mate (a malformed stretch of its file), or null. */
  private String malformedText;

  /** Makes this mate a malformed stretch: no fields, its text kept for the corrupt record. */
  void malformed(String text, long reported, long ordinal) {
    malformedText = text;
    retained = false;
    nameLength = 0;
    commentLength = -1;
    sequenceLength = 0;
    qualityLength = 0;
    reportedOffset = reported;
    recordOrdinal = ordinal;
  }

  /**
   * Whether the fields with a null base stay valid after the reader moves on, until its consumer
   * releases the held windows: a view of a record in a retained window, not a copy.
   */
  public boolean retained() {
    return retained;
  }

  /** Whether this mate is a malformed stretch of its file (PERMISSIVE or DROPMALFORMED). */
  public boolean isMalformed() {
    return malformedText != null;
  }

  /** Points at {@code r}'s fields, without copying. */
  void view(FastqRecord r, long reported, long ordinal) {
    malformedText = null;
    retained = r.retained();
    nameBase = null;
    nameOffset = r.nameAddress();
    nameLength = r.nameLength();
    commentBase = null;
    commentLength = r.commentLength();
    commentOffset = commentLength >= 0 ? r.commentAddress() : 0;
    sequenceBase = r.sequenceBase();
    sequenceOffset = r.sequenceOffset();
    sequenceLength = r.sequenceLength();
    qualityBase = r.qualityBase();
    qualityOffset = r.qualityOffset();
    qualityLength = r.qualityLength();
    reportedOffset = reported;
    recordOrdinal = ordinal;
  }

  /** Copies {@code r}'s fields into this mate's own buffer. */
  void copy(FastqRecord r, long reported, long ordinal) {
    view(r, reported, ordinal);
    int total = nameLength + Math.max(0, commentLength) + sequenceLength + qualityLength;
    if (buffer.length < total) {
      buffer = new byte[Math.max(total, buffer.length * 2)];
    }
    int at = 0;
    at = put(nameBase, nameOffset, nameLength, at);
    nameBase = buffer;
    nameOffset = NativeMemory.BYTE_ARRAY_OFFSET;
    if (commentLength >= 0) {
      long o = NativeMemory.BYTE_ARRAY_OFFSET + at;
      at = put(commentBase, commentOffset, commentLength, at);
      commentBase = buffer;
      commentOffset = o;
    }
    long s = NativeMemory.BYTE_ARRAY_OFFSET + at;
    at = put(sequenceBase, sequenceOffset, sequenceLength, at);
    sequenceBase = buffer;
    sequenceOffset = s;
    long q = NativeMemory.BYTE_ARRAY_OFFSET + at;
    put(qualityBase, qualityOffset, qualityLength, at);
    qualityBase = buffer;
    qualityOffset = q;
    retained = false; // every field is in this mate's own buffer now
  }

  private int put(Object base, long offset, int length, int at) {
    if (base == null) {
      NativeMemory.copyToArray(offset, buffer, at, length);
    } else {
      System.arraycopy(base, (int) (offset - NativeMemory.BYTE_ARRAY_OFFSET), buffer, at, length);
    }
    return at + length;
  }

  private static byte byteAt(Object base, long offset, int i) {
    return base == null
        ? NativeMemory.getByte(offset + i)
        : ((byte[]) base)[(int) (offset - NativeMemory.BYTE_ARRAY_OFFSET) + i];
  }

  /** The name's length without a trailing {@code /1} or {@code /2}. */
  public int pairNameLength() {
    if (nameLength >= 2
        && byteAt(nameBase, nameOffset, nameLength - 2) == '/'
        && (byteAt(nameBase, nameOffset, nameLength - 1) == '1'
            || byteAt(nameBase, nameOffset, nameLength - 1) == '2')) {
      return nameLength - 2;
    }
    return nameLength;
  }

  /** Whether two mates' names agree once a trailing {@code /1} or {@code /2} is removed. */
  public static boolean namesAgree(Mate a, Mate b) {
    int n = a.pairNameLength();
    if (n != b.pairNameLength()) {
      return false;
    }
    if (a.nameBase == null && b.nameBase == null) {
      // Both in mapped or native memory (every mate but an interleaved file's first): one test of
      // the bases per pair, not two per byte. From the end, where generated names differ (the
      // tile's coordinates), so a mismatch is usually seen at the first byte.
      long x = a.nameOffset;
      long y = b.nameOffset;
      for (int i = n - 1; i >= 0; i--) {
        if (NativeMemory.getByte(x + i) != NativeMemory.getByte(y + i)) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < n; i++) {
      if (byteAt(a.nameBase, a.nameOffset, i) != byteAt(b.nameBase, b.nameOffset, i)) {
        return false;
      }
    }
    return true;
  }

  public Object nameBase() {
    return nameBase;
  }

  public long nameOffset() {
    return nameOffset;
  }

  public int nameLength() {
    return nameLength;
  }

  public Object commentBase() {
    return commentBase;
  }

  public long commentOffset() {
    return commentOffset;
  }

  /** The comment's length, or -1 when the header has none. */
  public int commentLength() {
    return commentLength;
  }

  public Object sequenceBase() {
    return sequenceBase;
  }

  public long sequenceOffset() {
    return sequenceOffset;
  }

  public int sequenceLength() {
    return sequenceLength;
  }

  public Object qualityBase() {
    return qualityBase;
  }

  public long qualityOffset() {
    return qualityOffset;
  }

  public int qualityLength() {
    return qualityLength;
  }

  /** The record's {@code _offset} in its file (byte offset, or BGZF virtual offset). */
  public long offset() {
    return reportedOffset;
  }

  /** The record's ordinal in its file (for an interleaved file, twice the pair's, plus 0 or 1). */
  public long recordOrdinal() {
    return recordOrdinal;
  }

  /** The name as in the file, with its {@code /1} or {@code /2} if it has one. */
  public String name() {
    return string(nameBase, nameOffset, nameLength);
  }

  /** The pair's name ({@link #pairName()}) as bytes. */
  byte[] pairNameBytes() {
    byte[] b = new byte[pairNameLength()];
    for (int i = 0; i < b.length; i++) {
      b[i] = byteAt(nameBase, nameOffset, i);
    }
    return b;
  }

  /** Whether the pair's name is {@code name}. */
  boolean pairNameIs(byte[] name) {
    if (pairNameLength() != name.length) {
      return false;
    }
    for (int i = name.length - 1; i >= 0; i--) {
      if (byteAt(nameBase, nameOffset, i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** The name without a trailing {@code /1} or {@code /2}: the pair's name. */
  public String pairName() {
    return string(nameBase, nameOffset, pairNameLength());
  }

  public String comment() {
    return commentLength < 0 ? null : string(commentBase, commentOffset, commentLength);
  }

  public String sequence() {
    return string(sequenceBase, sequenceOffset, sequenceLength);
  }

  /** Quality in Phred+33. */
  public String quality() {
    return string(qualityBase, qualityOffset, qualityLength);
  }

  /** The mate as a four-line FASTQ record, for the corrupt-record text of a malformed pair. */
  public String toFastq() {
    if (malformedText != null) {
      return malformedText;
    }
    String comment = comment();
    return "@"
        + name()
        + (comment == null ? "" : " " + comment)
        + "\n"
        + sequence()
        + "\n+\n"
        + quality();
  }

  private static String string(Object base, long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = byteAt(base, offset, i);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
