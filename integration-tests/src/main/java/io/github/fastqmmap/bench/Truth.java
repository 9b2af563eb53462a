/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What a generated benchmark file holds, counted by the generator while it wrote the file: the
 * answers every benchmark case is checked against. Kept beside the file as {@code <file>.truth}.
 */
public final class Truth {
  /** Hadoop-BAM's FastqInputFormat keeps at most this many bytes of a line. */
  public static final int HADOOP_BAM_MAX_LINE = 10_000;

  /** The generator's parameters; a file whose parameters differ is generated again. */
  public String params = "";

  public long fileBytes;
  public long records;
  public long bases;

  /** Bytes of all names (header up to the first blank) and of all comments. */
  public long nameBytes;

  public long commentBytes;
  public long lines;

  /** Bytes of all lines without their line ends: what {@code sum(octet_length(value))} gives. */
  public long lineBytes;

  public long minReadLength = Long.MAX_VALUE;
  public long maxReadLength;

  /** Reads longer than {@link #HADOOP_BAM_MAX_LINE}, and the bases if each were cut to it. */
  public long readsOverHadoopBamLimit;

  public long basesCutAtHadoopBamLimit;
  public long qualityLinesStartingWithAt;
  public long headersWithAtAfterFirst;

  /** Counts one record; lengths exclude line ends. */
  void addRecord(int titleLength, int nameLength, int commentLength, int readLength) {
    records++;
    bases += readLength;
    nameBytes += nameLength;
    if (commentLength >= 0) {
      commentBytes += commentLength;
    }
    lines += 4;
    lineBytes += 1L + titleLength + readLength + 1 + readLength;
    minReadLength = Math.min(minReadLength, readLength);
    maxReadLength = Math.max(maxReadLength, readLength);
    if (readLength > HADOOP_BAM_MAX_LINE) {
      readsOverHadoopBamLimit++;
    }
    basesCutAtHadoopBamLimit += Math.min(readLength, HADOOP_BAM_MAX_LINE);
  }

  /** Mean read length in bases. */
  public double meanReadLength() {
    return records == 0 ? 0 : (double) bases / records;
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("params", params);
    p.setProperty("fileBytes", Long.toString(fileBytes));
    p.setProperty("records", Long.toString(records));
    p.setProperty("bases", Long.toString(bases));
    p.setProperty("nameBytes", Long.toString(nameBytes));
    p.setProperty("commentBytes", Long.toString(commentBytes));
    p.setProperty("lines", Long.toString(lines));
    p.setProperty("lineBytes", Long.toString(lineBytes));
    p.setProperty("minReadLength", Long.toString(minReadLength));
    p.setProperty("maxReadLength", Long.toString(maxReadLength));
    p.setProperty("readsOverHadoopBamLimit", Long.toString(readsOverHadoopBamLimit));
    p.setProperty("basesCutAtHadoopBamLimit", Long.toString(basesCutAtHadoopBamLimit));
    p.setProperty("qualityLinesStartingWithAt", Long.toString(qualityLinesStartingWithAt));
    p.setProperty("headersWithAtAfterFirst", Long.toString(headersWithAtAfterFirst));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "fastq-mmap benchmark data: what the generator wrote");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Truth read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Truth t = new Truth();
    t.params = p.getProperty("params", "");
    t.fileBytes = get(p, "fileBytes");
    t.records = get(p, "records");
    t.bases = get(p, "bases");
    t.nameBytes = get(p, "nameBytes");
    t.commentBytes = get(p, "commentBytes");
    t.lines = get(p, "lines");
    t.lineBytes = get(p, "lineBytes");
    t.minReadLength = get(p, "minReadLength");
    t.maxReadLength = get(p, "maxReadLength");
    t.readsOverHadoopBamLimit = get(p, "readsOverHadoopBamLimit");
    t.basesCutAtHadoopBamLimit = get(p, "basesCutAtHadoopBamLimit");
    t.qualityLinesStartingWithAt = get(p, "qualityLinesStartingWithAt");
    t.headersWithAtAfterFirst = get(p, "headersWithAtAfterFirst");
    return t;
  }

  private static long get(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? -1 : Long.parseLong(v.trim());
  }
}
