/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.FastqRecord;
import org.apache.spark.unsafe.Platform;

/**
 * A Casava 1.8+ header, {@code @<instrument>:<run>:<flowcell>:<lane>:<tile>:<x>:<y>
 * <read>:<filtered>:<control>:<index>}, parsed in place from a record's name and comment (no copy,
 * no object per record). Only the comment's first word is read: what follows a space or tab after
 * the index is left alone. The string fields stay addresses into the record until written.
 */
final class IlluminaHeader {
  private static final String[] NAME_FIELDS = {
    "instrument", "run", "flowcell", "lane", "tile", "x", "y"
  };
  private static final String[] COMMENT_FIELDS = {"read", "filtered", "control", "index"};

  long instrumentAddress;
  int instrumentLength;
  int run;
  long flowcellAddress;
  int flowcellLength;
  int lane;
  int tile;
  int x;
  int y;
  int read;
  boolean filtered;
  int control;
  long indexAddress;
  int indexLength;

  /** Why the last {@link #parse} failed, or null. */
  private String problem;

  private final long[] starts = new long[7];
  private final int[] lengths = new int[7];

  /** Parses the record's header; false (with {@link #problem()}) when it is not Casava 1.8+. */
  boolean parse(FastqRecord r) {
    problem = null;
    int n = split(r.nameAddress(), r.nameLength(), 7);
    if (n != 7) {
      return fail(
          "expected 7 fields separated by ':' in the read name"
              + " (instrument:run:flowcell:lane:tile:x:y), found "
              + (n > 7 ? "more" : String.valueOf(n)));
    }
    for (int i = 0; i < 7; i++) {
      if (lengths[i] == 0) {
        return fail("the field '" + NAME_FIELDS[i] + "' of the read name is empty");
      }
    }
    instrumentAddress = starts[0];
    instrumentLength = lengths[0];
    flowcellAddress = starts[2];
    flowcellLength = lengths[2];
    long v;
    if ((v = number(1)) < 0) {
      return false;
    }
    run = (int) v;
    if ((v = number(3)) < 0) {
      return false;
    }
    lane = (int) v;
    if ((v = number(4)) < 0) {
      return false;
    }
    tile = (int) v;
    if ((v = number(5)) < 0) {
      return false;
    }
    x = (int) v;
    if ((v = number(6)) < 0) {
      return false;
    }
    y = (int) v;
    if (!r.hasComment()) {
      return fail(
          "the header has no comment; expected 'read:filtered:control:index' after the name");
    }
    int word = 0;
    long comment = r.commentAddress();
    while (word < r.commentLength()) {
      byte b = Platform.getByte(null, comment + word);
      if (b == ' ' || b == '\t') {
        break;
      }
      word++;
    }
    n = split(comment, word, 4);
    if (n != 4) {
      return fail(
          "expected 4 fields separated by ':' in the comment (read:filtered:control:index),"
              + " found "
              + (n > 4 ? "more" : String.valueOf(n)));
    }
    if ((v = number(0, COMMENT_FIELDS)) < 0) {
      return false;
    }
    read = (int) v;
    byte flag = lengths[1] == 1 ? Platform.getByte(null, starts[1]) : 0;
    if (flag != 'Y' && flag != 'N') {
      return fail("the field 'filtered' must be Y or N, found '" + text(1) + "'");
    }
    filtered = flag == 'Y';
    if ((v = number(2, COMMENT_FIELDS)) < 0) {
      return false;
    }
    control = (int) v;
    indexAddress = starts[3];
    indexLength = lengths[3];
    return true;
  }

  /** Why the last {@link #parse} failed, or null. */
  String problem() {
    return problem;
  }

  private boolean fail(String why) {
    problem = "malformed Illumina (Casava 1.8+) header: " + why;
    return false;
  }

  /**
   * Splits {@code [address, address + length)} at ':' into at most {@code max} fields (the last
   * takes the rest); returns how many there are, or max + 1 when there are more.
   */
  private int split(long address, int length, int max) {
    int n = 0;
    long start = address;
    long end = address + length;
    for (long p = address; p < end; p++) {
      if (Platform.getByte(null, p) == ':') {
        if (n == max - 1) {
          return max + 1;
        }
        starts[n] = start;
        lengths[n] = (int) (p - start);
        n++;
        start = p + 1;
      }
    }
    starts[n] = start;
    lengths[n] = (int) (end - start);
    return n + 1;
  }

  private long number(int field) {
    return number(field, NAME_FIELDS);
  }

  /** Field {@code field} as a non-negative int, or -1 after {@link #fail}. */
  private long number(int field, String[] names) {
    long v = 0;
    if (lengths[field] == 0 || lengths[field] > 10) {
      fail("the field '" + names[field] + "' is not a number: '" + text(field) + "'");
      return -1;
    }
    for (int i = 0; i < lengths[field]; i++) {
      byte b = Platform.getByte(null, starts[field] + i);
      if (b < '0' || b > '9') {
        fail("the field '" + names[field] + "' is not a number: '" + text(field) + "'");
        return -1;
      }
      v = v * 10 + (b - '0');
    }
    if (v > Integer.MAX_VALUE) {
      fail("the field '" + names[field] + "' is too large: '" + text(field) + "'");
      return -1;
    }
    return v;
  }

  private String text(int field) {
    byte[] bytes = new byte[Math.min(lengths[field], 64)];
    Platform.copyMemory(null, starts[field], bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length);
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
