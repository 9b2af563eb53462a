/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappedFile;
import io.github.fastqmmap.mmap.MappingCounters;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.LateFaults;
import io.github.fastqmmap.testing.OpenFiles;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.TruncationCases;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that change under the Spark-free reader ({@link FastqFiles}). A file truncated while it is
 * mapped makes the next read of a lost page fault (SIGBUS, which the JVM raises as an {@code
 * InternalError} from {@code Unsafe}); the reader turns that into a {@link
 * FileChangedDuringReadException} naming the file, and the JVM goes on. Appending or unlinking a
 * file while it is read changes nothing the reader returns.
 */
class ChangedFileTest {
  @TempDir Path dir;

  private static FastqFileGenerator.Generated generated;

  @BeforeAll
  static void generate() {
    generated = FastqFileGenerator.builder(55).records(12_000).readLengths(100, 200).generate();
  }

  private static RecordReader open(Path file, MappingOptions mapping) throws IOException {
    return FastqFiles.open(
        file,
        0,
        Long.MAX_VALUE,
        ParseOptions.defaults(),
        mapping,
        new ParseCounters(),
        new MappingCounters());
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  @Test
  void truncationWhileReadingIsAFileChangedError() throws IOException {
    Assumptions.assumeTrue(MappedFile.nativeMappingAvailable(), "needs libc mapping");
    byte[] bytes = generated.bytes();
    // Warm the scanner up first, so that faults also arrive in JIT-compiled code.
    Path warm = generated.writeTo(dir.resolve("warm.fastq"));
    for (int i = 0; i < 5; i++) {
      try (RecordReader reader = open(warm, MappingOptions.defaults())) {
        assertThat(RecordReaderOutput.drain(reader)).hasSize(12_000);
      }
    }
    long[] newLengths = TruncationCases.newLengths(bytes.length);
    List<MappingOptions> mappings = TruncationCases.mappedWindows();
    int faults = 0;
    int lateFaults = 0;
    for (long newLength : newLengths) {
      for (MappingOptions mapping : mappings) {
        Path file = generated.writeTo(dir.resolve("shrinks-" + newLength + ".fastq"));
        List<Item> before = new ArrayList<>();
        boolean late;
        try (RecordReader reader = open(file, mapping)) {
          for (int i = 0; i < 20; i++) {
            assertThat(reader.next()).isTrue();
            before.add(RecordReaderOutput.toRead(reader.record()));
          }
          truncate(file, newLength);
          Throwable thrown =
              catchThrowable(
                  () -> {
                    while (reader.next()) {
                      before.add(RecordReaderOutput.toRead(reader.record()));
                    }
                  });
          // JDK 17 may raise a fault in compiled code only after next() has returned, in the
          // caller (README, "Guarantees and limits"): rows read before it may be garbage.
          late = isFaultDeliveredAfterNext(thrown);
          if (late) {
            lateFaults++;
          } else {
            assertFileChangedDuringRead(thrown, file);
            assertThat(thrown)
                .as("truncated to %d, %s", newLength, mapping)
                .hasMessageContaining("was " + bytes.length + " bytes when it was opened")
                .hasMessageContaining("truncated")
                .hasMessageContaining("open the file again");
            faults++;
          }
        }
        if (!late) {
          // What was returned before the fault is exactly the file's start.
          assertThat(before).isEqualTo(generated.reads().subList(0, before.size()));
        }
        if (OpenFiles.available()) {
          assertThat(OpenFiles.mappings(file)).isZero();
          assertThat(OpenFiles.descriptors(file)).isZero();
        }
      }
    }
    // How many faults arrive late depends on what the JIT compiled and inlined (alone none, after
    // the whole suite on JDK 17 about half), so only the sum is fixed. TruncationFaultIT shows, in
    // a JVM that only interprets, that next() reports every fault that reaches it.
    assertThat(faults + lateFaults).isEqualTo(newLengths.length * mappings.size());
    System.out.printf(
        Locale.ROOT,
        "ChangedFileTest: %d faults reported by next(), %d raised after it returned%n",
        faults,
        lateFaults);
    // The JVM is fine: the same file, read again as it is now, gives its records.
    Path file = generated.writeTo(dir.resolve("again.fastq"));
    try (RecordReader reader = open(file, MappingOptions.defaults())) {
      assertThat(RecordReaderOutput.drain(reader)).isEqualTo(generated.reads());
    }
  }

  @Test
  void aFaultStillPendingWhenTheReaderClosesIsAFileChangedErrorAndLeavesNothingOpen()
      throws IOException {
    Assumptions.assumeTrue(MappedFile.nativeMappingAvailable(), "needs libc mapping");
    Assumptions.assumeTrue(OpenFiles.available(), OpenFiles.UNAVAILABLE);
    // As JIT-compiled parsing leaves a fault it skipped: its error pending when close() begins.
    // Until the JIT has compiled the glue around close() (LateFaults), the fault may be raised in
    // it, before close() runs; every round must leave nothing open.
    boolean reportedByClose = false;
    for (int round = 0; !reportedByClose; round++) {
      assertThat(round).as("rounds until close() met the fault").isLessThan(40);
      boolean fault = round > 0; // the first resolves the call sites
      Path file = generated.writeTo(dir.resolve("pending-" + round + ".fastq"));
      RecordReader reader = open(file, TruncationCases.mappedWindows().get(0));
      for (int i = 0; i < 20; i++) {
        assertThat(reader.next()).isTrue();
      }
      Throwable thrown = LateFaults.run(dir, fault, reader::close);
      if (!fault) {
        assertThat(thrown).isNull();
      } else if (thrown instanceof InternalError) {
        reader.close(); // raised before close() began
      } else {
        assertFileChangedDuringRead(thrown, file);
        reportedByClose = true;
      }
      // Closing ran to its end before reporting it.
      assertThat(OpenFiles.mappings(file)).as("round %d", round).isZero();
      assertThat(OpenFiles.descriptors(file)).as("round %d", round).isZero();
      assertThat(PendingFault.take()).isNull();
    }
  }

  /**
   * The reader's error for a fault on {@code file}'s mapping: the JVM's InternalError suppressed,
   * not the cause (see the class comment).
   */
  private static void assertFileChangedDuringRead(Throwable thrown, Path file) {
    assertThat(thrown)
        .isInstanceOf(FileChangedDuringReadException.class)
        .hasMessageStartingWith("File changed during read: " + file)
        .hasNoCause()
        .satisfies(
            e -> {
              assertThat(((FileChangedDuringReadException) e).file()).isEqualTo(file.toString());
              assertThat(e.getSuppressed()).singleElement().isInstanceOf(InternalError.class);
            });
  }

  private static boolean isFaultDeliveredAfterNext(Throwable thrown) {
    return thrown instanceof InternalError
        && thrown.getMessage() != null
        && thrown.getMessage().contains("unsafe memory access");
  }

  @Test
  void appendingWhileReadingReadsTheFileAsOpened() throws IOException {
    Path file = generated.writeTo(dir.resolve("grows.fastq"));
    MappingOptions small =
        MappingOptions.builder().windowBytes(MappedFile.pageSize()).prefetchBytes(0).build();
    try (RecordReader reader = open(file, small)) {
      List<Item> reads = new ArrayList<>();
      assertThat(reader.next()).isTrue();
      reads.add(RecordReaderOutput.toRead(reader.record()));
      Files.write(file, generated.bytes(), StandardOpenOption.APPEND);
      reads.addAll(RecordReaderOutput.drain(reader));
      assertThat(reads).isEqualTo(generated.reads());
    }
    assertThat(Files.size(file)).isEqualTo(2L * generated.bytes().length);
  }

  @Test
  void unlinkingWhileReadingChangesNothing() throws IOException {
    Path file = generated.writeTo(dir.resolve("unlinked.fastq"));
    MappingOptions small =
        MappingOptions.builder().windowBytes(4L * MappedFile.pageSize()).prefetchBytes(0).build();
    try (RecordReader reader = open(file, small)) {
      List<Item> reads = new ArrayList<>();
      assertThat(reader.next()).isTrue();
      reads.add(RecordReaderOutput.toRead(reader.record()));
      Files.delete(file);
      // A new file under the same name is not the one being read.
      Files.write(file, ByteBuffer.allocate(10).array());
      reads.addAll(RecordReaderOutput.drain(reader));
      assertThat(reads).isEqualTo(generated.reads());
    }
  }
}
