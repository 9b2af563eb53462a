/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.testing;

import io.github.fastqmmap.parse.FastqRecord;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.ReferenceFastqParser.Malformed;
import io.github.fastqmmap.testing.ReferenceFastqParser.Read;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a production {@link RecordReader} returns into the {@link ReferenceFastqParser} item
 * types, so that both can be compared with one {@code equals}.
 */
public final class RecordReaderOutput {
  private RecordReaderOutput() {}

  /**
   * Reads everything the reader has left (records and, in PERMISSIVE mode, malformed stretches).
   */
  public static List<Item> drain(RecordReader reader) throws IOException {
    List<Item> items = new ArrayList<>();
    while (reader.next()) {
      if (reader.isMalformed()) {
        items.add(
            new Malformed(
                reader.malformedOffset(), reader.malformedOffset() + reader.malformedLength()));
      } else {
        items.add(toRead(reader.record()));
      }
    }
    return items;
  }

  /** A copy of a production record as a reference item (quality in Phred+33). */
  public static Read toRead(FastqRecord r) {
    return new Read(r.offset(), r.name(), r.comment(), r.sequence(), r.quality());
  }
}
