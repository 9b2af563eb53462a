/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.testing.BgzfTestFiles;
import io.github.fastqmmap.testing.BytesInput;
import io.github.fastqmmap.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .gzi} index {@link BgzfOutputStream} keeps of what it wrote. */
class BgzfIndexWriteTest {
  @TempDir Path dir;

  private record Written(byte[] bgzf, byte[] gzi) {}

  private static Written write(byte[] data, int blockSize, int flushEvery) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    BgzfOutputStream out = new BgzfOutputStream(sink, 6, blockSize);
    for (int at = 0; at < data.length; at += flushEvery) {
      out.write(data, at, Math.min(flushEvery, data.length - at));
      out.flush(); // a short block wherever a flush comes
    }
    out.close();
    ByteArrayOutputStream gzi = new ByteArrayOutputStream();
    out.writeIndex(gzi);
    return new Written(sink.toByteArray(), gzi.toByteArray());
  }

  @Test
  void theIndexListsEveryDataBlockAfterTheFirstAndTheReaderFindsThem() throws IOException {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    Written w = write(data, 10_000, 77_777);
    List<BgzfTestFiles.Block> blocks = BgzfTestFiles.layout(w.bgzf());
    List<BgzfTestFiles.Block> dataBlocks = blocks.subList(0, blocks.size() - 1); // not the EOF
    assertThat(dataBlocks).hasSizeGreaterThan(30);
    assertThat(w.gzi()).isEqualTo(BgzfTestFiles.gzi(dataBlocks));
    try (BgzfIndex index = new BgzfIndex(new BytesInput(w.gzi()), "x.gzi")) {
      for (BgzfTestFiles.Block b : dataBlocks) {
        assertThat(index.firstBlockAtOrAfter(b.offset())).isEqualTo(b.offset());
        assertThat(index.firstBlockAtOrAfter(b.offset() - 1)).isEqualTo(b.offset());
      }
    }
  }

  @Test
  void aFileWithoutDataHasAnEmptyIndex() throws IOException {
    Written w = write(new byte[0], 65280, 1);
    assertThat(w.gzi()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
    try (BgzfIndex index = new BgzfIndex(new BytesInput(w.gzi()), "x.gzi")) {
      assertThat(index.firstBlockAtOrAfter(0)).isZero();
      assertThat(index.firstBlockAtOrAfter(1)).isEqualTo(Bgzf.NONE);
    }
  }

  @Test
  void theIndexIsWhatBgzipRebuildsForTheFile() throws Exception {
    ExternalTools.assumeTool("bgzip", "tabix");
    byte[] data = new byte[400_000];
    new Random(2).nextBytes(data);
    for (int flush : new int[] {400_000, 65_280, 1_000}) {
      Written w = write(data, 65280, flush);
      Path file = Files.write(dir.resolve("f" + flush + ".gz"), w.bgzf());
      ExternalTools.runOk(dir, "bgzip", "-r", file.toString());
      assertThat(w.gzi())
          .as("flush every %d bytes", flush)
          .isEqualTo(Files.readAllBytes(dir.resolve("f" + flush + ".gz.gzi")));
    }
  }
}
