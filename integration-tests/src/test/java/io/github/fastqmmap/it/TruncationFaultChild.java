/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import io.github.fastqmmap.FastqFiles;
import io.github.fastqmmap.mmap.MappingOptions;
import io.github.fastqmmap.parse.FileChangedDuringReadException;
import io.github.fastqmmap.parse.ParseOptions;
import io.github.fastqmmap.parse.RecordReader;
import io.github.fastqmmap.testing.FastqFileGenerator;
import io.github.fastqmmap.testing.OpenFiles;
import io.github.fastqmmap.testing.RecordReaderOutput;
import io.github.fastqmmap.testing.ReferenceFastqParser.Item;
import io.github.fastqmmap.testing.TruncationCases;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link TruncationFaultIT} in a JVM that only interprets ({@code -Xint}): reads 20 records
 * of a mapped file, truncates it, reads on, and prints one line per case saying how the read ended.
 */
public final class TruncationFaultChild {
  private TruncationFaultChild() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    FastqFileGenerator.Generated generated =
        FastqFileGenerator.builder(55).records(3_000).readLengths(100, 200).generate();
    long length = generated.bytes().length;
    long[] newLengths = TruncationCases.newLengths(length);
    List<MappingOptions> mappings = TruncationCases.mappedWindows();
    System.out.println("LENGTH " + length);
    for (long newLength : newLengths) {
      for (int m = 0; m < mappings.size(); m++) {
        Path file = generated.writeTo(dir.resolve("shrinks-" + newLength + "-" + m + ".fastq"));
        List<Item> read = new ArrayList<>();
        String outcome;
        try (RecordReader reader =
            FastqFiles.open(file, ParseOptions.defaults(), mappings.get(m))) {
          for (int i = 0; i < 20 && reader.next(); i++) {
            read.add(RecordReaderOutput.toRead(reader.record()));
          }
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(newLength);
          }
          outcome = "NONE";
          try {
            while (reader.next()) {
              read.add(RecordReaderOutput.toRead(reader.record()));
            }
          } catch (FileChangedDuringReadException e) {
            outcome =
                "CHANGED file="
                    + e.file()
                    + " suppressed="
                    + Arrays.stream(e.getSuppressed()).map(t -> t.getClass().getName()).toList()
                    + " cause="
                    + e.getCause()
                    + " message="
                    + e.getMessage().replace('\n', '|');
          } catch (Throwable t) {
            outcome = "OTHER " + t;
          }
        } catch (Throwable t) {
          outcome = "CLOSE " + t;
        }
        boolean exact = read.equals(generated.reads().subList(0, read.size()));
        String leaks =
            OpenFiles.available()
                ? OpenFiles.mappings(file) + "/" + OpenFiles.descriptors(file)
                : "unknown";
        System.out.println(
            "CASE "
                + newLength
                + " "
                + m
                + " records="
                + read.size()
                + " exact="
                + exact
                + " mappings/descriptors="
                + leaks
                + " "
                + outcome);
      }
    }
    System.out.println("DONE");
  }
}
