package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/** Quality-control totals of a set of reads; partitions compute their own and merge them. */
public final class QcStats implements Serializable {
  private static final long serialVersionUID = 1L;

  long reads;
  long bases;
  long gcBases;
  long nBases;
  double sumOfMeanQualities;
  long minLength = Long.MAX_VALUE;
  long maxLength;

  /** Adds one read; quality is Phred+33 as the connector always returns it. */
  public void add(String sequence, String quality) {
    byte[] seq = sequence.getBytes(StandardCharsets.US_ASCII);
    byte[] qual = quality.getBytes(StandardCharsets.US_ASCII);
    reads++;
    bases += seq.length;
    minLength = Math.min(minLength, seq.length);
    maxLength = Math.max(maxLength, seq.length);
    for (byte b : seq) {
      switch (b) {
        case 'G':
        case 'C':
        case 'g':
        case 'c':
          gcBases++;
          break;
        case 'N':
        case 'n':
          nBases++;
          break;
        default:
          break;
      }
    }
    if (qual.length > 0) {
      long sum = 0;
      for (byte q : qual) {
        sum += q - 33;
      }
      sumOfMeanQualities += (double) sum / qual.length;
    }
  }

  public QcStats merge(QcStats other) {
    reads += other.reads;
    bases += other.bases;
    gcBases += other.gcBases;
    nBases += other.nBases;
    sumOfMeanQualities += other.sumOfMeanQualities;
    minLength = Math.min(minLength, other.minLength);
    maxLength = Math.max(maxLength, other.maxLength);
    return this;
  }

  public long reads() {
    return reads;
  }

  public long bases() {
    return bases;
  }

  public double gcPercent() {
    return bases == 0 ? 0 : 100.0 * gcBases / bases;
  }

  public double nPercent() {
    return bases == 0 ? 0 : 100.0 * nBases / bases;
  }

  /** Mean over reads of each read's mean Phred quality. */
  public double meanReadQuality() {
    return reads == 0 ? 0 : sumOfMeanQualities / reads;
  }

  public long minLength() {
    return reads == 0 ? 0 : minLength;
  }

  public long maxLength() {
    return maxLength;
  }

  public double meanLength() {
    return reads == 0 ? 0 : (double) bases / reads;
  }
}
