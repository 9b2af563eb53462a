/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.GzipMemberOutputStream;
import io.github.fastqmmap.parse.OptionValue;
import io.github.fastqmmap.stream.ZstdStreams;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;

/** The {@code compression} option of writes: how part files are compressed, and their suffix. */
enum WriteCompression implements OptionValue {
  NONE(".fastq"),
  /**
   * gzip as members of 1 MiB deflated by libdeflate when present ({@link GzipMemberOutputStream}),
   * else one stream of the JDK's zlib.
   */
  GZIP(".fastq.gz"),
  BGZF(".fastq.bgz"),
  /** bzip2 through Hadoop's codec (the one reads use), blocks of 900 kB as {@code bzip2 -9}. */
  BZIP2(".fastq.bz2"),
  /** One zstd frame per part at the {@code zstd} command's default level, with its checksum. */
  ZSTD(".fastq.zst");

  private static final int BUFFER = 1 << 20;

  private final String extension;

  WriteCompression(String extension) {
    this.extension = extension;
  }

  /** The part files' suffix. */
  String extension() {
    return extension;
  }

  @Override
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<String> aliases() {
    switch (this) {
      case NONE:
        return List.of("uncompressed");
      case GZIP:
        return List.of("gz");
      case BGZF:
        return List.of("bgz");
      case BZIP2:
        return List.of("bz2");
      default:
        return List.of("zst");
    }
  }

  /** A buffered stream that compresses into {@code out} and closes it when closed. */
  OutputStream wrap(OutputStream out, String name) throws IOException {
    switch (this) {
      case BZIP2:
        BZip2Codec codec = new BZip2Codec();
        codec.setConf(new Configuration(false));
        return new BufferedOutputStream(codec.createOutputStream(out), BUFFER);
      case ZSTD:
        return new BufferedOutputStream(
            ZstdStreams.compress(out, ZstdStreams.DEFAULT_LEVEL, name), BUFFER);
      case GZIP:
        OutputStream members = GzipMemberOutputStream.create(out);
        return members != null
            ? members
            : new BufferedOutputStream(new GZIPOutputStream(out, 64 << 10), BUFFER);
      case BGZF:
        return new BgzfOutputStream(new BufferedOutputStream(out, BUFFER));
      default:
        return new BufferedOutputStream(out, BUFFER);
    }
  }
}
