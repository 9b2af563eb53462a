/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.testing.LateFaults;
import io.github.fastqmmap.testing.OpenFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PendingFault}: a fault that JIT-compiled code left pending (HotSpot skipped the load and
 * has not raised its error) is raised by the next {@link PendingFault#take()}, once.
 */
class PendingFaultTest {
  @TempDir Path dir;

  @Test
  void takeFindsNothingWithoutAFault() {
    assertThat(PendingFault.take()).isNull();
    PendingFault.raise(); // does not throw
  }

  @Test
  void aFaultLeftPendingByCompiledCodeIsRaisedByTheNextTakeOnce() throws IOException {
    Assumptions.assumeTrue(OpenFiles.available(), OpenFiles.UNAVAILABLE);
    // Until the JIT has compiled the glue around the action (LateFaults), the fault may be raised
    // in it, before take() runs: such rounds show only that it is raised once.
    int round = 0;
    InternalError[] taken = new InternalError[2];
    while (taken[0] == null) {
      assertThat(round++).as("rounds until take() raised the fault").isLessThan(40);
      boolean fault = round > 1; // the first resolves the call sites
      taken[0] = null;
      taken[1] = null;
      Throwable thrown =
          LateFaults.run(
              dir,
              fault,
              () -> {
                taken[0] = PendingFault.take();
                taken[1] = PendingFault.take();
              });
      if (!fault) {
        assertThat(thrown).isNull();
        assertThat(taken[0]).as("no fault, nothing to take").isNull();
        continue;
      }
      InternalError raised = thrown != null ? (InternalError) thrown : taken[0];
      assertThat(raised).as("round %d", round).hasMessageContaining("unsafe memory access");
      assertThat(thrown == null || taken[0] == null).as("raised once").isTrue();
      assertThat(taken[1]).as("nothing left after take()").isNull();
    }
  }
}
