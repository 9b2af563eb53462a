/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The counts behind FastQC's modules for the reads of one sample that one Spark partition read (one
 * byte range of one file, so its reads are consecutive in the file), merged on the driver in file
 * order. Every figure FastQC derives is a function of these integer counts, except the duplication
 * and overrepresented-sequence modules, which {@link FastqcDuplication} computes from hashes.
 *
 * <p>Reads arrive as bytes (sequence, Phred+33 quality as the connector returns it, and the
 * header), never as Java strings. Qualities are counted by their character, as FastQC does, so that
 * the encoding is guessed from the lowest character afterwards.
 *
 * <p>FastQC's per-tile module looks at every 10th read of the file only. A partition does not know
 * how many reads of its file came before it, so it keeps the per-tile sums separately for each of
 * the ten residues of its own read index; {@link #merge} picks the residue that lands on FastQC's
 * sample once the partitions before it are known.
 */
public final class FastqcStats implements Serializable, Cloneable {
  private static final long serialVersionUID = 1L;

  /** Quality characters are counted in slots 0..127. */
  static final int CHARS = 128;

  /** FastQC gives up on tiles past this many distinct tile numbers. */
  static final int MAX_TILES = 1000;

  /** The sample (file URI, or the merged sample's name). */
  final String sample;

  /** Order of the first read within the sample: file URI, then byte offset. */
  String firstFile;

  long firstOffset = Long.MAX_VALUE;

  long reads;
  int minLength = Integer.MAX_VALUE;
  int maxLength;
  int lowestChar = CHARS;
  int highestChar;

  /** Bases of one kind (0 to 4: G, A, T, C, N) over all positions. */
  long baseCount(int slot) {
    long n = 0;
    for (int i = slot; i < bases.length; i += 5) {
      n += bases[i];
    }
    return n;
  }

  /** quality[position * CHARS + char]: bases at the position with that quality character. */
  long[] quality = new long[0];

  /** bases[position * 5 + {G, A, T, C, N}]. */
  long[] bases = new long[0];

  /** Reads by the integer mean of their quality characters (FastQC's per-sequence quality). */
  final long[] meanQualityChars = new long[CHARS];

  /** Read length to reads. */
  long[] lengthCounts = new long[0];

  /**
   * (truncated length << 32 | G+C count) to reads: FastQC's per-sequence GC input (it truncates
   * reads over 100 bases to a multiple of 100, over 1,000 to a multiple of 1,000).
   */
  final HashMap<Long, Long> gcByLength = new HashMap<>();

  /** Counts per (length, GC) for the length seen last, kept unboxed; flushed on a change. */
  private transient long[] gcRun;

  private transient int gcRunLength = -1;

  private void countGc(int length, int gc) {
    if (length != gcRunLength) {
      flushGc();
      gcRunLength = length;
      gcRun = new long[length + 1];
    }
    gcRun[gc]++;
  }

  /** Moves the unboxed run into {@link #gcByLength}. */
  private void flushGc() {
    if (gcRun != null) {
      for (int gc = 0; gc < gcRun.length; gc++) {
        if (gcRun[gc] > 0) {
          gcByLength.merge(((long) gcRunLength << 32) | gc, gcRun[gc], Long::sum);
        }
      }
      gcRun = null;
      gcRunLength = -1;
    }
  }

  /**
   * Moves what {@link #add} keeps in its working form (per-position counts as ints, per-tile reads
   * by length, the last GC run) into the fields the report and {@link #append} read, and sets the
   * lowest and highest quality character; before serialization and merging, and when a partition is
   * done with the segment.
   */
  void flush() {
    flushGc();
    flushPairs();
    flushTileLengths();
    for (int c = 0; c < CHARS; c++) {
      if (hasChar(c)) {
        lowestChar = Math.min(lowestChar, c);
        break;
      }
    }
    for (int c = CHARS - 1; c >= 0; c--) {
      if (hasChar(c)) {
        highestChar = Math.max(highestChar, c);
        break;
      }
    }
  }

  /** True when some base has quality character {@code c}. */
  private boolean hasChar(int c) {
    for (int at = c; at < quality.length; at += CHARS) {
      if (quality[at] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ends the segment: {@link #flush}, and its first distinct hashes cut to their number (the set
   * that found them goes), so that what a partition keeps is no larger than it needs.
   */
  void finish() {
    flush();
    seen = null;
    if (firstH1.length != firsts) {
      firstH1 = Arrays.copyOf(firstH1, firsts);
      firstH2 = Arrays.copyOf(firstH2, firsts);
      firstIndexes = Arrays.copyOf(firstIndexes, firsts);
      firstStringHashes = Arrays.copyOf(firstStringHashes, firsts);
    }
  }

  /**
   * A copy sharing every count but without the first distinct hashes (their number {@link #firsts}
   * stays; the arrays are null until {@link #firsts(long[][])} sets them): the driver needs the
   * hashes of a sample's first segments only, up to 100,000 distinct ones.
   */
  FastqcStats withoutFirsts() {
    flush();
    FastqcStats c;
    try {
      c = (FastqcStats) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    c.seen = null;
    c.firstH1 = null;
    c.firstH2 = null;
    c.firstIndexes = null;
    c.firstStringHashes = null;
    return c;
  }

  /** {firstH1, firstH2, firstIndexes, firstStringHashes as longs}, cut to {@link #firsts}. */
  long[][] firstArrays() {
    long[] stringHashes = new long[firsts];
    for (int i = 0; i < firsts; i++) {
      stringHashes[i] = firstStringHashes[i];
    }
    return new long[][] {
      Arrays.copyOf(firstH1, firsts),
      Arrays.copyOf(firstH2, firsts),
      Arrays.copyOf(firstIndexes, firsts),
      stringHashes
    };
  }

  /** Sets the first distinct hashes that {@link #withoutFirsts} left out. */
  void firsts(long[][] arrays) {
    firstH1 = arrays[0];
    firstH2 = arrays[1];
    firstIndexes = arrays[2];
    firstStringHashes = new int[arrays[3].length];
    for (int i = 0; i < firstStringHashes.length; i++) {
      firstStringHashes[i] = (int) arrays[3][i];
    }
  }

  /** True when the first distinct hashes are here (not left out by {@link #withoutFirsts}). */
  boolean hasFirsts() {
    return firstH1 != null;
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flush();
    out.defaultWriteObject();
  }

  /**
   * Positions counted in {@link #pairQuality} and {@link #pairBases}: 272 bytes each, so at most
   * 272 KB; later positions of long reads go straight to {@link #quality} and {@link #bases}.
   */
  static final int PAIR_POSITIONS = 1000;

  /** Reads counted in 16 bits before the counts are moved to {@link #quality}, {@link #bases}. */
  private static final int PAIR_READS = 0xffff;

  /**
   * pairQuality[position * CHARS + qualityChar] and pairBases[position * 8 + baseSlot]: the counts
   * of {@link #quality} and {@link #bases} in 16 bits, so that the part a run of reads touches
   * (about 84 bytes per position for 42 quality characters: 20 KB for 150 bases) stays in the
   * processor's first-level cache, where 64-bit counts took 4 times as much and half the time of
   * the counting went to cache misses. Moved into {@link #quality} and {@link #bases} by {@link
   * #flush}, and every {@link #PAIR_READS} reads, before a count could wrap.
   */
  private transient char[] pairQuality;

  private transient char[] pairBases;

  /** Reads counted in {@link #pairQuality} since the last flush. */
  private transient int pairReads;

  private void flushPairs() {
    char[] pq = pairQuality;
    char[] pb = pairBases;
    if (pq == null) {
      return;
    }
    // The tables may have grown past the longest read; those positions are empty.
    int positions = Math.min(pq.length / CHARS, quality.length / CHARS);
    for (int at = 0; at < positions * CHARS; at++) {
      quality[at] += pq[at];
    }
    for (int pos = 0; pos < positions; pos++) {
      for (int slot = 0; slot < 5; slot++) {
        bases[pos * 5 + slot] += pb[pos * 8 + slot];
      }
    }
    pairQuality = null;
    pairBases = null;
    pairReads = 0;
  }

  /** adapterHits[adapter][index]: reads where the adapter first occurs at that index. */
  long[][] adapterHits;

  /** Per tile, for each residue of the local read index mod 10: sums of quality chars. */
  final HashMap<Integer, long[][]> tileSums = new HashMap<>();

  /** Per tile and residue: bases counted (per position). */
  final HashMap<Integer, long[][]> tileCounts = new HashMap<>();

  /**
   * Per tile and residue: reads by length, turned into {@link #tileCounts}' per-position counts by
   * {@link #flush} (one increment per read instead of one per base).
   */
  private transient HashMap<Integer, long[][]> tileLengths = new HashMap<>();

  /** The tile of the previous read and its arrays: reads of a tile come in runs. */
  private transient int lastTile = Integer.MIN_VALUE;

  private transient long[][] lastTileSums;
  private transient long[][] lastTileLengths;

  /** Residues (bit r) in which a sampled read had no parsable tile: FastQC drops the module. */
  int tileFailedResidues;

  /** Set once the per-tile module is known to be dropped (header without tile, too many tiles). */
  boolean tilesIgnored;

  private void flushTileLengths() {
    if (tileLengths == null || tileLengths.isEmpty()) {
      return;
    }
    tileLengths.forEach(
        (tile, lengths) -> {
          long[][] sums = tileSums.get(tile);
          long[][] counts = tileCounts.get(tile);
          for (int r = 0; r < 10; r++) {
            long[] byLength = lengths[r];
            if (byLength == null) {
              continue;
            }
            int n = sums[r].length;
            long[] k = counts[r] == null ? new long[n] : Arrays.copyOf(counts[r], n);
            // Reads of length L > i have a base at position i.
            long longer = 0;
            for (int i = byLength.length - 2; i >= 0; i--) {
              longer += byLength[i + 1];
              if (i < n) {
                k[i] += longer;
              }
            }
            counts[r] = k;
          }
        });
    tileLengths.clear();
    lastTile = Integer.MIN_VALUE;
  }

  private void dropTiles() {
    tilesIgnored = true;
    tileSums.clear();
    tileCounts.clear();
    if (tileLengths != null) {
      tileLengths.clear();
    }
    lastTile = Integer.MIN_VALUE;
  }

  /**
   * The segment's first distinct (cut) sequences, up to FastQC's 100,000, as hashes with the index
   * of their first read within the segment (0 for its first read), in read order: the sample's
   * first 100,000 distinct sequences are the first 100,000 distinct ones of this list taken segment
   * after segment.
   */
  long[] firstH1 = new long[0];

  long[] firstH2 = new long[0];
  long[] firstIndexes = new long[0];

  /**
   * Each first sequence's {@code String.hashCode()} (of the cut sequence, as FastQC keys it): the
   * order in which FastQC's {@code HashMap} of sequences gives them, which its duplication module
   * sums in ({@link FastqcReport#duplicationLevels}).
   */
  int[] firstStringHashes = new int[0];

  int firsts;
  private transient HashSet128 seen;

  FastqcStats(String sample, int adapters) {
    this.sample = sample;
    this.adapterHits = new long[adapters][0];
  }

  /** Notes where the partition's first read of the sample is, for ordering partitions. */
  void position(String file, long offset) {
    if (firstFile == null) {
      firstFile = file;
      firstOffset = offset;
    }
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LOWS7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long EVEN_BYTES = 0x00ff00ff00ff00ffL;

  /** 0x80 in each byte of {@code y} that is zero, else 0 (exact: no carry between bytes). */
  private static long zeroBytes(long y) {
    return ~(((y & LOWS7) + LOWS7) | y) & HIGHS;
  }

  /** The number of bytes marked 0x80 in {@code m}. */
  private static int countMarked(long m) {
    return (int) (((m >>> 7) * ONES) >>> 56);
  }

  /**
   * Adds one read: {@code seq[0..len)}, {@code qual[0..len)} (a FASTQ record has as many quality
   * characters as bases) and the header {@code header[0..headerLen)} without the '@'.
   */
  void add(
      byte[] seq, byte[] qual, int len, byte[] header, int headerLen, byte[][] adapterSequences) {
    long local = reads++;
    minLength = Math.min(minLength, len);
    maxLength = Math.max(maxLength, len);
    if (lengthCounts.length <= len) {
      lengthCounts = Arrays.copyOf(lengthCounts, Math.max(len + 1, lengthCounts.length * 2));
    }
    lengthCounts[len]++;
    if (quality.length < len * CHARS) {
      quality = Arrays.copyOf(quality, len * CHARS);
      bases = Arrays.copyOf(bases, len * 5);
    }
    int paired = Math.min(len, PAIR_POSITIONS);
    if (pairQuality == null || pairQuality.length < paired * CHARS) {
      int n = pairQuality == null ? 0 : pairQuality.length / CHARS;
      n = Math.min(PAIR_POSITIONS, Math.max(paired, n * 2));
      pairQuality =
          pairQuality == null ? new char[n * CHARS] : Arrays.copyOf(pairQuality, n * CHARS);
      pairBases = pairBases == null ? new char[n * 8] : Arrays.copyOf(pairBases, n * 8);
    }
    long[] tileSum = tilesIgnored ? null : tile((int) (local % 10), len, header, headerLen);
    int gcTruncated = len > 1000 ? len / 1000 * 1000 : len > 100 ? len / 100 * 100 : len;
    // Eight bases at a time: one load of each of sequence and quality; G+C counted and quality
    // characters summed on the eight at once (SWAR). No branch on the base or the quality (random
    // ones mispredict): a base that is not G, A, T, C or N is counted in a slot nobody reads.
    char[] pq = pairQuality;
    char[] pb = pairBases;
    long[] quality = this.quality;
    long[] bases = this.bases;
    long qualitySum = 0;
    long lanes = 0;
    int gc = 0;
    int gcInTruncated = 0;
    int truncatedBlock = gcTruncated & ~7;
    int blocks = len & ~7;
    int i = 0;
    for (; i < blocks; i += 8) {
      long s8 = Hash128.getLong(seq, i);
      long q8 = Hash128.getLong(qual, i) & LOWS7;
      long gcMarks = zeroBytes((s8 & ~0x0404040404040404L) ^ 0x4343434343434343L);
      if (i == truncatedBlock) {
        gcInTruncated = gc + countMarked(gcMarks & ((1L << (8 * (gcTruncated - i))) - 1));
      }
      gc += countMarked(gcMarks);
      lanes += (q8 & EVEN_BYTES) + ((q8 >>> 8) & EVEN_BYTES);
      if ((i & 2047) == 2040) {
        // 256 blocks add at most 256 * 254 to a 16-bit lane.
        qualitySum += sumLanes(lanes);
        lanes = 0;
      }
      if (i + 8 <= paired) {
        int at = i * CHARS;
        int bt = i * 8;
        pq[at + ((int) q8 & 0x7f)]++;
        pb[bt + SLOTS[(int) s8 & 0xff]]++;
        pq[at + CHARS + ((int) (q8 >>> 8) & 0x7f)]++;
        pb[bt + 8 + SLOTS[(int) (s8 >>> 8) & 0xff]]++;
        pq[at + 2 * CHARS + ((int) (q8 >>> 16) & 0x7f)]++;
        pb[bt + 16 + SLOTS[(int) (s8 >>> 16) & 0xff]]++;
        pq[at + 3 * CHARS + ((int) (q8 >>> 24) & 0x7f)]++;
        pb[bt + 24 + SLOTS[(int) (s8 >>> 24) & 0xff]]++;
        pq[at + 4 * CHARS + ((int) (q8 >>> 32) & 0x7f)]++;
        pb[bt + 32 + SLOTS[(int) (s8 >>> 32) & 0xff]]++;
        pq[at + 5 * CHARS + ((int) (q8 >>> 40) & 0x7f)]++;
        pb[bt + 40 + SLOTS[(int) (s8 >>> 40) & 0xff]]++;
        pq[at + 6 * CHARS + ((int) (q8 >>> 48) & 0x7f)]++;
        pb[bt + 48 + SLOTS[(int) (s8 >>> 48) & 0xff]]++;
        pq[at + 7 * CHARS + ((int) (q8 >>> 56))]++;
        pb[bt + 56 + SLOTS[(int) (s8 >>> 56) & 0xff]]++;
      } else {
        for (int j = i; j < i + 8; j++) {
          countBase(pq, pb, quality, bases, j, seq[j] & 0xff, qual[j] & 0x7f);
        }
      }
      if (tileSum != null) {
        tileSum[i] += (int) q8 & 0x7f;
        tileSum[i + 1] += (int) (q8 >>> 8) & 0x7f;
        tileSum[i + 2] += (int) (q8 >>> 16) & 0x7f;
        tileSum[i + 3] += (int) (q8 >>> 24) & 0x7f;
        tileSum[i + 4] += (int) (q8 >>> 32) & 0x7f;
        tileSum[i + 5] += (int) (q8 >>> 40) & 0x7f;
        tileSum[i + 6] += (int) (q8 >>> 48) & 0x7f;
        tileSum[i + 7] += (int) (q8 >>> 56);
      }
    }
    qualitySum += sumLanes(lanes);
    for (; i < len; i++) {
      int b = seq[i] & 0xff;
      int q = qual[i] & 0x7f;
      if (i == gcTruncated) {
        gcInTruncated = gc;
      }
      gc += GC[SLOTS[b]];
      qualitySum += q;
      countBase(pq, pb, quality, bases, i, b, q);
      if (tileSum != null) {
        tileSum[i] += q;
      }
    }
    if (gcTruncated == len) {
      gcInTruncated = gc;
    }
    if (len > 0) {
      meanQualityChars[(int) (qualitySum / len)]++;
      countGc(gcTruncated, gcInTruncated);
    }
    if (adapterSource != adapterSequences) {
      prepareAdapters(adapterSequences);
    }
    if (adapterKeys != null) {
      findAdapters(seq, len);
    } else {
      for (int k = 0; k < adapterSequences.length; k++) {
        int index = indexOf(seq, len, adapterSequences[k]);
        if (index >= 0) {
          addAdapterHit(k, index);
        }
      }
    }
    if (++pairReads == PAIR_READS) {
      flushPairs();
    }
  }

  /** The sum of the four 16-bit lanes of {@code lanes}. */
  private static long sumLanes(long lanes) {
    long halves = (lanes & 0x0000ffff0000ffffL) + ((lanes >>> 16) & 0x0000ffff0000ffffL);
    return (halves & 0xffffffffL) + (halves >>> 32);
  }

  /** Counts base {@code b} with quality character {@code q} at position {@code i}. */
  private static void countBase(
      char[] pq, char[] pb, long[] quality, long[] bases, int i, int b, int q) {
    int slot = SLOTS[b];
    if (i < PAIR_POSITIONS) {
      pq[i * CHARS + q]++;
      pb[i * 8 + slot]++;
    } else {
      quality[i * CHARS + q]++;
      if (slot < 5) {
        bases[i * 5 + slot]++;
      }
    }
  }

  private void addAdapterHit(int k, int index) {
    long[] hits = adapterHits[k];
    if (hits.length <= index) {
      adapterHits[k] = hits = Arrays.copyOf(hits, Math.max(index + 1, hits.length * 2));
    }
    hits[index]++;
  }

  /**
   * Finds each adapter's first occurrence with 8-byte loads at every 4th position of the read: an
   * occurrence at p of an adapter of 11 or more bases holds the adapter's 8 bytes from s (0 to 3)
   * at the next multiple of 4, p + s. Those 8-byte pieces (4 per adapter) are the keys of a small
   * perfect-hash table; only a key found in the read is checked against its adapters.
   */
  private void findAdapters(byte[] seq, int len) {
    long[] keys = adapterKeys;
    int[][] owners = adapterOwners;
    long mul = adapterMultiplier;
    int shift = adapterShift;
    byte[][] adapters = adapterSource;
    long found = 0;
    long all = -1L >>> (64 - adapters.length);
    for (int a = 0; a + 8 <= len; a += 4) {
      long v = Hash128.getLong(seq, a);
      int h = (int) ((v * mul) >>> shift);
      if (keys[h] != v || owners[h] == null) {
        continue;
      }
      // Owners come by decreasing shift: the first match of an adapter here is its leftmost one.
      for (int o : owners[h]) {
        int k = o >>> 2;
        int p = a - (o & 3);
        if ((found & 1L << k) == 0 && p >= 0 && matches(seq, len, p, adapters[k])) {
          found |= 1L << k;
          addAdapterHit(k, p);
        }
      }
      if (found == all) {
        return;
      }
    }
  }

  private static boolean matches(byte[] seq, int len, int at, byte[] pattern) {
    if (at + pattern.length > len) {
      return false;
    }
    for (int j = 0; j < pattern.length; j++) {
      if (seq[at + j] != pattern[j]) {
        return false;
      }
    }
    return true;
  }

  /** The adapters {@link #adapterKeys} was made from. */
  private transient byte[][] adapterSource;

  /**
   * The table of the adapters' 8-byte pieces (see {@link #findAdapters}), indexed by {@code (piece
   * * adapterMultiplier) >>> adapterShift}; null when some adapter is shorter than 11 bytes or
   * there are more than 63: then each adapter is searched for on its own.
   */
  private transient long[] adapterKeys;

  /** Per slot of {@link #adapterKeys}: (adapter << 2 | shift) of each piece there, or null. */
  private transient int[][] adapterOwners;

  private transient long adapterMultiplier;
  private transient int adapterShift;

  /** Per byte: 0 to 4 for G, A, T, C, N (the column in {@link #bases}), 5 for anything else. */
  private static final byte[] SLOTS = new byte[256];

  /** Per slot: 1 for G and C. */
  private static final int[] GC = {1, 0, 0, 1, 0, 0};

  static {
    Arrays.fill(SLOTS, (byte) 5);
    SLOTS['G'] = 0;
    SLOTS['A'] = 1;
    SLOTS['T'] = 2;
    SLOTS['C'] = 3;
    SLOTS['N'] = 4;
  }

  private void prepareAdapters(byte[][] adapters) {
    adapterSource = adapters;
    adapterKeys = null;
    adapterOwners = null;
    if (adapters.length == 0 || adapters.length > 63) {
      return;
    }
    long[] pieces = new long[4 * adapters.length];
    for (int k = 0; k < adapters.length; k++) {
      if (adapters[k].length < 11) {
        return;
      }
      for (int s = 0; s < 4; s++) {
        pieces[4 * k + s] = Hash128.getLong(adapters[k], s);
      }
    }
    // A multiplier that sends the distinct pieces to distinct slots; there are at most 252 of
    // them, so a table of 4 times as many slots soon has one.
    long[] distinct = Arrays.stream(pieces).distinct().toArray();
    int bits = 32 - Integer.numberOfLeadingZeros(4 * distinct.length - 1);
    long mul = 0x9e3779b97f4a7c15L;
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0 && attempt % 64 == 0) {
        bits++;
      }
      mul = mul * 0x5851f42d4c957f2dL + 0x14057b7ef767814fL | 1;
      int shift = 64 - bits;
      long[] keys = new long[1 << bits];
      boolean[] used = new boolean[1 << bits];
      boolean collision = false;
      for (long piece : distinct) {
        int h = (int) ((piece * mul) >>> shift);
        if (used[h]) {
          collision = true;
          break;
        }
        used[h] = true;
        keys[h] = piece;
      }
      if (collision) {
        continue;
      }
      int[][] owners = new int[1 << bits][];
      for (int s = 3; s >= 0; s--) {
        for (int k = 0; k < adapters.length; k++) {
          int h = (int) ((pieces[4 * k + s] * mul) >>> shift);
          int[] o = owners[h] == null ? new int[0] : owners[h];
          o = Arrays.copyOf(o, o.length + 1);
          o[o.length - 1] = k << 2 | s;
          owners[h] = o;
        }
      }
      adapterKeys = keys;
      adapterOwners = owners;
      adapterMultiplier = mul;
      adapterShift = shift;
      return;
    }
  }

  /**
   * The per-tile sums array of this read (residue {@code residue} of its tile, at least {@code len}
   * long), with the read counted by its length; null when the read has no tile or the module is
   * dropped.
   */
  private long[] tile(int residue, int len, byte[] header, int headerLen) {
    // FastQC splits the whole header line at ':': with 7 or more fields the tile is the 5th
    // (Casava 1.8), with 5 or 6 the 3rd (older Illumina); otherwise there is no tile.
    int fields = 1;
    int i = 0;
    for (; i + 8 <= headerLen; i += 8) {
      fields += countMarked(zeroBytes(Hash128.getLong(header, i) ^ 0x3a3a3a3a3a3a3a3aL));
    }
    for (; i < headerLen; i++) {
      if (header[i] == ':') {
        fields++;
      }
    }
    int field = fields >= 7 ? 4 : fields >= 5 ? 2 : -1;
    int tile = field < 0 ? -1 : parseField(header, headerLen, field);
    if (tile == Integer.MIN_VALUE || field < 0) {
      tileFailedResidues |= 1 << residue;
      if (tileFailedResidues == 0x3ff) {
        dropTiles();
      }
      return null;
    }
    if (tileLengths == null) {
      tileLengths = new HashMap<>();
    }
    long[][] sums;
    long[][] lengths;
    if (tile == lastTile) {
      sums = lastTileSums;
      lengths = lastTileLengths;
    } else {
      sums = tileSums.get(tile);
      if (sums == null) {
        if (tileSums.size() > MAX_TILES) {
          dropTiles();
          return null;
        }
        sums = new long[10][];
        tileSums.put(tile, sums);
        tileCounts.put(tile, new long[10][]);
      }
      lengths = tileLengths.computeIfAbsent(tile, t -> new long[10][]);
      lastTile = tile;
      lastTileSums = sums;
      lastTileLengths = lengths;
    }
    if (sums[residue] == null || sums[residue].length < len) {
      sums[residue] = sums[residue] == null ? new long[len] : Arrays.copyOf(sums[residue], len);
    }
    long[] byLength = lengths[residue];
    if (byLength == null || byLength.length <= len) {
      lengths[residue] =
          byLength =
              byLength == null
                  ? new long[len + 1]
                  : Arrays.copyOf(byLength, Math.max(len + 1, byLength.length * 2));
    }
    byLength[len]++;
    return sums[residue];
  }

  /** The decimal integer in field {@code field} (0-based, ':'-separated), or MIN_VALUE. */
  private static int parseField(byte[] header, int headerLen, int field) {
    int f = 0;
    int i = 0;
    while (f < field && i < headerLen) {
      if (header[i++] == ':') {
        f++;
      }
    }
    int end = i;
    while (end < headerLen && header[end] != ':') {
      end++;
    }
    // Integer.parseInt accepts an optional sign and digits only.
    int start = i;
    boolean negative = false;
    if (start < end && (header[start] == '-' || header[start] == '+')) {
      negative = header[start] == '-';
      start++;
    }
    if (start == end || end - start > 9) {
      return Integer.MIN_VALUE;
    }
    int v = 0;
    for (int j = start; j < end; j++) {
      int d = header[j] - '0';
      if (d < 0 || d > 9) {
        return Integer.MIN_VALUE;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  /**
   * Notes the (cut) sequence hash of the read {@link #add} took last, while fewer than 100,000
   * distinct ones are noted; {@code seq} and {@code cutLength} are that (cut) sequence, whose
   * {@code String.hashCode()} is noted with a new one.
   */
  void addFirst(long h1, long h2, byte[] seq, int cutLength) {
    if (firsts >= FastqcDuplication.OBSERVATION_CUTOFF) {
      return;
    }
    if (seen == null) {
      seen = new HashSet128(1024);
    }
    if (seen.add(h1, h2) < 0) {
      if (firsts == firstH1.length) {
        int n = Math.max(64, firsts * 2);
        firstH1 = Arrays.copyOf(firstH1, n);
        firstH2 = Arrays.copyOf(firstH2, n);
        firstIndexes = Arrays.copyOf(firstIndexes, n);
        firstStringHashes = Arrays.copyOf(firstStringHashes, n);
      }
      firstH1[firsts] = h1;
      firstH2[firsts] = h2;
      firstIndexes[firsts] = reads - 1;
      firstStringHashes[firsts] = stringHash(seq, cutLength);
      firsts++;
      if (firsts == FastqcDuplication.OBSERVATION_CUTOFF) {
        seen = null; // no longer needed
      }
    }
  }

  /** {@code String.hashCode()} of the ASCII text {@code seq[0, len)}. */
  static int stringHash(byte[] seq, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + (seq[i] & 0xFF);
    }
    return h;
  }

  static int indexOf(byte[] seq, int len, byte[] pattern) {
    int m = pattern.length;
    if (m == 0) {
      return 0;
    }
    byte first = pattern[0];
    outer:
    for (int i = 0; i <= len - m; i++) {
      if (seq[i] != first) {
        continue;
      }
      for (int j = 1; j < m; j++) {
        if (seq[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Adds {@code next}, the partition that follows this one in the sample's read order, and returns
   * this. The per-tile sums of {@code next} are kept only for the residue that FastQC samples.
   */
  FastqcStats append(FastqcStats next) {
    flush();
    next.flush();
    if (next.reads == 0) {
      return this;
    }
    // FastQC samples read number k (1-based) when k % 10 == 0; next's local index i is read
    // number reads + i + 1.
    int residue = (int) Math.floorMod(-(reads + 1), 10L);
    if (!tilesIgnored) {
      if (next.tilesIgnored || (next.tileFailedResidues & (1 << residue)) != 0) {
        tilesIgnored = true;
        tileSums.clear();
        tileCounts.clear();
      } else {
        for (Map.Entry<Integer, long[][]> e : next.tileSums.entrySet()) {
          long[] s = e.getValue()[residue];
          if (s == null) {
            continue;
          }
          long[] k = next.tileCounts.get(e.getKey())[residue];
          long[][] mine = tileSums.computeIfAbsent(e.getKey(), x -> new long[1][0]);
          long[][] mineCounts = tileCounts.computeIfAbsent(e.getKey(), x -> new long[1][0]);
          mine[0] = addInto(mine[0], s);
          mineCounts[0] = addInto(mineCounts[0], k);
        }
        if (tileSums.size() > MAX_TILES + 1) {
          tilesIgnored = true;
          tileSums.clear();
          tileCounts.clear();
        }
      }
    }
    reads += next.reads;
    minLength = Math.min(minLength, next.minLength);
    maxLength = Math.max(maxLength, next.maxLength);
    lowestChar = Math.min(lowestChar, next.lowestChar);
    highestChar = Math.max(highestChar, next.highestChar);
    quality = addInto(quality, next.quality);
    bases = addInto(bases, next.bases);
    addInto(meanQualityChars, next.meanQualityChars);
    lengthCounts = addInto(lengthCounts, next.lengthCounts);
    next.gcByLength.forEach((k, v) -> gcByLength.merge(k, v, Long::sum));
    for (int a = 0; a < adapterHits.length; a++) {
      adapterHits[a] = addInto(adapterHits[a], next.adapterHits[a]);
    }
    return this;
  }

  /**
   * Makes the first partition's own per-tile sums the sample's: its read i is read number i + 1, so
   * FastQC samples residue 9. Called once on the first partition of a sample.
   */
  FastqcStats startSample() {
    FastqcStats s = new FastqcStats(sample, adapterHits.length);
    s.tileSums.clear();
    s.firstFile = firstFile;
    s.firstOffset = firstOffset;
    return s.append(this);
  }

  private static long[] addInto(long[] into, long[] from) {
    long[] out = into.length >= from.length ? into : Arrays.copyOf(into, from.length);
    for (int i = 0; i < from.length; i++) {
      out[i] += from[i];
    }
    return out;
  }

  /** The per-tile sums FastQC sampled, after {@link #startSample} and appends: tile -> sums. */
  Map<Integer, long[]> sampledTileSums() {
    Map<Integer, long[]> out = new HashMap<>();
    tileSums.forEach((tile, s) -> out.put(tile, s[0]));
    return out;
  }

  Map<Integer, long[]> sampledTileCounts() {
    Map<Integer, long[]> out = new HashMap<>();
    tileCounts.forEach((tile, s) -> out.put(tile, s[0]));
    return out;
  }
}
