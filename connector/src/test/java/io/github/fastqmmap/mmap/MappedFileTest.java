/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import io.github.fastqmmap.parse.NativeMemory;
import io.github.fastqmmap.parse.OptionValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libc mapping layer on real temp files: map, advise, unmap, errors, counters, faults. */
class MappedFileTest {
  @TempDir Path dir;

  private int page;
  private byte[] content;
  private Path file;

  @BeforeEach
  void setUp() throws IOException {
    page = MappedFile.pageSize();
    content = new byte[5 * page + 123];
    new Random(1).nextBytes(content);
    file = Files.write(dir.resolve("data.bin"), content);
  }

  private static void assumeNative() {
    Assumptions.assumeTrue(
        MappedFile.nativeMappingAvailable(),
        "libc mapping through JNA is unavailable here: " + NativeLibc.UNAVAILABLE_REASON);
  }

  /** Checks that a window's view holds the file's bytes. */
  private void assertHoldsFileBytes(MappedWindow w) {
    byte[] seen = new byte[(int) (w.end() - w.start())];
    NativeMemory.copyToArray(w.view().address(), seen, 0, seen.length);
    byte[] expected = new byte[seen.length];
    System.arraycopy(content, (int) w.start(), expected, 0, seen.length);
    assertThat(seen).isEqualTo(expected);
    assertThat(NativeMemory.getByte(w.addressOf(w.start()))).isEqualTo(content[(int) w.start()]);
  }

  @Test
  void pageSizeIsAPowerOfTwo() {
    assertThat(page).isGreaterThanOrEqualTo(4096);
    assertThat(Integer.bitCount(page)).isEqualTo(1);
    assertThat(MappedFile.pageFloor(0)).isZero();
    assertThat(MappedFile.pageFloor(page - 1)).isZero();
    assertThat(MappedFile.pageFloor(page)).isEqualTo(page);
    assertThat(MappedFile.pageFloor(3L * page + 5)).isEqualTo(3L * page);
  }

  @Test
  void nativeMappingIsUsedOnLinux() {
    Assumptions.assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
        "the libc path is required on Linux only");
    assertThat(MappedFile.nativeMappingAvailable())
        .as("JNA libc binding: %s", NativeLibc.UNAVAILABLE_REASON)
        .isTrue();
    assertThat(NativeLibc.LINUX).isTrue();
  }

  @Test
  void mapsPageAlignedWindowsThatHoldTheFileBytes() throws IOException {
    assumeNative();
    MappingCounters counters = new MappingCounters();
    try (MappedFile mapped = MappedFile.open(file, counters)) {
      assertThat(mapped).isInstanceOf(PosixMappedFile.class);
      assertThat(mapped.path()).isEqualTo(file);
      assertThat(mapped.length()).isEqualTo(content.length);
      assertThat(mapped.lastModifiedMillis()).isEqualTo(Files.getLastModifiedTime(file).toMillis());
      long[][] ranges = {
        {0, 10},
        {1, page},
        {page - 1, page + 1},
        {page, 2L * page},
        {page + 7, content.length},
        {content.length - 1, content.length},
        {3L * page + 100, 3L * page + 101}
      };
      long bytesMapped = 0;
      for (long[] r : ranges) {
        MappedWindow w = mapped.map(r[0], r[1], MappingOptions.defaults());
        assertThat(w.mapOffset % page).as("mapOffset of %d", r[0]).isZero();
        assertThat(w.mapOffset).isLessThanOrEqualTo(r[0]).isGreaterThan(r[0] - page);
        assertThat(w.mapAddress % page).isZero();
        assertThat(w.mapLength).isEqualTo(r[1] - w.mapOffset);
        assertThat(w.start()).isEqualTo(r[0]);
        assertThat(w.end()).isEqualTo(r[1]);
        assertThat(w.view().eof()).isEqualTo(r[1] == content.length);
        assertHoldsFileBytes(w);
        bytesMapped += w.mapLength;
        mapped.unmap(w);
      }
      assertThat(counters.windowsMapped).isEqualTo(ranges.length);
      assertThat(counters.bytesMapped).isEqualTo(bytesMapped);
      assertThat(counters.madviseCalls).isEqualTo(ranges.length); // the read advice, once each
      assertThat(counters.madviseFailures).isZero();
      assertThat(counters.mapNanos).isPositive();
    }
  }

  @Test
  void adviceIsAppliedToWholePagesAndRefusalsAreCounted() throws IOException {
    assumeNative();
    MappingCounters counters = new MappingCounters();
    try (MappedFile mapped = MappedFile.open(file, counters)) {
      MappedWindow w = mapped.map(page + 5, 4L * page, MappingOptions.defaults());
      long calls = counters.madviseCalls;
      for (ReadAdvice advice : ReadAdvice.values()) {
        assertThat(mapped.advise(w, page + 5, 2L * page + 9, advice.madviseValue()))
            .as(advice.optionValue())
            .isTrue();
      }
      assertThat(counters.madviseCalls).isEqualTo(calls + ReadAdvice.values().length);
      // Outside the window there is nothing to advise and no call is made.
      assertThat(mapped.advise(w, 4L * page, 5L * page, ReadAdvice.WILLNEED.madviseValue()))
          .isTrue();
      assertThat(counters.madviseCalls).isEqualTo(calls + ReadAdvice.values().length);
      // An advice value the kernel does not know is refused (EINVAL), counted, and not thrown.
      assertThat(mapped.advise(w, page + 5, 2L * page, 12345)).isFalse();
      assertThat(counters.madviseFailures).isEqualTo(1);
      mapped.dropFromCache(0, page); // best effort, never fails
      mapped.unmap(w);
    }
  }

  @Test
  void missingPathsDirectoriesAndDevicesGetClearErrors() throws IOException {
    Path missing = dir.resolve("no-such.fastq");
    assertThatThrownBy(() -> MappedFile.open(missing, new MappingCounters()))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> MappedFile.open(dir, new MappingCounters()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir + " is a directory, not a FASTQ file")
        .hasMessageContaining("name the files to read");
    Path devNull = Path.of("/dev/null");
    Assumptions.assumeTrue(Files.exists(devNull), "no /dev/null");
    assertThatThrownBy(() -> MappedFile.open(devNull, new MappingCounters()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/dev/null is not a regular file");
  }

  @Test
  void libcErrorsCarryErrnoText() throws IOException {
    assumeNative();
    Path missing = dir.resolve("gone.fastq");
    assertThatThrownBy(() -> PosixMappedFile.openPosix(missing, new MappingCounters()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot open " + missing + " for reading: errno 2 (")
        .hasMessageContaining("No such file or directory")
        .hasCauseInstanceOf(LastErrorException.class);
    // A directory opens read-only on Linux, but cannot be mapped.
    try (PosixMappedFile directory = PosixMappedFile.openPosix(dir, new MappingCounters())) {
      assertThatThrownBy(() -> directory.map(0, page, MappingOptions.defaults()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("mmap of " + page + " bytes of " + dir + " at offset 0")
          .hasMessageContaining("failed: errno ")
          .hasMessageContaining("Check that the file system supports mmap");
    }
    assertThat(NativeLibc.describe(new LastErrorException(2)))
        .isEqualTo("errno 2 (No such file or directory)");
  }

  @Test
  void absurdMappingSizeNamesTheLimitsToCheck() throws IOException {
    assumeNative();
    MappingCounters counters = new MappingCounters();
    try (MappedFile mapped = MappedFile.open(file, counters)) {
      long absurd = 1L << 50; // more address space than a 64-bit process has
      assertThatThrownBy(() -> mapped.map(0, absurd, MappingOptions.defaults()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("mmap of " + absurd + " bytes of " + file + " at offset 0")
          .hasMessageContaining("errno 12 (Cannot allocate memory)")
          .hasMessageContaining("ulimit -v")
          .hasMessageContaining("vm.max_map_count");
      assertThat(counters.windowsMapped).isZero();
      assertThat(counters.bytesMapped).isZero();
    }
  }

  @Test
  void optionalBehavioursNeverFail() throws IOException {
    assumeNative();
    MappingOptions everything =
        MappingOptions.builder()
            .lock(true)
            .hugePages(true)
            .populate(true)
            .dropBehind(true)
            .readAdvice(ReadAdvice.WILLNEED)
            .build();
    MappingCounters counters = new MappingCounters();
    try (MappedFile mapped = MappedFile.open(file, counters)) {
      for (int i = 0; i < 3; i++) {
        MappedWindow w = mapped.map(i * (long) page, content.length, everything);
        assertHoldsFileBytes(w);
        mapped.unmap(w);
      }
    }
    // Each refusal is counted once per window, never thrown.
    assertThat(counters.windowsMapped).isEqualTo(3);
    assertThat(counters.lockFailures).isIn(0L, 3L);
    assertThat(counters.hugePageFailures).isIn(0L, 3L);
    assertThat(counters.madviseFailures).isEqualTo(counters.hugePageFailures);
    assertThat(counters.madviseCalls).isEqualTo(6); // read advice and MADV_HUGEPAGE per window
  }

  @Test
  void touchingAFreshMappingTakesMinorFaults() throws IOException {
    assumeNative();
    byte[] big = new byte[256 * page];
    new Random(2).nextBytes(big);
    Path fresh = Files.write(dir.resolve("fresh.bin"), big);
    MappingCounters counters = new MappingCounters();
    ThreadFaults faults = new ThreadFaults();
    try (MappedFile mapped = MappedFile.open(fresh, counters)) {
      MappingOptions plain = MappingOptions.builder().readAdvice(ReadAdvice.RANDOM).build();
      MappedWindow w = mapped.map(0, big.length, plain);
      faults.sample();
      long minorBefore = faults.minor;
      long majorBefore = faults.major;
      long sum = 0;
      for (long offset = 0; offset < big.length; offset += page) {
        sum += NativeMemory.getByte(w.addressOf(offset));
      }
      faults.sample();
      long expectedSum = 0;
      for (int offset = 0; offset < big.length; offset += page) {
        expectedSum += big[offset];
      }
      assertThat(sum).isEqualTo(expectedSum);
      // MADV_RANDOM turns off fault-around, so each touched page faults on its own; allow for a
      // kernel that maps some pages ahead anyway.
      assertThat(faults.minor - minorBefore).isGreaterThanOrEqualTo(8);
      assertThat(faults.major).isGreaterThanOrEqualTo(majorBefore);
      mapped.unmap(w);
    }
  }

  @Test
  void fileChannelFallbackMapsAndReads() throws IOException {
    MappingCounters counters = new MappingCounters();
    try (ChannelMappedFile mapped = ChannelMappedFile.openChannel(file, counters)) {
      assertThat(mapped.length()).isEqualTo(content.length);
      long[][] ranges = {{0, 10}, {page - 3, 2L * page + 1}, {7, content.length}};
      long bytes = 0;
      for (long[] r : ranges) {
        MappedWindow w = mapped.map(r[0], r[1], MappingOptions.defaults());
        assertThat(w.start()).isEqualTo(r[0]);
        assertThat(w.end()).isEqualTo(r[1]);
        assertThat(w.view().eof()).isEqualTo(r[1] == content.length);
        assertHoldsFileBytes(w);
        assertThat(mapped.advise(w, r[0], r[1], ReadAdvice.WILLNEED.madviseValue())).isTrue();
        bytes += r[1] - r[0];
        mapped.unmap(w);
      }
      mapped.dropFromCache(0, page);
      assertThat(counters.windowsMapped).isEqualTo(ranges.length);
      assertThat(counters.bytesMapped).isEqualTo(bytes);
      assertThat(counters.madviseCalls).isZero(); // no advice without libc
      assertThatThrownBy(() -> mapped.map(0, 3L << 30, MappingOptions.defaults()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot map " + (3L << 30) + " bytes of " + file)
          .hasMessageContaining("FileChannel.map stops at 2 GiB")
          .hasMessageContaining("lower windowBytes");
    }
    assertThatThrownBy(() -> ChannelMappedFile.openChannel(dir.resolve("nope"), counters))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void countersAdd() {
    MappingCounters a = new MappingCounters();
    a.bytesMapped = 1;
    a.windowsMapped = 2;
    a.madviseCalls = 3;
    a.madviseFailures = 4;
    a.lockFailures = 5;
    a.hugePageFailures = 6;
    a.mapNanos = 7;
    a.minorFaults = 8;
    a.majorFaults = 9;
    MappingCounters b = new MappingCounters();
    b.add(a);
    b.add(a);
    assertThat(b)
        .extracting(
            c -> c.bytesMapped,
            c -> c.windowsMapped,
            c -> c.madviseCalls,
            c -> c.madviseFailures,
            c -> c.lockFailures,
            c -> c.hugePageFailures,
            c -> c.mapNanos,
            c -> c.minorFaults,
            c -> c.majorFaults)
        .containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
  }

  @Test
  void optionsValidateAndParse() {
    assertThatThrownBy(() -> MappingOptions.builder().windowBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("windowBytes must be positive, got 0");
    assertThatThrownBy(() -> MappingOptions.builder().prefetchBytes(-1))
        .hasMessageContaining("prefetchBytes must be 0 or positive, got -1");
    assertThat(OptionValue.parse(ReadAdvice.class, "readAdvice", " Sequential "))
        .isEqualTo(ReadAdvice.SEQUENTIAL);
    assertThat(OptionValue.parse(ReadAdvice.class, "readAdvice", "WILLNEED"))
        .isEqualTo(ReadAdvice.WILLNEED);
    assertThatThrownBy(() -> OptionValue.parse(ReadAdvice.class, "readAdvice", "fast"))
        .hasMessageContaining("Invalid value 'fast' for fastq-mmap option 'readAdvice'")
        .hasMessageContaining("normal, sequential, random, willneed");
    MappingOptions o =
        MappingOptions.builder()
            .windowBytes(8192)
            .prefetchBytes(0)
            .lock(true)
            .hugePages(true)
            .build();
    assertThat(o.toString())
        .isEqualTo("windowBytes=8192, prefetchBytes=0, readAdvice=sequential, lock, hugePages");
    assertThat(MappingOptions.defaults().windowBytes())
        .isEqualTo(MappingOptions.DEFAULT_WINDOW_BYTES);
  }
}
