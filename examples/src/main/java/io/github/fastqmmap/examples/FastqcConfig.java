/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the FastQC-format report checks against: the adapters of the adapter-content module, the
 * contaminants that name overrepresented sequences, and FastQC 0.11.9's default PASS/WARN/FAIL
 * limits.
 *
 * <p>The adapters are Illumina's and SOLiD's published 12-base adapter starts (the ones FastQC
 * 0.11.9 looks for by default). FastQC's contaminant list is part of FastQC (GPL-3) and is not
 * bundled with this Apache-2.0 project: it is read at run time from {@code --contaminants FILE}, or
 * else from an installed FastQC ({@link #CONTAMINANT_LOCATIONS}, Debian's {@code fastqc} package
 * puts it in {@code /etc/fastqc/Configuration}); without it every overrepresented sequence's source
 * is "No Hit".
 */
public final class FastqcConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where an installed FastQC keeps its contaminant list. */
  public static final List<String> CONTAMINANT_LOCATIONS =
      List.of(
          "/etc/fastqc/Configuration/contaminant_list.txt",
          "/usr/share/fastqc/Configuration/contaminant_list.txt",
          "/usr/local/share/fastqc/Configuration/contaminant_list.txt",
          "/opt/fastqc/Configuration/contaminant_list.txt");

  /** FastQC 0.11.9's default limits (its {@code limits.txt}). */
  static final double QUALITY_BASE_LOWER_WARN = 10;

  static final double QUALITY_BASE_LOWER_ERROR = 5;
  static final double QUALITY_BASE_MEDIAN_WARN = 25;
  static final double QUALITY_BASE_MEDIAN_ERROR = 20;
  static final double TILE_WARN = 5;
  static final double TILE_ERROR = 10;
  static final double QUALITY_SEQUENCE_WARN = 27;
  static final double QUALITY_SEQUENCE_ERROR = 20;
  static final double SEQUENCE_WARN = 10;
  static final double SEQUENCE_ERROR = 20;
  static final double GC_SEQUENCE_WARN = 15;
  static final double GC_SEQUENCE_ERROR = 30;
  static final double N_CONTENT_WARN = 5;
  static final double N_CONTENT_ERROR = 20;
  static final double DUPLICATION_WARN = 70;
  static final double DUPLICATION_ERROR = 50;
  static final double OVERREPRESENTED_WARN = 0.1;
  static final double OVERREPRESENTED_ERROR = 1;
  static final double ADAPTER_WARN = 5;
  static final double ADAPTER_ERROR = 10;

  /** Adapter names, in FastQC's column order. */
  final List<String> adapterNames =
      List.of(
          "Illumina Universal Adapter",
          "Illumina Small RNA 3' Adapter",
          "Illumina Small RNA 5' Adapter",
          "Nextera Transposase Sequence",
          "SOLID Small RNA Adapter");

  final byte[][] adapters = {
    ascii("AGATCGGAAGAG"),
    ascii("TGGAATTCTCGG"),
    ascii("GATCGTCGGACT"),
    ascii("CTGTCTCTTATA"),
    ascii("CGCCTTGGCCGT")
  };

  /** Contaminant names and sequences (empty when no list was found). */
  final List<String[]> contaminants;

  /** Where the contaminants came from, for the log; null when none. */
  final String contaminantSource;

  private FastqcConfig(List<String[]> contaminants, String source) {
    this.contaminants = contaminants;
    this.contaminantSource = source;
  }

  /** Reads {@code contaminantFile}, or an installed FastQC's list when it is null. */
  public static FastqcConfig load(Path contaminantFile) throws IOException {
    if (contaminantFile != null) {
      return new FastqcConfig(readContaminants(contaminantFile), contaminantFile.toString());
    }
    for (String location : CONTAMINANT_LOCATIONS) {
      Path p = Paths.get(location);
      if (Files.isReadable(p)) {
        return new FastqcConfig(readContaminants(p), location);
      }
    }
    return new FastqcConfig(List.of(), null);
  }

  /** Lines "name TAB... sequence"; '#' starts a comment line. */
  static List<String[]> readContaminants(Path file) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\t+");
      if (parts.length < 2) {
        throw new IOException(file + ": expected name<TAB>sequence, got '" + line + "'");
      }
      out.add(new String[] {parts[0], parts[1].trim().toUpperCase(Locale.ROOT)});
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
