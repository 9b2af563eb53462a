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
public final class FastqcStats implements Serializable {
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

  /** Moves the unboxed run into {@link #gcByLength}; before serialization and merging. */
  void flushGc() {
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

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flushGc();
    out.defaultWriteObject();
  }

  /** adapterHits[adapter][index]: reads where the adapter first occurs at that index. */
  long[][] adapterHits;

  /** Per tile, for each residue of the local read index mod 10: sums of quality chars. */
  final HashMap<Integer, long[][]> tileSums = new HashMap<>();

  /** Per tile and residue: bases counted (per position). */
  final HashMap<Integer, long[][]> tileCounts = new HashMap<>();

  /** The tile of the previous read and its arrays: reads of a tile come in runs. */
  private transient int lastTile = Integer.MIN_VALUE;

  private transient long[][] lastTileSums;
  private transient long[][] lastTileCounts;

  /** Residues (bit r) in which a sampled read had no parsable tile: FastQC drops the module. */
  int tileFailedResidues;

  /** Set once the per-tile module is known to be dropped (header without tile, too many tiles). */
  boolean tilesIgnored;

  /**
   * The segment's first distinct (cut) sequences, up to FastQC's 100,000, as hashes with the index
   * of their first read within the segment (0 for its first read), in read order: the sample's
   * first 100,000 distinct sequences are the first 100,000 distinct ones of this list taken segment
   * after segment.
   */
  long[] firstH1 = new long[0];

  long[] firstH2 = new long[0];
  long[] firstIndexes = new long[0];
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
    int gcTruncated = len > 1000 ? len / 1000 * 1000 : len > 100 ? len / 100 * 100 : len;
    int gc = 0;
    int gcInTruncated = 0;
    long qualitySum = 0;
    int low = lowestChar;
    int high = highestChar;
    if (adapterSource != adapterSequences) {
      prepareAdapters(adapterSequences);
    }
    // The adapters are found in the same loop: a rolling 2-bit code of the last bases (the slot
    // numbers of G, A, T, C); where its last 8 bases are the end of some adapter (a table
    // lookup), it is compared with each adapter's code. The loop has no branch on the base itself
    // (random bases would mispredict most of them).
    byte[] filter = adapterFilter;
    int adapterCount = filter == null ? 0 : adapterCodes.length;
    long found = 0;
    long allFound = adapterCount == 0 ? 0 : -1L >>> (64 - adapterCount);
    long code = 0;
    int run = 0;
    long[] bases = this.bases;
    long[] quality = this.quality;
    for (int i = 0; i < len; i++) {
      int slot = SLOTS[seq[i] & 0xff];
      if (slot < 5) {
        bases[i * 5 + slot]++;
      }
      gc += GC[slot];
      if (i + 1 == gcTruncated) {
        gcInTruncated = gc;
      }
      int q = qual[i] & 0x7f;
      quality[i * CHARS + q]++;
      qualitySum += q;
      low = Math.min(low, q);
      high = Math.max(high, q);
      if (slot < 4) {
        code = (code << 2) | slot;
        run++;
      } else {
        run = 0;
      }
      if (filter != null && filter[(int) code & 0xffff] != 0 && found != allFound) {
        for (int k = 0; k < adapterCount; k++) {
          int m = adapterLengths[k];
          if (run >= m && (code & adapterMasks[k]) == adapterCodes[k] && (found & 1L << k) == 0) {
            found |= 1L << k;
            addAdapterHit(k, i - m + 1);
          }
        }
      }
    }
    lowestChar = low;
    highestChar = high;
    if (len > 0) {
      meanQualityChars[(int) (qualitySum / len)]++;
      countGc(gcTruncated, gcInTruncated);
    }
    if (filter == null) {
      for (int k = 0; k < adapterSequences.length; k++) {
        int index = indexOf(seq, len, adapterSequences[k]);
        if (index >= 0) {
          addAdapterHit(k, index);
        }
      }
    }
    if (!tilesIgnored) {
      addTile((int) (local % 10), qual, len, header, headerLen);
    }
  }

  private void addAdapterHit(int k, int index) {
    long[] hits = adapterHits[k];
    if (hits.length <= index) {
      adapterHits[k] = hits = Arrays.copyOf(hits, Math.max(index + 1, hits.length * 2));
    }
    hits[index]++;
  }

  /** The adapters {@link #adapterCodes} was made from. */
  private transient byte[][] adapterSource;

  /**
   * Each adapter as 2-bit codes (G, A, T, C as 0 to 3), or null when some adapter is not made of
   * those letters, is shorter than 8 or longer than 31 bases, or there are more than 63: then each
   * adapter is searched for on its own.
   */
  private transient long[] adapterCodes;

  private transient long[] adapterMasks;
  private transient int[] adapterLengths;

  /** Non-zero at the codes of the adapters' last 8 bases. */
  private transient byte[] adapterFilter;

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
    adapterCodes = null;
    adapterFilter = null;
    if (adapters.length == 0 || adapters.length > 63) {
      return;
    }
    long[] codes = new long[adapters.length];
    long[] masks = new long[adapters.length];
    int[] lengths = new int[adapters.length];
    for (int k = 0; k < adapters.length; k++) {
      byte[] a = adapters[k];
      if (a.length < 8 || a.length > 31) {
        return;
      }
      long c = 0;
      for (byte b : a) {
        int slot = "GATC".indexOf(b);
        if (slot < 0) {
          return;
        }
        c = (c << 2) | slot;
      }
      codes[k] = c;
      masks[k] = (1L << (2 * a.length)) - 1;
      lengths[k] = a.length;
    }
    adapterCodes = codes;
    adapterMasks = masks;
    adapterLengths = lengths;
    adapterFilter = new byte[1 << 16];
    for (long c : codes) {
      adapterFilter[(int) c & 0xffff] = 1;
    }
  }

  private void addTile(int residue, byte[] qual, int len, byte[] header, int headerLen) {
    // FastQC splits the whole header line at ':': with 7 or more fields the tile is the 5th
    // (Casava 1.8), with 5 or 6 the 3rd (older Illumina); otherwise there is no tile.
    int fields = 1;
    for (int i = 0; i < headerLen; i++) {
      if (header[i] == ':') {
        fields++;
      }
    }
    int field = fields >= 7 ? 4 : fields >= 5 ? 2 : -1;
    int tile = field < 0 ? -1 : parseField(header, headerLen, field);
    if (tile == Integer.MIN_VALUE || field < 0) {
      tileFailedResidues |= 1 << residue;
      if (tileFailedResidues == 0x3ff) {
        tilesIgnored = true;
        tileSums.clear();
        tileCounts.clear();
      }
      return;
    }
    long[][] sums = tile == lastTile && lastTileSums != null ? lastTileSums : tileSums.get(tile);
    if (sums == null) {
      if (tileSums.size() > MAX_TILES) {
        tilesIgnored = true;
        tileSums.clear();
        tileCounts.clear();
        return;
      }
      sums = new long[10][];
      tileSums.put(tile, sums);
      tileCounts.put(tile, new long[10][]);
    }
    long[][] counts =
        tile == lastTile && lastTileCounts != null ? lastTileCounts : tileCounts.get(tile);
    lastTile = tile;
    lastTileSums = sums;
    lastTileCounts = counts;
    if (sums[residue] == null || sums[residue].length < len) {
      sums[residue] = sums[residue] == null ? new long[len] : Arrays.copyOf(sums[residue], len);
      counts[residue] =
          counts[residue] == null ? new long[len] : Arrays.copyOf(counts[residue], len);
    }
    long[] s = sums[residue];
    long[] k = counts[residue];
    for (int i = 0; i < len; i++) {
      s[i] += qual[i] & 0x7f;
      k[i]++;
    }
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
   * distinct ones are noted.
   */
  void addFirst(long h1, long h2) {
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
      }
      firstH1[firsts] = h1;
      firstH2[firsts] = h2;
      firstIndexes[firsts] = reads - 1;
      firsts++;
      if (firsts == FastqcDuplication.OBSERVATION_CUTOFF) {
        seen = null; // no longer needed
      }
    }
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
    flushGc();
    next.flushGc();
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
