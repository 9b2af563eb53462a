/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Part files on a local disk: created directly, with Hadoop's permission, no checksum file. */
class PartFilesTest {
  @TempDir Path dir;

  private static Configuration umask(String mode) {
    Configuration conf = new Configuration(false);
    conf.set("fs.permissions.umask-mode", mode);
    return conf;
  }

  @Test
  void aLocalPartAndItsDirectoriesTakeHadoopsUmaskAndNoChecksumFile() throws IOException {
    Configuration conf = umask("027");
    PartFiles files = new PartFiles(FileSystem.getLocal(conf), conf);
    Path part = dir.resolve("task/col=a/part-00000.fastq");
    try (OutputStream out = files.create(part.toUri().toString())) {
      out.write("@r\nACGT\n+\nIIII\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(Files.readString(part, StandardCharsets.US_ASCII)).isEqualTo("@r\nACGT\n+\nIIII\n");
    assertThat(Files.getPosixFilePermissions(part))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    assertThat(Files.getPosixFilePermissions(part.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("task")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    try (var listed = Files.list(part.getParent())) {
      assertThat(listed.map(p -> p.getFileName().toString())).containsExactly("part-00000.fastq");
    }
  }

  @Test
  void theRawLocalFileSystemIsLocalToo() throws IOException {
    Configuration conf = umask("077");
    RawLocalFileSystem raw = new RawLocalFileSystem();
    raw.initialize(dir.toUri(), conf);
    Path part = dir.resolve("part-00001.fastq");
    try (OutputStream out = new PartFiles(raw, conf).create(part.toString())) {
      out.write('@');
    }
    assertThat(Files.getPosixFilePermissions(part))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anExistingPartIsNeverOverwritten() throws IOException {
    Configuration conf = umask("022");
    Path part = dir.resolve("part-00002.fastq");
    Files.writeString(part, "kept", StandardCharsets.US_ASCII);
    PartFiles files = new PartFiles(FileSystem.getLocal(conf), conf);
    assertThatThrownBy(() -> files.create(part.toUri().toString()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(part.toString());
    assertThat(Files.readString(part, StandardCharsets.US_ASCII)).isEqualTo("kept");
  }
}
