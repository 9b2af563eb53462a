/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.QualityEncoding;
import io.github.fastqmmap.parse.Validation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deliberately simple sequential FASTQ parser over a byte array: the oracle the production reader
 * is compared against. It shares no code with the production scanner; it works on whole lines of a
 * Java array, one obvious step at a time, and is quadratic where that keeps it obvious.
 *
 * <h2>Record (DESIGN sections 3 and 4)</h2>
 *
 * <ul>
 *   <li>A header line starting with {@code '@'}; the title is the rest of it. {@code name} is the
 *       title up to the first space or tab; {@code comment} is what follows that run of spaces and
 *       tabs, or null when nothing follows.
 *   <li>Four-line: one sequence line, a line starting with {@code '+'}, one quality line. Wrapped
 *       ({@code multiLine}): sequence lines until a line that starts with {@code '+'}, then at
 *       least one quality line and more until the quality is at least as long as the sequence.
 *   <li>Every line but the last quality line must end with {@code '\n'}; the last quality line may
 *       end at the end of the data (a final record without a trailing newline). One {@code '\r'}
 *       before a line's end is dropped ({@code \r\n} line ends), so {@code '\r'} is never in a
 *       value.
 *   <li>Sequence and quality have the same length.
 *   <li>Strict validation adds: sequence characters are letters or {@code - . *}; quality
 *       characters lie in {@code [encoding's lowest character, '~']}; a title on the {@code '+'}
 *       line equals the header's title.
 *   <li>The record, from its {@code '@'} to just past its last line end, is at most {@code
 *       maxRecordBytes} long.
 * </ul>
 *
 * <h2>Record starts and malformed input (the production reader's documented rule)</h2>
 *
 * <p>A record start is an offset at a line start holding {@code '@'} from which a record parses;
 * with {@code multiLine} the record after it must parse too, or only line ends (or nothing) may
 * follow it. The sequential chain starts at offset 0: where a record parses it is returned and the
 * chain continues at its end; where none parses and only line ends remain, the data ends (blank
 * tail tolerated); otherwise the bytes up to the next record start at or after the failing offset
 * plus one form one malformed stretch, and the chain continues there.
 *
 * <p>A file is <em>unambiguous</em> when the chain passes through every record start. For such
 * files any set of byte ranges read under the ownership rule returns exactly the chain's items; for
 * others the production reader may fail with a boundary mismatch.
 *
 * <p>Qualities are returned in Phred+33: Phred+64 characters are shifted by 31; Solexa characters
 * are converted with {@code Q = 10 log10(10^(S/10) + 1)}, rounded. Characters outside the
 * encoding's range (possible only with basic validation) are returned unchanged.
 */
public final class ReferenceFastqParser {

  /** One thing the chain yields: a record or a malformed stretch. */
  public sealed interface Item permits Read, Malformed {
    /** Byte offset where the item starts. */
    long offset();
  }

  /** A well-formed record; {@code quality} in Phred+33, {@code comment} null when absent. */
  public record Read(long offset, String name, String comment, String sequence, String quality)
      implements Item {}

  /**
   * A malformed stretch {@code [offset, end)}: from the failing offset to the next record start.
   */
  public record Malformed(long offset, long end) implements Item {}

  private final boolean multiLine;
  private final boolean strict;
  private final QualityEncoding encoding;
  private final long maxRecordBytes;

  public ReferenceFastqParser(
      boolean multiLine, boolean strict, QualityEncoding encoding, long maxRecordBytes) {
    this.multiLine = multiLine;
    this.strict = strict;
    this.encoding = encoding;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The reference for the same record options as a production reader. */
  public static ReferenceFastqParser of(ParseOptions options) {
    return new ReferenceFastqParser(
        options.multiLine(),
        options.validation() == Validation.STRICT,
        options.qualityEncoding(),
        options.maxRecordBytes());
  }

  /** Parses a whole file. */
  public Result parse(byte[] data) {
    return new Result(new Data(data));
  }

  /**
   * The record whose {@code '@'} is at {@code offset}, ignoring the line-start condition, or null
   * when no well-formed record parses there.
   */
  public Read parseAt(byte[] data, int offset) {
    Parsed p = new Data(data).parseAt(offset);
    return p == null ? null : p.read;
  }

  /** The lowest quality character of an encoding (not taken from the production enum). */
  public static int minQualityChar(QualityEncoding encoding) {
    switch (encoding) {
      case PHRED33:
        return '!';
      case PHRED64:
        return '@';
      case SOLEXA:
        return ';';
      default:
        throw new IllegalArgumentException(encoding.toString());
    }
  }

  /**
   * A quality character of {@code encoding} as Phred+33; unchanged outside the encoding's range.
   */
  public static char toPhred33(int c, QualityEncoding encoding) {
    if (c < minQualityChar(encoding) || c > '~') {
      return (char) c;
    }
    switch (encoding) {
      case PHRED64:
        return (char) (c - 64 + 33);
      case SOLEXA:
        double solexaScore = c - 64;
        double errorOdds = Math.pow(10.0, -solexaScore / 10.0); // p / (1 - p)
        double errorProbability = errorOdds / (1.0 + errorOdds);
        long phred = Math.round(-10.0 * Math.log10(errorProbability));
        return (char) (33 + phred);
      default:
        return (char) c;
    }
  }

  /** One parsed record and the offset just past it. */
  private record Parsed(Read read, int end) {}

  /** The outcome of a sequential parse, plus the record-start function over the same bytes. */
  public final class Result {
    private final Data data;
    private final boolean[] recordStart;
    private final int[] nextStart;
    private final List<Item> items = new ArrayList<>();
    private final List<Long> itemEnds = new ArrayList<>();
    private final List<Long> unvisitedStarts = new ArrayList<>();

    private Result(Data data) {
      this.data = data;
      int n = data.bytes.length;
      recordStart = new boolean[n + 1];
      for (int p = 0; p < n; p++) {
        recordStart[p] = data.isRecordStart(p);
      }
      nextStart = new int[n + 2];
      nextStart[n] = n;
      nextStart[n + 1] = n;
      for (int p = n - 1; p >= 0; p--) {
        nextStart[p] = recordStart[p] ? p : nextStart[p + 1];
      }
      Set<Long> visited = new HashSet<>();
      int pos = 0;
      while (pos < n) {
        visited.add((long) pos);
        Parsed parsed = data.parseAt(pos);
        if (parsed != null) {
          items.add(parsed.read);
          itemEnds.add((long) parsed.end);
          pos = parsed.end;
          continue;
        }
        if (data.isBlankTail(pos)) {
          break;
        }
        int resume = nextStart[pos + 1];
        items.add(new Malformed(pos, resume));
        itemEnds.add((long) resume);
        pos = resume;
      }
      for (int p = 0; p < n; p++) {
        if (recordStart[p] && !visited.contains((long) p)) {
          unvisitedStarts.add((long) p);
        }
      }
    }

    /** The bytes parsed. */
    public byte[] bytes() {
      return data.bytes;
    }

    /** Records and malformed stretches in file order. */
    public List<Item> items() {
      return Collections.unmodifiableList(items);
    }

    /** The offset just past item {@code index}. */
    public long itemEnd(int index) {
      return itemEnds.get(index);
    }

    /** The well-formed records in file order. */
    public List<Read> reads() {
      List<Read> out = new ArrayList<>();
      for (Item i : items) {
        if (i instanceof Read r) {
          out.add(r);
        }
      }
      return out;
    }

    /** The malformed stretches in file order. */
    public List<Malformed> malformed() {
      List<Malformed> out = new ArrayList<>();
      for (Item i : items) {
        if (i instanceof Malformed m) {
          out.add(m);
        }
      }
      return out;
    }

    /** Whether the record-start rule holds at {@code offset}. */
    public boolean isRecordStart(long offset) {
      return offset >= 0 && offset < data.bytes.length && recordStart[(int) offset];
    }

    /** The first record start at or after {@code offset}, or the data's length. */
    public long nextRecordStart(long offset) {
      if (offset >= data.bytes.length) {
        return data.bytes.length;
      }
      return nextStart[(int) Math.max(0, offset)];
    }

    /** Every record start, ascending. */
    public List<Long> recordStarts() {
      List<Long> out = new ArrayList<>();
      for (int p = 0; p < data.bytes.length; p++) {
        if (recordStart[p]) {
          out.add((long) p);
        }
      }
      return out;
    }

    /** Where the reader of a range starting at {@code start} begins its chain. */
    public long chainStart(long start) {
      return start == 0 ? 0 : nextRecordStart(start);
    }

    /** The items a reader of {@code [start, end)} returns, for an unambiguous file. */
    public List<Item> itemsOfRange(long start, long end) {
      List<Item> out = new ArrayList<>();
      if (start >= end) {
        return out;
      }
      long from = chainStart(start);
      long to = chainStart(end);
      for (Item i : items) {
        if (i.offset() >= from && i.offset() < to) {
          out.add(i);
        }
      }
      return out;
    }

    /** Record starts the chain skips over (inside a record that parsed); empty when unambiguous. */
    public List<Long> unvisitedRecordStarts() {
      return Collections.unmodifiableList(unvisitedStarts);
    }

    public boolean isUnambiguous() {
      return unvisitedStarts.isEmpty();
    }
  }

  /** The bytes and the line-level parsing over them. */
  private final class Data {
    final byte[] bytes;

    Data(byte[] bytes) {
      this.bytes = bytes;
    }

    /** Index of the first '\n' at or after {@code from}, or -1. */
    int newlineFrom(int from) {
      for (int i = from; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          return i;
        }
      }
      return -1;
    }

    /** The end of a line's value: its end, less one '\r' before it. */
    int valueEnd(int lineStart, int lineEnd) {
      return lineEnd > lineStart && bytes[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    boolean isBlankTail(int from) {
      for (int i = from; i < bytes.length; i++) {
        if (bytes[i] != '\n' && bytes[i] != '\r') {
          return false;
        }
      }
      return true;
    }

    boolean isRecordStart(int p) {
      if (p > 0 && bytes[p - 1] != '\n') {
        return false;
      }
      Parsed here = parseAt(p);
      if (here == null) {
        return false;
      }
      if (!multiLine) {
        return true;
      }
      return isBlankTail(here.end) || parseAt(here.end) != null;
    }

    Parsed parseAt(int p) {
      if (p < 0 || p >= bytes.length || bytes[p] != '@') {
        return null;
      }
      int headerEnd = newlineFrom(p);
      if (headerEnd < 0) {
        return null;
      }
      int titleStart = p + 1;
      int titleEnd = valueEnd(titleStart, headerEnd);
      StringBuilder sequence = new StringBuilder();
      StringBuilder quality = new StringBuilder();
      int plusLine;
      int line = headerEnd + 1;
      if (multiLine) {
        while (true) {
          if (line >= bytes.length) {
            return null;
          }
          if (bytes[line] == '+') {
            break;
          }
          int end = newlineFrom(line);
          if (end < 0) {
            return null;
          }
          sequence.append(text(line, valueEnd(line, end)));
          line = end + 1;
        }
        plusLine = line;
      } else {
        int end = newlineFrom(line);
        if (end < 0) {
          return null;
        }
        sequence.append(text(line, valueEnd(line, end)));
        plusLine = end + 1;
        if (plusLine >= bytes.length || bytes[plusLine] != '+') {
          return null;
        }
      }
      int plusEnd = newlineFrom(plusLine);
      if (plusEnd < 0) {
        return null;
      }
      String plusTitle = text(plusLine + 1, valueEnd(plusLine + 1, plusEnd));
      int recordEnd;
      line = plusEnd + 1;
      while (true) {
        int end = newlineFrom(line);
        if (end < 0) {
          // The last line of the data, without a newline (possibly empty).
          quality.append(text(line, valueEnd(line, bytes.length)));
          recordEnd = bytes.length;
          break;
        }
        quality.append(text(line, valueEnd(line, end)));
        recordEnd = end + 1;
        if (!multiLine || quality.length() >= sequence.length() || recordEnd >= bytes.length) {
          break;
        }
        line = recordEnd;
      }
      if (quality.length() != sequence.length()) {
        return null;
      }
      String title = text(titleStart, titleEnd);
      if (strict) {
        for (int i = 0; i < sequence.length(); i++) {
          if (!isBase(sequence.charAt(i))) {
            return null;
          }
        }
        for (int i = 0; i < quality.length(); i++) {
          char c = quality.charAt(i);
          if (c < minQualityChar(encoding) || c > '~') {
            return null;
          }
        }
        if (!plusTitle.isEmpty() && !plusTitle.equals(title)) {
          return null;
        }
      }
      if (recordEnd - p > maxRecordBytes) {
        return null;
      }
      StringBuilder converted = new StringBuilder(quality.length());
      for (int i = 0; i < quality.length(); i++) {
        converted.append(toPhred33(quality.charAt(i), encoding));
      }
      String name = title;
      String comment = null;
      for (int i = 0; i < title.length(); i++) {
        char c = title.charAt(i);
        if (c == ' ' || c == '\t') {
          name = title.substring(0, i);
          String rest = stripLeadingBlanks(title.substring(i));
          comment = rest.isEmpty() ? null : rest;
          break;
        }
      }
      Read read =
          new Read(
              p,
              utf8(name),
              comment == null ? null : utf8(comment),
              utf8(sequence.toString()),
              utf8(converted.toString()));
      return new Parsed(read, recordEnd);
    }

    /** Bytes as chars one to one (ISO-8859-1), so checks see every byte. */
    String text(int from, int to) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }

  /** Re-decodes a one-char-per-byte string as UTF-8, as the production strings are decoded. */
  private static String utf8(String latin1) {
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private static String stripLeadingBlanks(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(i);
  }

  private static boolean isBase(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '*';
  }
}
