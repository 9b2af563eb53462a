/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded damage to valid FASTQ bytes, for fuzzing: byte flips, NUL and non-ASCII bytes, deleted,
 * duplicated, swapped and joined lines, inserted {@code '@'} and {@code '+'} lines, stray line
 * ends, and truncation at every kind of position (inside each line kind, at a line start, just
 * before a {@code '\n'}, between {@code '\r'} and {@code '\n'}).
 *
 * <pre>{@code
 * FastqMutator.Mutant m = FastqMutator.mutate(validBytes, seed, 3);
 * m.bytes();        // the damaged file
 * m.description();  // what was done, to reproduce a failure from the seed
 * }</pre>
 *
 * The same bytes, seed and count always give the same mutant. Nothing here knows what a correct
 * parser returns: the {@link ReferenceFastqParser} decides that for each mutant.
 */
public final class FastqMutator {

  /** The kinds of damage. */
  public enum Kind {
    FLIP_BIT,
    RANDOM_BYTE,
    NUL_BYTE,
    NON_ASCII,
    SPECIAL_BYTE,
    DELETE_LINE,
    DUPLICATE_LINE,
    SWAP_LINES,
    JOIN_LINES,
    INSERT_AT_LINE,
    INSERT_PLUS_LINE,
    INSERT_BLANK_LINE,
    INSERT_CR,
    DELETE_BYTE,
    TRUNCATE
  }

  /** A damaged file and how it was made. */
  public record Mutant(long seed, List<String> steps, byte[] bytes) {
    /** The seed and the steps, for a failure message. */
    public String description() {
      return "seed " + seed + ": " + String.join("; ", steps);
    }
  }

  private static final byte[] SPECIALS = {'@', '+', '\n', '\r', ' ', '\t', '!', '~', 'N', '-'};
  private static final String[] NON_ASCII = {"\u00e9", "\u00ff", "\u2603", "\ud83e\uddec"};

  private FastqMutator() {}

  /** Applies 1 to {@code maxSteps} random mutations, chosen by {@code seed}. */
  public static Mutant mutate(byte[] valid, long seed, int maxSteps) {
    Random random = new Random(seed);
    int steps = 1 + random.nextInt(Math.max(1, maxSteps));
    byte[] data = valid;
    List<String> done = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      // Truncation ends the file: keep it last so later steps do not hide it.
      if (kind == Kind.TRUNCATE && i + 1 < steps) {
        kind = Kind.DELETE_BYTE;
      }
      StringBuilder what = new StringBuilder();
      data = apply(kind, data, random, what);
      done.add(what.toString());
    }
    return new Mutant(seed, Collections.unmodifiableList(done), data);
  }

  /** Applies one mutation of the given kind; {@code what} receives a description. */
  public static byte[] apply(Kind kind, byte[] data, Random random, StringBuilder what) {
    if (data.length == 0) {
      what.append("empty file, nothing to ").append(kind);
      return data;
    }
    List<int[]> lines = lines(data); // [start, end including '\n')
    int at = random.nextInt(data.length);
    int[] line = lines.get(random.nextInt(lines.size()));
    switch (kind) {
      case FLIP_BIT:
        {
          int bit = random.nextInt(8);
          what.append(String.format(Locale.ROOT, "flip bit %d at %d", bit, at));
          byte[] out = data.clone();
          out[at] ^= (byte) (1 << bit);
          return out;
        }
      case RANDOM_BYTE:
        {
          byte b = (byte) random.nextInt(256);
          what.append(String.format(Locale.ROOT, "set byte %d to 0x%02X", at, b & 0xFF));
          byte[] out = data.clone();
          out[at] = b;
          return out;
        }
      case NUL_BYTE:
        {
          boolean over = random.nextBoolean();
          what.append(over ? "NUL over byte " : "NUL inserted at ").append(at);
          return over ? replace(data, at, 1, new byte[1]) : insert(data, at, (byte) 0);
        }
      case NON_ASCII:
        {
          String s = NON_ASCII[random.nextInt(NON_ASCII.length)];
          byte[] bytes =
              random.nextInt(4) == 0
                  ? new byte[] {(byte) (0x80 + random.nextInt(128))} // a lone non-UTF-8 byte
                  : s.getBytes(StandardCharsets.UTF_8);
          what.append("insert non-ASCII ").append(hex(bytes)).append(" at ").append(at);
          return insert(data, at, bytes);
        }
      case SPECIAL_BYTE:
        {
          byte b = SPECIALS[random.nextInt(SPECIALS.length)];
          what.append("set byte ").append(at).append(" to ").append(hex(new byte[] {b}));
          return replace(data, at, 1, new byte[] {b});
        }
      case DELETE_LINE:
        what.append("delete line at ").append(line[0]);
        return replace(data, line[0], line[1] - line[0], new byte[0]);
      case DUPLICATE_LINE:
        what.append("duplicate line at ").append(line[0]);
        return insert(data, line[0], Arrays.copyOfRange(data, line[0], line[1]));
      case SWAP_LINES:
        {
          int index = random.nextInt(lines.size());
          if (index + 1 >= lines.size()) {
            what.append("swap lines: last line, unchanged");
            return data;
          }
          int[] a = lines.get(index);
          int[] b = lines.get(index + 1);
          what.append("swap lines at ").append(a[0]).append(" and ").append(b[0]);
          byte[] out = data.clone();
          int bLength = b[1] - b[0];
          System.arraycopy(data, b[0], out, a[0], bLength);
          System.arraycopy(data, a[0], out, a[0] + bLength, a[1] - a[0]);
          return out;
        }
      case JOIN_LINES:
        {
          int nl = line[1] - 1;
          if (data[nl] != '\n') {
            what.append("join lines: last line has no newline, unchanged");
            return data;
          }
          what.append("delete the newline at ").append(nl);
          return replace(data, nl, 1, new byte[0]);
        }
      case INSERT_AT_LINE:
        {
          String[] choices = {"@", "@r0", "@@", "@+", "@r1 c", "@IIII", "@\r"};
          String text = choices[random.nextInt(choices.length)] + "\n";
          what.append("insert line ").append(printable(text)).append(" at ").append(line[0]);
          return insert(data, line[0], text.getBytes(StandardCharsets.ISO_8859_1));
        }
      case INSERT_PLUS_LINE:
        {
          String[] choices = {"+", "+r0", "++", "+@", "+\r"};
          String text = choices[random.nextInt(choices.length)] + "\n";
          what.append("insert line ").append(printable(text)).append(" at ").append(line[0]);
          return insert(data, line[0], text.getBytes(StandardCharsets.ISO_8859_1));
        }
      case INSERT_BLANK_LINE:
        what.append("insert blank line at ").append(line[0]);
        return insert(data, line[0], (byte) '\n');
      case INSERT_CR:
        what.append("insert CR at ").append(at);
        return insert(data, at, (byte) '\r');
      case DELETE_BYTE:
        what.append("delete byte ").append(at);
        return replace(data, at, 1, new byte[0]);
      case TRUNCATE:
        {
          int cut = truncationPoint(data, line, random);
          what.append("truncate to ").append(cut).append(" bytes");
          return Arrays.copyOf(data, cut);
        }
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * A truncation point in or around {@code line}: its start, a byte inside it, just before its
   * {@code '\n'}, between a {@code '\r'} and the {@code '\n'}, or just after the {@code '\n'}.
   */
  private static int truncationPoint(byte[] data, int[] line, Random random) {
    int start = line[0];
    int end = line[1];
    boolean hasNewline = data[end - 1] == '\n';
    int contentEnd = hasNewline ? end - 1 : end;
    switch (random.nextInt(5)) {
      case 0:
        return start;
      case 1:
        return contentEnd > start ? start + 1 + random.nextInt(contentEnd - start) : start;
      case 2:
        return contentEnd;
      case 3:
        return contentEnd > start && data[contentEnd - 1] == '\r' ? contentEnd - 1 : contentEnd;
      default:
        return end;
    }
  }

  /** Lines as {@code [start, end)} including their {@code '\n'}; the last may lack one. */
  public static List<int[]> lines(byte[] data) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n') {
        out.add(new int[] {start, i + 1});
        start = i + 1;
      }
    }
    if (start < data.length) {
      out.add(new int[] {start, data.length});
    }
    return out;
  }

  private static byte[] insert(byte[] data, int at, byte... bytes) {
    return replace(data, at, 0, bytes);
  }

  private static byte[] replace(byte[] data, int at, int length, byte[] with) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + with.length);
    out.write(data, 0, at);
    out.write(with, 0, with.length);
    out.write(data, at + length, data.length - at - length);
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format(Locale.ROOT, "\\x%02X", b & 0xFF));
    }
    return s.toString();
  }

  private static String printable(String text) {
    return '"' + text.replace("\r", "\\r").replace("\n", "\\n") + '"';
  }
}
