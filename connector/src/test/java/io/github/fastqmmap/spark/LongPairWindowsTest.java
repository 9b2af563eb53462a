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
 * that cost less CPU per byte (ties copied), with every 32nd task measuring the other way, less
 * often while those measurements confirm the choice, and never late in a stage.
 */
class LongPairWindowsTest {
  private static List<Boolean> next(LongPairWindows w, int tasks) {
    List<Boolean> ways = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      ways.add(w.copyNext(true));
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
  void tiesCopyMappingMustCostUnder95PercentOfCopying() {
    LongPairWindows w = new LongPairWindows();
    w.reset(0.96, 1.0);
    assertThat(w.copiesNow()).isTrue();
    w.reset(1.0, 1.0);
    assertThat(w.copiesNow()).isTrue();
    w.reset(0.94, 1.0);
    assertThat(w.copiesNow()).isFalse();
    // Nothing measured yet: copying, whose cost does not depend on the page cache's layout.
    w.reset(Double.NaN, Double.NaN);
    assertThat(w.copiesNow()).isTrue();
  }

  @Test
  void newMeasurementsMoveTheChoiceAndEmptyOnesAreIgnored() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.8);
    w.finished(true, 0, 1_000);
    w.finished(true, 1_000, 0);
    assertThat(w.copiesNow()).isTrue();
    // Copying measured at 2.0 ns a byte: the mean moves a quarter of the way, to 1.1.
    w.finished(true, 2_000, 1_000);
    assertThat(w.copiesNow()).isFalse();
    // Mapping measured dearer: 1.0 moves a quarter of the way to 1.8, 1.2; copying at 1.1 wins.
    w.finished(false, 1_800, 1_000);
    assertThat(w.copiesNow()).isTrue();
  }

  @Test
  void oneCheapTaskOfTheOtherWayDoesNotSwitchTheChoice() {
    // As on the AMD EPYC host: copying's mean 0.40 to 0.48 ns a byte, mapping's 0.54, then one
    // mapped task at 0.35 (tasks vary that much). At half weight mapping's mean fell to 0.44 and
    // every later task mapped; at a quarter it is 0.49, and copying stays.
    LongPairWindows w = new LongPairWindows();
    w.reset(0.54, 0.43);
    w.finished(false, 350, 1_000);
    assertThat(w.copiesNow()).isTrue();
  }

  @Test
  void explorationsThatConfirmTheChoiceComeLessOften() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.5);
    for (int every = 32; every <= LongPairWindows.EXPLORE_EVERY_MOST; every *= 2) {
      assertThat(w.exploreEvery()).isEqualTo(every);
      List<Boolean> ways = next(w, every);
      assertThat(ways.subList(0, every - 1)).as("every %d", every).containsOnly(true);
      assertThat(ways.get(every - 1)).as("exploration after %d", every).isFalse();
      w.finished(false, 1_000, 1_000); // mapping measured as dear as before: copying stays
    }
    assertThat(w.exploreEvery()).isEqualTo(LongPairWindows.EXPLORE_EVERY_MOST);
  }

  @Test
  void aNewChoiceMeasuresTheOldWayAgainSoon() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.5);
    next(w, 32);
    w.finished(false, 1_000, 1_000);
    assertThat(w.exploreEvery()).isEqualTo(64);
    // Copying turns dear (3.0 ns a byte moves its mean to 1.125): mapping is chosen, and copying,
    // now the other way, is measured again after 32 tasks.
    w.finished(true, 3_000, 1_000);
    assertThat(w.copiesNow()).isFalse();
    assertThat(w.exploreEvery()).isEqualTo(LongPairWindows.EXPLORE_EVERY);
    // A task of the chosen way that confirms it changes nothing.
    w.finished(false, 500, 1_000);
    assertThat(w.exploreEvery()).isEqualTo(LongPairWindows.EXPLORE_EVERY);
  }

  @Test
  void anExplorationDueLateInAStageWaitsForAnEarlyTask() {
    LongPairWindows w = new LongPairWindows();
    w.reset(1.0, 0.5);
    next(w, 31);
    // Due now, but these tasks are in the second half of their stage: they copy, as chosen.
    assertThat(w.copyNext(false)).isTrue();
    assertThat(w.copyNext(false)).isTrue();
    // The next task early in a stage explores, and the count starts again.
    assertThat(w.copyNext(true)).isFalse();
    List<Boolean> ways = next(w, 32);
    assertThat(ways.subList(0, 31)).containsOnly(true);
    assertThat(ways.get(31)).isFalse();
  }
}
