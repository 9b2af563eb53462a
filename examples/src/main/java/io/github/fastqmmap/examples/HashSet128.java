/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An open-addressing set of 128-bit hashes that numbers its members in insertion order, on
 * primitive arrays (no object per member), for counting sequences by hash inside a task.
 */
final class HashSet128 implements Serializable {
  private static final long serialVersionUID = 1L;

  private long[] k1;
  private long[] k2;

  /** Member number + 1 at each slot; 0 marks an empty slot. */
  private int[] slots;

  private int size;

  HashSet128(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    k1 = new long[capacity];
    k2 = new long[capacity];
    slots = new int[capacity];
  }

  int size() {
    return size;
  }

  /** The member number of (h1, h2), or -1. */
  int indexOf(long h1, long h2) {
    int mask = slots.length - 1;
    for (int i = (int) (h1 ^ (h1 >>> 32)) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return -1;
      }
      if (k1[i] == h1 && k2[i] == h2) {
        return s - 1;
      }
    }
  }

  /** Adds (h1, h2) if absent; returns its member number, negative ({@code -n - 1}) when new. */
  int add(long h1, long h2) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = (int) (h1 ^ (h1 >>> 32)) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        k1[i] = h1;
        k2[i] = h2;
        slots[i] = ++size;
        return -size;
      }
      if (k1[i] == h1 && k2[i] == h2) {
        return s - 1;
      }
    }
  }

  private void grow() {
    long[] o1 = k1;
    long[] o2 = k2;
    int[] os = slots;
    k1 = new long[o1.length * 2];
    k2 = new long[o2.length * 2];
    slots = new int[os.length * 2];
    int mask = slots.length - 1;
    for (int j = 0; j < os.length; j++) {
      if (os[j] == 0) {
        continue;
      }
      int i = (int) (o1[j] ^ (o1[j] >>> 32)) & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      k1[i] = o1[j];
      k2[i] = o2[j];
      slots[i] = os[j];
    }
  }

  /** Receives a member of the set. */
  interface Visitor {
    void visit(long h1, long h2, int member);
  }

  /** Visits every member, in slot order. */
  void forEach(Visitor v) {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != 0) {
        v.visit(k1[i], k2[i], slots[i] - 1);
      }
    }
  }

  @Override
  public String toString() {
    return "HashSet128[" + size + "/" + Arrays.stream(slots).filter(s -> s != 0).count() + "]";
  }
}
