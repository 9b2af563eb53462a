/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The map-or-copy decision of {@link WindowRead#AUTO}, fed with synthetic probe timings (no timing
 * of real runs): per MiB probed, in nanoseconds, shaped like those measured in the page-cache
 * states (docs/measurements/page-cache.md).
 */
class WindowChoiceTest {
  private static final long WINDOW = MappingOptions.DEFAULT_WINDOW_BYTES;

  @Test
  void theCheaperWayWinsWithTheLoopsOwnCostTakenOff() {
    // Written by a program: 1 fault per MiB like read-ahead, but touching costs 3 to 7 copies.
    assertThat(WindowChoice.copyIsCheaper(368_000, 26_000, 86_000)).isTrue();
    assertThat(WindowChoice.copyIsCheaper(323_000, 12_000, 100_000)).isTrue();
    // Copied with cp.
    assertThat(WindowChoice.copyIsCheaper(440_000, 15_000, 70_000)).isTrue();
    // Read ahead: the mapping adds a fifth of the copy.
    assertThat(WindowChoice.copyIsCheaper(30_000, 17_000, 62_000)).isFalse();
    // A region of the same file cached in smaller folios (read-ahead ramps up from small ones):
    // dearer than the copy, but not twice as dear, so it stays mapped.
    assertThat(WindowChoice.copyIsCheaper(95_000, 14_000, 63_000)).isFalse();
    // The loop not yet compiled: its own cost is most of the touch time and is not the mapping's.
    assertThat(WindowChoice.copyIsCheaper(120_000, 100_000, 60_000)).isFalse();
    assertThat(WindowChoice.copyIsCheaper(50_000, 2_000_000, 60_000)).isFalse();
    // Up to twice the copy's cost keeps the mapping.
    assertThat(WindowChoice.copyIsCheaper(70_000, 10_000, 60_000)).isFalse();
    assertThat(WindowChoice.copyIsCheaper(130_000, 10_000, 60_000)).isFalse();
    assertThat(WindowChoice.copyIsCheaper(130_001, 10_000, 60_000)).isTrue();
    // A clock that went backwards (or a negative loop time) counts as no loop cost.
    assertThat(WindowChoice.copyIsCheaper(140_001, -5, 70_000)).isTrue();
  }

  @Test
  void aMappedFileIsProbedAtEveryWindow() {
    WindowChoice choice = new WindowChoice();
    for (int i = 0; i < 20; i++) {
      assertThat(choice.copyWithoutProbe(WINDOW, WINDOW)).isFalse();
      assertThat(choice.probed(30_000, 17_000, 62_000)).isFalse();
    }
    assertThat(choice.copying()).isFalse();
  }

  @Test
  void aCopiedFileIsProbedAgainEveryEighthWindow() {
    WindowChoice choice = new WindowChoice();
    assertThat(choice.copyWithoutProbe(WINDOW, WINDOW)).isFalse();
    assertThat(choice.probed(368_000, 26_000, 86_000)).isTrue();
    List<Integer> probedAt = new ArrayList<>();
    for (int window = 1; window <= 24; window++) {
      if (!choice.copyWithoutProbe(WINDOW, WINDOW)) {
        probedAt.add(window);
        assertThat(choice.probed(368_000, 26_000, 86_000)).isTrue();
      }
    }
    assertThat(probedAt).containsExactly(8, 16, 24);
    assertThat(WindowChoice.PROBE_EVERY).isEqualTo(8);
  }

  @Test
  void copiesShorterThanTheWindowProbeAgainAfterEightWindowsOfBytes() {
    WindowChoice choice = new WindowChoice();
    choice.probed(368_000, 26_000, 86_000);
    long copy = MappedByteSource.COPY_WINDOW_BYTES;
    int copies = 0;
    while (choice.copyWithoutProbe(WINDOW, copy)) {
      copies++;
    }
    // 16 MiB windows copied 2 MiB at a time: a probe after 128 MiB, as with whole windows.
    assertThat(copies).isEqualTo(WindowChoice.PROBE_EVERY * (int) (WINDOW / copy) - 1);
    assertThat(copies).isEqualTo(63);
  }

  @Test
  void aProbeThatFindsTheMappingCheaperMapsAgain() {
    WindowChoice choice = new WindowChoice();
    choice.probed(368_000, 26_000, 86_000);
    int window = 0;
    while (choice.copyWithoutProbe(WINDOW, WINDOW)) {
      window++;
    }
    assertThat(window).isEqualTo(WindowChoice.PROBE_EVERY - 1);
    // The page cache now holds the file as read ahead: back to mapping, probing every window.
    assertThat(choice.probed(30_000, 17_000, 62_000)).isFalse();
    assertThat(choice.copying()).isFalse();
    assertThat(choice.copyWithoutProbe(WINDOW, WINDOW)).isFalse();
    // And copying again starts a fresh count of eight.
    assertThat(choice.probed(440_000, 15_000, 70_000)).isTrue();
    window = 0;
    while (choice.copyWithoutProbe(WINDOW, WINDOW)) {
      window++;
    }
    assertThat(window).isEqualTo(WindowChoice.PROBE_EVERY - 1);
  }

  @Test
  void windowsTooShortForAProbeFollowTheFilesChoiceWithoutCounting() {
    WindowChoice choice = new WindowChoice();
    long shortWindow = MappedByteSource.PROBE_MIN_WINDOW - 1;
    // Mapping: a short window is not copied (the caller maps it without a probe).
    assertThat(choice.copyWithoutProbe(shortWindow, shortWindow)).isFalse();
    choice.probed(368_000, 26_000, 86_000);
    for (int i = 0; i < 3 * WindowChoice.PROBE_EVERY; i++) {
      assertThat(choice.copyWithoutProbe(shortWindow, shortWindow)).isTrue();
    }
    // Short windows did not move the count: the next probe is still seven full windows away.
    int window = 0;
    while (choice.copyWithoutProbe(WINDOW, WINDOW)) {
      window++;
    }
    assertThat(window).isEqualTo(WindowChoice.PROBE_EVERY - 1);
  }

  @Test
  void aMappedFileTimesACopyAtItsFirstProbeAndEveryEighthAfter() {
    WindowChoice choice = new WindowChoice();
    List<Integer> timedAt = new ArrayList<>();
    for (int probe = 0; probe < 25; probe++) {
      boolean timed = choice.timeCopy();
      if (timed) {
        timedAt.add(probe);
      }
      assertThat(choice.probed(30_000, 17_000, timed ? 62_000 : -1)).isFalse();
    }
    assertThat(timedAt).containsExactly(0, 8, 16, 24);
  }

  @Test
  void anUntimedProbeIsJudgedAgainstTheLastTimedCopy() {
    WindowChoice choice = new WindowChoice();
    // No copy timed yet: nothing to compare with, so the window stays mapped.
    assertThat(choice.probed(400_000, 10_000, -1)).isFalse();
    assertThat(choice.timeCopy()).isTrue();
    assertThat(choice.probed(30_000, 17_000, 62_000)).isFalse();
    assertThat(choice.timeCopy()).isFalse();
    // The page cache now holds the file in small pages: the last copy time (62 µs) decides.
    assertThat(choice.probed(400_000, 10_000, -1)).isTrue();
    // While the file is copied, every probe times its copy again.
    for (int i = 0; i < 3; i++) {
      assertThat(choice.timeCopy()).isTrue();
      assertThat(choice.probed(400_000, 10_000, 70_000)).isTrue();
    }
    // Back to mapping: the latest copy time stands in until the eighth probe.
    assertThat(choice.probed(30_000, 17_000, 70_000)).isFalse();
    assertThat(choice.probed(85_000, 10_000, -1)).as("75 µs against 70 µs").isFalse();
    assertThat(choice.probed(155_000, 10_000, -1)).as("145 µs against twice 70 µs").isTrue();
  }
}
