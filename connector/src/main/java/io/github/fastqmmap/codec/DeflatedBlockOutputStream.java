/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deflates each block whole (a BGZF block, a gzip member) and writes the blocks in order, each on
 * the writing thread while the JVM's threads with a stream open are as many as the cores it may
 * use. With fewer (the last task of a stage, one task writing one file or one pair), the writer
 * hands blocks to the JVM's {@link DeflateThreads} for the cores left, deflating others itself
 * meanwhile, as {@code bgzip -@N} shares its threads among blocks. The bytes are the same either
 * way.
 *
 * <p>Why not always through the shared threads: handing every block over cost this VM's 2 cores
 * more system time than the idle ends of tasks it saved (2026-12-07, 1 GiB BGZF writes).
 */
public abstract class DeflatedBlockOutputStream extends BlockBufferedOutputStream
    implements Deflating {
  /** Per stream, the blocks in flight are bounded by bytes too (gzip members are 1 MiB). */
  private static final int MAX_BYTES_IN_FLIGHT = 8 << 20;

  /**
   * The open streams of this JVM by the thread that opened them. One thread deflates one block at a
   * time however many streams it writes (a pair task writes two), so cores are counted by threads.
   */
  private static final ConcurrentHashMap<Thread, Integer> OPEN_BY_THREAD =
      new ConcurrentHashMap<>();

  /** The blocks of this JVM handed to helpers and not yet deflated. */
  private static final AtomicInteger HELPED = new AtomicInteger();

  /** Blocks that helpers took, since the JVM started (for tests). */
  static final AtomicLong HELPER_BLOCKS = new AtomicLong();

  private final int blockBytes;
  private final int encodedBytes;
  private final int cores;
  private final Thread writer = Thread.currentThread();

  /** Null when only the writing thread deflates (one core). */
  private final DeflateThreads helpers;

  private final int maxInFlight;
  private final BlockDeflater own;
  private final byte[] encoded;

  /** Blocks deflated or being deflated, not yet written, in order. */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  private final ArrayDeque<byte[]> spareData = new ArrayDeque<>();
  private final ArrayDeque<byte[]> spareEncoded = new ArrayDeque<>();
  private long bytesDeflated;

  private record InFlight(byte[] data, int length, byte[] encoded, Future<Integer> size) {}

  /**
   * @param level deflate level, -1 (the default) to 9
   * @param encodedBytes room for one encoded block of {@code blockBytes} (headers included)
   * @param cores cores that may deflate the JVM's blocks at once; 1 deflates on the writing thread
   *     only
   */
  protected DeflatedBlockOutputStream(
      OutputStream out, int blockBytes, int level, int encodedBytes, int cores) {
    super(out, blockBytes);
    // Made here, on the writer's thread, where NativeCodecs may say to use the JDK only; helpers
    // follow its choice.
    this.own = BlockDeflater.create(level, blockBytes);
    this.blockBytes = blockBytes;
    this.encodedBytes = encodedBytes;
    this.cores = Math.max(1, cores);
    this.helpers = this.cores > 1 ? DeflateThreads.shared(this.cores - 1) : null;
    this.maxInFlight = Math.max(2, Math.min(2 * this.cores, MAX_BYTES_IN_FLIGHT / blockBytes));
    this.encoded = new byte[encodedBytes];
    OPEN_BY_THREAD.merge(writer, 1, Integer::sum);
  }

  /**
   * Encodes {@code data[0, length)} into {@code dst} with {@code deflater}, returning the encoded
   * size. Runs on any thread, several at once: it may use only its arguments.
   */
  protected abstract int encode(byte[] data, int length, BlockDeflater deflater, byte[] dst)
      throws IOException;

  /** Told, in order, of each block written: its data and encoded sizes. */
  protected void wrote(int dataLength, int encodedLength) {}

  @Override
  public final long bytesDeflated() {
    return bytesDeflated;
  }

  @Override
  public final boolean deflatesNatively() {
    return own.isNative();
  }

  @Override
  protected final void writeBlock() throws IOException {
    // Two blocks per idle core: one deflating, one waiting, so that the helper does not wait for
    // this thread to come back with the next.
    int spare =
        helpers == null
            ? 0
            : 2 * Math.min(helpers.threads(), cores - OPEN_BY_THREAD.size()) - HELPED.get();
    if (spare <= 0 && inFlight.isEmpty()) {
      emit(dataLength, encoded, encode(data, dataLength, own, encoded));
      dataLength = 0;
      return;
    }
    byte[] block = data;
    int length = dataLength;
    byte[] dst = spareEncoded.isEmpty() ? new byte[encodedBytes] : spareEncoded.pop();
    Future<Integer> size;
    if (spare > 0) {
      int level = own.level();
      boolean natively = own.isNative();
      HELPED.incrementAndGet();
      size =
          helpers.submit(
              () -> {
                try {
                  HELPER_BLOCKS.incrementAndGet();
                  return encode(
                      block, length, DeflateThreads.deflater(level, natively, blockBytes), dst);
                } finally {
                  HELPED.decrementAndGet();
                }
              });
    } else {
      size = CompletableFuture.completedFuture(encode(block, length, own, dst));
    }
    inFlight.add(new InFlight(block, length, dst, size));
    data = spareData.isEmpty() ? new byte[blockBytes] : spareData.pop();
    dataLength = 0;
    writeDeflated(maxInFlight);
  }

  @Override
  protected final void writeInFlight() throws IOException {
    writeDeflated(0);
  }

  /** Writes the blocks deflated so far in order, waiting while more than {@code keep} remain. */
  private void writeDeflated(int keep) throws IOException {
    while (!inFlight.isEmpty() && (inFlight.size() > keep || inFlight.peek().size().isDone())) {
      InFlight block = inFlight.poll();
      emit(block.length(), block.encoded(), await(block.size()));
      spareData.push(block.data());
      spareEncoded.push(block.encoded());
    }
  }

  private static int await(Future<Integer> size) throws IOException {
    try {
      return size.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while a block was deflated");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("Deflating a block failed: " + cause, cause);
    }
  }

  private void emit(int dataLength, byte[] block, int size) throws IOException {
    out.write(block, 0, size);
    bytesDeflated += dataLength;
    wrote(dataLength, size);
  }

  @Override
  protected void release() {
    OPEN_BY_THREAD.computeIfPresent(writer, (thread, open) -> open == 1 ? null : open - 1);
    // Blocks still with helpers finish there (a few, at most) and are dropped.
    inFlight.clear();
    own.close();
  }
}
