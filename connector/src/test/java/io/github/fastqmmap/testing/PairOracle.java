/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.parse.ParseMode;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent pairing of the reference parser's items, for any bytes: what a pair reader must
 * give in each mode. Item {@code i} of R1 is paired with item {@code i} of R2 (of an interleaved
 * file, items {@code 2i} and {@code 2i + 1}), a malformed stretch keeping its place; a pair is
 * malformed when a mate is, or when the mates' names differ once a trailing {@code /1} or {@code
 * /2} is removed; files with different numbers of items fail naming both counts and each file's
 * last item, an interleaved file with an odd number fails naming the last item; in FAILFAST the
 * first malformed mate fails at its offset and the first name disagreement names the pair. Rows are
 * {@link #row} strings and {@code "malformed <ordinal>"}.
 */
public final class PairOracle {
  private PairOracle() {}

  /** What reading a pair of files gives: its rows, then the error that ended it, if any. */
  public record Outcome(List<String> rows, String error) {}

  /** The reference's items of a file, malformed stretches included. */
  public static List<Item> items(byte[] data) {
    return ReferenceFastqParser.of(ParseOptions.builder().mode(ParseMode.PERMISSIVE).build())
        .parse(data)
        .items();
  }

  /** The pair's name part of a mate's name: without a trailing {@code /1} or {@code /2}. */
  public static String pairName(String name) {
    return name.endsWith("/1") || name.endsWith("/2") ? name.substring(0, name.length() - 2) : name;
  }

  /** A pair as one comparable string: its ordinal, then the pair's name and both mates. */
  public static String row(long ordinal, PairedFastq.Pair p) {
    return ordinal
        + " "
        + String.join(
            "|",
            p.name(),
            String.valueOf(p.comment1()),
            p.sequence1(),
            p.quality1(),
            String.valueOf(p.comment2()),
            p.sequence2(),
            p.quality2());
  }

  private static String row(long ordinal, Read a, Read b) {
    return row(
        ordinal,
        new PairedFastq.Pair(
            pairName(a.name()),
            a.comment(),
            a.sequence(),
            a.quality(),
            b.comment(),
            b.sequence(),
            b.quality()));
  }

  /** The independent pairing: what a reader of the two files in this mode must give. */
  public static Outcome predict(
      List<Item> items1, List<Item> items2, ParseMode mode, String f1, String f2) {
    List<String> rows = new ArrayList<>();
    boolean failFast = mode == ParseMode.FAILFAST;
    for (int i = 0; ; i++) {
      boolean a = i < items1.size();
      if (a && failFast && items1.get(i) instanceof Malformed m) {
        return new Outcome(rows, parseError(f1, m.offset()));
      }
      boolean b = i < items2.size();
      if (b && failFast && items2.get(i) instanceof Malformed m) {
        return new Outcome(rows, parseError(f2, m.offset()));
      }
      if (!a && !b) {
        return new Outcome(rows, null);
      }
      if (a != b) {
        // The reader counts the rest of the longer file, which in FAILFAST fails at a malformed
        // stretch there.
        List<Item> longer = a ? items1 : items2;
        if (failFast) {
          for (int j = i + 1; j < longer.size(); j++) {
            if (longer.get(j) instanceof Malformed m) {
              return new Outcome(rows, parseError(a ? f1 : f2, m.offset()));
            }
          }
        }
        return new Outcome(
            rows,
            "Paired files have different record counts: "
                + f1
                + " has "
                + items1.size()
                + " records and "
                + f2
                + " has "
                + items2.size()
                + ". The records of "
                + (a ? f1 : f2)
                + " from record "
                + i
                + " (0-based) on have no mate; "
                + lastItem(f1, items1)
                + " and "
                + lastItem(f2, items2));
      }
      String error = pairUp(items1.get(i), items2.get(i), i, mode, rows);
      if (error != null) {
        return new Outcome(rows, error);
      }
    }
  }

  /** The independent pairing of an interleaved file's items, as {@link #predict} does for two. */
  public static Outcome predictInterleaved(List<Item> items, ParseMode mode, String file) {
    List<String> rows = new ArrayList<>();
    boolean failFast = mode == ParseMode.FAILFAST;
    for (int i = 0; ; i += 2) {
      boolean a = i < items.size();
      if (a && failFast && items.get(i) instanceof Malformed m) {
        return new Outcome(rows, parseError(file, m.offset()));
      }
      boolean b = i + 1 < items.size();
      if (b && failFast && items.get(i + 1) instanceof Malformed m) {
        return new Outcome(rows, parseError(file, m.offset()));
      }
      if (!a) {
        return new Outcome(rows, null);
      }
      if (!b) {
        return new Outcome(
            rows,
            "Interleaved file "
                + file
                + " has an odd number of records: record "
                + i
                + " (0-based, at byte offset "
                + items.get(i).offset()
                + ") has no mate.");
      }
      String error = pairUp(items.get(i), items.get(i + 1), i / 2, mode, rows);
      if (error != null) {
        return new Outcome(rows, error);
      }
    }
  }

  /**
   * Pairs {@code x} with {@code y} as pair {@code ordinal}: adds its row (PERMISSIVE: a malformed
   * pair's too), or returns FAILFAST's error for names that disagree (a malformed mate failed
   * before).
   */
  private static String pairUp(Item x, Item y, long ordinal, ParseMode mode, List<String> rows) {
    if (x instanceof Read a
        && y instanceof Read b
        && pairName(a.name()).equals(pairName(b.name()))) {
      rows.add(row(ordinal, a, b));
      return null;
    }
    if (mode == ParseMode.FAILFAST) {
      return "Mates' names disagree in pair " + ordinal + " (0-based)";
    }
    if (mode == ParseMode.PERMISSIVE) {
      rows.add("malformed " + ordinal);
    }
    return null;
  }

  private static String lastItem(String file, List<Item> items) {
    return items.isEmpty()
        ? file + " has none"
        : "the last record of "
            + file
            + " is at byte offset "
            + items.get(items.size() - 1).offset();
  }

  public static String parseError(String file, long offset) {
    return "parse error in " + file + " at " + offset;
  }
}
