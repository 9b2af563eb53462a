/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.parse.InvalidOptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches R1 files to R2 files by name. The built-in rule finds the last mate token a file name
 * holds: {@code _R1}/{@code _R2}, {@code _1}/{@code _2} or {@code .1}/{@code .2}, followed by
 * nothing, an extension, or a lane-style {@code _001} (and an extension); two files are mates when
 * they are in the same directory and their names agree everywhere else. {@code pairPattern}
 * replaces the rule with a regex whose named group {@code mate} matches the mate number (its text
 * ends in 1 or 2). Two files given as {@code load(r1, r2)} that no rule matches are mates in that
 * order.
 */
final class FilePairs {
  /** The built-in rule; the group {@code mate} holds the mate number. */
  static final String DEFAULT_PATTERN =
      "^(?<prefix>.+?)[_.]R?(?<mate>[12])(?<rest>(?:_\\d+)?(?:\\..*)?)$";

  private static final Pattern DEFAULT = Pattern.compile(DEFAULT_PATTERN);

  private FilePairs() {}

  /** An R1 file and its R2 file. */
  record Pair(FastqFile first, FastqFile second) {}

  /** Compiles a {@code pairPattern}, failing with the option's name when it is not usable. */
  static Pattern compile(String regex) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidOptionException(
          FastqOptions.PAIR_PATTERN.key(),
          regex,
          "a Java regex with a group named 'mate' (" + e.getDescription() + ")");
    }
    if (!regex.contains("(?<mate>")) {
      throw new InvalidOptionException(
          FastqOptions.PAIR_PATTERN.key(),
          regex,
          "a Java regex with a group named 'mate' matching the mate number, such as"
              + " ^(.*)_read(?<mate>[12])\\.fq$");
    }
    return p;
  }

  /**
   * The pairs among {@code files}, ordered by R1 URI.
   *
   * @throws IllegalArgumentException listing every file left without a mate
   */
  static List<Pair> pair(List<FastqFile> files, FastqOptions options) {
    Pattern pattern = options.pairPattern() == null ? DEFAULT : compile(options.pairPattern());
    Map<String, FastqFile[]> byKey = new TreeMap<>();
    List<String> unmatched = new ArrayList<>();
    Map<String, String> duplicates = new LinkedHashMap<>();
    for (FastqFile f : files) {
      String uri = f.uri;
      int slash = uri.lastIndexOf('/');
      String dir = uri.substring(0, slash + 1);
      String name = uri.substring(slash + 1);
      Matcher m = pattern.matcher(name);
      String mate = m.matches() ? m.group("mate") : null;
      if (mate == null || mate.isEmpty() || !(mate.endsWith("1") || mate.endsWith("2"))) {
        unmatched.add(uri);
        continue;
      }
      String key =
          dir + name.substring(0, m.start("mate")) + "\u0000" + name.substring(m.end("mate"));
      int which = mate.endsWith("1") ? 0 : 1;
      FastqFile[] slot = byKey.computeIfAbsent(key, k -> new FastqFile[2]);
      if (slot[which] != null) {
        duplicates.put(uri, slot[which].uri);
        continue;
      }
      slot[which] = f;
    }
    if (files.size() == 2 && options.paths().size() == 2 && byKey.size() != 1) {
      // load(r1, r2) of two files whose names follow no rule: mates in the order given.
      return List.of(new Pair(files.get(0), files.get(1)));
    }
    List<Pair> pairs = new ArrayList<>();
    for (FastqFile[] slot : byKey.values()) {
      if (slot[0] != null && slot[1] != null) {
        pairs.add(new Pair(slot[0], slot[1]));
      } else {
        unmatched.add((slot[0] != null ? slot[0] : slot[1]).uri);
      }
    }
    if (!unmatched.isEmpty() || !duplicates.isEmpty()) {
      StringBuilder m = new StringBuilder("paired=true, but ");
      if (!unmatched.isEmpty()) {
        unmatched.sort(null);
        m.append(unmatched.size())
            .append(unmatched.size() == 1 ? " file has" : " files have")
            .append(" no mate: ")
            .append(String.join(", ", unmatched));
      }
      if (!duplicates.isEmpty()) {
        m.append(unmatched.isEmpty() ? "" : "; and ").append("files claim the same mate: ");
        List<String> d = new ArrayList<>();
        duplicates.forEach((a, b) -> d.add(a + " and " + b));
        m.append(String.join(", ", d));
      }
      m.append(". Mates are matched by name, ")
          .append(
              options.pairPattern() == null
                  ? "by their last _R1/_R2, _1/_2 or .1/.2 (optionally followed by _001) before the"
                      + " extension"
                  : "by pairPattern '" + options.pairPattern() + "'")
          .append(", in the same directory; set pairPattern for another rule, or load(r1, r2)")
          .append(" two files.");
      throw new IllegalArgumentException(m.toString());
    }
    return pairs;
  }
}
