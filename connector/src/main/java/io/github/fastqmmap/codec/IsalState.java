/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

/** One ISA-L {@code struct inflate_state} for raw deflate, in native memory. */
final class IsalState implements AutoCloseable {
  private final NativeBlock state = new NativeBlock(LibIsal.STATE_BYTES);

  IsalState() {
    LibIsal.isal_inflate_init(state.address());
  }

  void reset() {
    LibIsal.isal_inflate_reset(state.address());
  }

  void setInput(long address, int bytes) {
    state.setLong(LibIsal.NEXT_IN, address);
    state.setInt(LibIsal.AVAIL_IN, bytes);
  }

  void setOutput(long address, int bytes) {
    state.setLong(LibIsal.NEXT_OUT, address);
    state.setInt(LibIsal.AVAIL_OUT, bytes);
  }

  int availIn() {
    return state.getInt(LibIsal.AVAIL_IN);
  }

  /**
   * Whole bytes taken from the input but not used: ISA-L reads ahead into a bit buffer and keeps
   * what lies past the stream's end there when it finishes.
   */
  int unusedInputBytes() {
    return state.getInt(LibIsal.READ_IN_LENGTH) / 8;
  }

  int availOut() {
    return state.getInt(LibIsal.AVAIL_OUT);
  }

  /** Bytes written since the last reset (mod 2^32). */
  int totalOut() {
    return state.getInt(LibIsal.TOTAL_OUT);
  }

  /** Whether the end of the final deflate block was reached. */
  boolean finished() {
    return state.getInt(LibIsal.BLOCK_STATE) == LibIsal.BLOCK_FINISH;
  }

  /** Runs {@code isal_inflate}: a negative result is an error in the data. */
  int inflate() {
    return LibIsal.isal_inflate(state.address());
  }

  @Override
  public void close() {
    state.close();
  }
}
