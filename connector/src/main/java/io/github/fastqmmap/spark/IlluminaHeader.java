/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.Mate;
import io.github.fastqmmap.parse.FastqRecord;
import org.apache.spark.unsafe.Platform;

/**
 * A Casava 1.8+ header, {@code @<instrument>:<run>:<flowcell>:<lane>:<tile>:<x>:<y>
 * <read>:<filtered>:<control>:<index>}, parsed in place from a record's or a mate's name and
 * comment (no copy, no object per record). Only the comment's first word is read: what follows a
 * space or tab after the index is left alone. The string fields stay (base, offset) pairs into the
 * record until written, in the form of Spark's {@code Platform}: a record's base is null (native
 * addresses), a copied mate's a byte array.
 */
final class IlluminaHeader {
  private static final String[] NAME_FIELDS = {
    "instrument", "run", "flowcell", "lane", "tile", "x", "y"
  };
  private static final String[] COMMENT_FIELDS = {"read", "filtered", "control", "index"};

  /** The base of the name's fields (instrument, flowcell). */
  Object nameBase;

  long instrumentOffset;
  int instrumentLength;
  int run;
  long flowcellOffset;
  int flowcellLength;
  int lane;
  int tile;
  int x;
  int y;
  int read;
  boolean filtered;
  int control;

  /** The base of the comment's field index. */
  Object commentBase;

  long indexOffset;
  int indexLength;

  /** The base of the text {@link #split} last split. */
  private Object base;

  /** Why the last {@link #parse} failed, or null. */
  private String problem;

  private final long[] starts = new long[7];
  private final int[] lengths = new int[7];

  /** Parses the record's header; false (with {@link #problem()}) when it is not Casava 1.8+. */
  boolean parse(FastqRecord r) {
    return parseName(null, r.nameAddress(), r.nameLength())
        && parseComment(
            null, r.hasComment() ? r.commentAddress() : 0, r.hasComment() ? r.commentLength() : -1);
  }

  /**
   * Parses a mate's header; its name without a trailing /1 or /2, as the pair's {@code name} column
   * holds it.
   */
  boolean parse(Mate m) {
    return parseName(m.nameBase(), m.nameOffset(), m.pairNameLength())
        && parseComment(m.commentBase(), m.commentOffset(), m.commentLength());
  }

  /**
   * Parses only a mate's comment: for mate 2 when the mates' names are known to be equal (checked
   * by the pair reader), so that its name's fields are mate 1's already parsed.
   */
  boolean parseComment(Mate m) {
    problem = null;
    return parseComment(m.commentBase(), m.commentOffset(), m.commentLength());
  }

  /** The first step of a whole header's parse: clears the last problem. */
  private boolean parseName(Object nameBase, long nameOffset, int nameLength) {
    problem = null;
    this.nameBase = nameBase;
    base = nameBase;
    int n = split(nameOffset, nameLength, 7);
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
    instrumentOffset = starts[0];
    instrumentLength = lengths[0];
    flowcellOffset = starts[2];
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
    return true;
  }

  /** A comment length below 0 means the header has no comment. */
  private boolean parseComment(Object commentBase, long commentOffset, int commentLength) {
    this.commentBase = commentBase;
    if (commentLength < 0) {
      return fail(
          "the header has no comment; expected 'read:filtered:control:index' after the name");
    }
    base = commentBase;
    int word = 0;
    while (word < commentLength) {
      byte b = Platform.getByte(commentBase, commentOffset + word);
      if (b == ' ' || b == '\t') {
        break;
      }
      word++;
    }
    int n = split(commentOffset, word, 4);
    if (n != 4) {
      return fail(
          "expected 4 fields separated by ':' in the comment (read:filtered:control:index),"
              + " found "
              + (n > 4 ? "more" : String.valueOf(n)));
    }
    long v;
    if ((v = number(0, COMMENT_FIELDS)) < 0) {
      return false;
    }
    read = (int) v;
    byte flag = lengths[1] == 1 ? Platform.getByte(commentBase, starts[1]) : 0;
    if (flag != 'Y' && flag != 'N') {
      return fail("the field 'filtered' must be Y or N, found '" + text(1) + "'");
    }
    filtered = flag == 'Y';
    if ((v = number(2, COMMENT_FIELDS)) < 0) {
      return false;
    }
    control = (int) v;
    indexOffset = starts[3];
    indexLength = lengths[3];
    return true;
  }

  /** The value of a numeric or boolean (1 or 0) single-read header column, as a long. */
  long number(FastqColumn c) {
    return switch (c) {
      case RUN -> run;
      case LANE -> lane;
      case TILE -> tile;
      case X -> x;
      case Y -> y;
      case READ -> read;
      case FILTERED -> filtered ? 1 : 0;
      case CONTROL -> control;
      default -> throw new AssertionError(c);
    };
  }

  /** Why the last {@link #parse} failed, or null. */
  String problem() {
    return problem;
  }

  /**
   * The FAILFAST message for a header that is not Casava 1.8+, single reads' and pairs' alike: the
   * record ({@code file}, and {@code at}: its offset in words), why, the header as read, {@code
   * which} (what a pair's message adds, or empty), and what to do; {@code skipped} names what the
   * other modes skip ("records", "pairs").
   */
  static String failFast(
      String file, String at, String problem, String header, String which, String skipped) {
    return "Malformed FASTQ record in "
        + file
        + " at "
        + at
        + ": "
        + problem
        + "; the header reads \"@"
        + header
        + "\""
        + which
        + ". Set illuminaHeaders=false and filterFailedQc=false to read headers of other formats,"
        + " or set mode to DROPMALFORMED to skip such "
        + skipped
        + " or to PERMISSIVE to keep their text in the corrupt-record column.";
  }

  private boolean fail(String why) {
    problem = "malformed Illumina (Casava 1.8+) header: " + why;
    return false;
  }

  /**
   * Splits {@code [offset, offset + length)} of {@link #base} at ':' into at most {@code max}
   * fields (the last takes the rest); returns how many there are, or max + 1 when there are more.
   */
  private int split(long offset, int length, int max) {
    int n = 0;
    long start = offset;
    long end = offset + length;
    for (long p = offset; p < end; p++) {
      if (Platform.getByte(base, p) == ':') {
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
      byte b = Platform.getByte(base, starts[field] + i);
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
    Platform.copyMemory(base, starts[field], bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length);
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
