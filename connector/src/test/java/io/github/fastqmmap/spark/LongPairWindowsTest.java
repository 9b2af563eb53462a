/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How tasks of long pairs choose between mapped and copied windows: one of each first, then the way
 * that cost less CPU per byte (ties mapped), with every eighth task measuring the other way.
 */
class LongPairWindowsTest {
  private static List<Boolean> next(LongPairWindows w, int tasks) {
    List<Boolean> ways = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      ways.add(w.copyNext());
    }
    return ways;
  }

  @Test
  void theFirstTasksMapThenCopyUntilBothWaysAreMeasured() {
    LongPairWindows w = new LongPairWindows();
    assertThat(next(w, 2)).containsExactly(false, true);
    w.finished(false, 1_000, 1_000);
    // Copying is not measured yet: the next tasks copy until one reports.
    assertThat(next(w, 2)).containsExactly(true, true);
    w.finished(true, 700, 1_000);
    assertThat(w.copiesNow()).isTrue();
  }

  @Test
  void theCheaperWayIsTakenAndEvery32ndTaskTakesTheOther() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.8);
    List<Boolean> ways = next(w, 2 * LongPairWindows.EXPLORE_EVERY);
    for (int i = 0; i < ways.size(); i++) {
      assertThat(ways.get(i)).as("task %d", i).isEqualTo(i % 32 != 31);
    }
    w.reset(0.8, 1.0);
    ways = next(w, LongPairWindows.EXPLORE_EVERY);
    for (int i = 0; i < ways.size(); i++) {
      assertThat(ways.get(i)).as("task %d", i).isEqualTo(i == 31);
    }
  }

  @Test
  void tiesMap() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.96);
    assertThat(w.copiesNow()).isFalse();
    w.reset(1.0, 0.94);
    assertThat(w.copiesNow()).isTrue();
  }

  @Test
  void newMeasurementsMoveTheChoiceAndEmptyOnesAreIgnored() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.8);
    w.finished(true, 0, 1_000);
    w.finished(true, 1_000, 0);
    assertThat(w.copiesNow()).isTrue();
    // Copying measured at 1.6 ns a byte: the mean moves halfway, to 1.2, dearer than mapping.
    w.finished(true, 1_600, 1_000);
    assertThat(w.copiesNow()).isFalse();
    // Mapping measured dearer still: 1.0 moves halfway to 2.0, 1.5; copying at 1.2 is cheaper.
    w.finished(false, 2_000, 1_000);
    assertThat(w.copiesNow()).isTrue();
  }
}
