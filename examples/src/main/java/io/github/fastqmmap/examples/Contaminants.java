/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.util.List;
import java.util.Locale;

/**
 * Names the likely source of an overrepresented sequence the way FastQC 0.11.9 does: the longest
 * stretch (over 20 bases, at most one mismatch per stretch) that the sequence shares with a known
 * contaminant or its reverse complement; short sequences (8 to 19 bases) must occur whole in one.
 */
final class Contaminants {
  private Contaminants() {}

  /** "name (id% over Nbp)" of the best hit, or "No Hit". */
  static String bestHit(String sequence, List<String[]> contaminants) {
    Hit best = null;
    for (String[] c : contaminants) {
      Hit h = match(c[0], c[1], sequence.toUpperCase(Locale.ROOT));
      if (h != null && (best == null || h.length > best.length)) {
        best = h;
      }
    }
    return best == null ? "No Hit" : best.toString();
  }

  private static final class Hit {
    final String name;
    final int length;
    final int percentId;

    Hit(String name, int length, int percentId) {
      this.name = name;
      this.length = length;
      this.percentId = percentId;
    }

    @Override
    public String toString() {
      return name + " (" + percentId + "% over " + length + "bp)";
    }
  }

  static String reverseComplement(String s) {
    StringBuilder r = new StringBuilder(s.length());
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      switch (c) {
        case 'G':
          r.append('C');
          break;
        case 'A':
          r.append('T');
          break;
        case 'T':
          r.append('A');
          break;
        case 'C':
          r.append('G');
          break;
        default:
          throw new IllegalArgumentException(
              "Contaminant contained the illegal character '" + c + "'");
      }
    }
    return r.toString();
  }

  static Hit match(String name, String contaminant, String query) {
    String reverse = reverseComplement(contaminant);
    if (query.length() < 20 && query.length() >= 8) {
      if (contaminant.contains(query) || reverse.contains(query)) {
        return new Hit(name, query.length(), 100);
      }
    }
    Hit best = null;
    for (String strand : new String[] {contaminant, reverse}) {
      for (int offset = 20 - strand.length(); offset < query.length() - 20; offset++) {
        Hit h = alignAt(name, strand, query, offset);
        if (h != null && (best == null || h.length > best.length)) {
          best = h;
        }
      }
    }
    return best;
  }

  /**
   * Walks the contaminant against the query shifted by {@code offset}; a stretch ends at its second
   * mismatch, and the best stretch over 20 bases is kept (longer, then higher identity).
   */
  private static Hit alignAt(String name, String c, String q, int offset) {
    Hit best = null;
    int mismatches = 0;
    int start = 0;
    int end = 0;
    for (int i = 0; i < c.length(); i++) {
      if (i + offset < 0) {
        start = i + 1;
        continue;
      }
      if (i + offset >= q.length()) {
        break;
      }
      if (c.charAt(i) == q.charAt(i + offset)) {
        end = i;
      } else if (++mismatches > 1) {
        best = better(best, name, 1 + end - start, mismatches - 1);
        start = i + 1;
        end = i + 1;
        mismatches = 0;
      }
    }
    return better(best, name, 1 + end - start, mismatches);
  }

  private static Hit better(Hit best, String name, int length, int mismatches) {
    if (length <= 20) {
      return best;
    }
    int id = ((length - mismatches) * 100) / length;
    if (best == null || best.length < length || (best.length == length && best.percentId < id)) {
      return new Hit(name, length, id);
    }
    return best;
  }
}
