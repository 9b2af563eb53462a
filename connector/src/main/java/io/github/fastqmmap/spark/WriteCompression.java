/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bgzf.Bgzf;
import io.github.fastqmmap.bgzf.BgzfOutputStream;
import io.github.fastqmmap.codec.Deflating;
import io.github.fastqmmap.codec.GzipMemberOutputStream;
import io.github.fastqmmap.codec.JdkGzipOutputStream;
import io.github.fastqmmap.codec.UnlockedBufferedOutputStream;
import io.github.fastqmmap.parse.OptionValue;
import io.github.fastqmmap.stream.ZstdStreams;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
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

  /**
   * A part's buffered compressing stream, and for gzip and BGZF the account of its deflate work
   * (for the write metrics; else null).
   */
  record Opened(OutputStream out, Deflating deflating) {}

  /**
   * A stream that compresses into {@code out} and closes it when closed; gzip and BGZF deflate on
   * up to {@code deflateThreads} threads shared by the JVM's writers.
   */
  Opened open(OutputStream out, String name, int deflateThreads) throws IOException {
    switch (this) {
      case BZIP2:
        BZip2Codec codec = new BZip2Codec();
        codec.setConf(new Configuration(false));
        return new Opened(buffered(codec.createOutputStream(out)), null);
      case ZSTD:
        return new Opened(
            buffered(ZstdStreams.compress(out, ZstdStreams.DEFAULT_LEVEL, name)), null);
      case GZIP:
        GzipMemberOutputStream members =
            GzipMemberOutputStream.create(out, GzipMemberOutputStream.MEMBER_BYTES, deflateThreads);
        if (members != null) {
          return new Opened(members, members);
        }
        JdkGzipOutputStream stream = new JdkGzipOutputStream(out);
        return new Opened(buffered(stream), stream);
      case BGZF:
        BgzfOutputStream blocks =
            new BgzfOutputStream(
                buffered(out),
                Deflater.DEFAULT_COMPRESSION,
                Bgzf.DEFAULT_DATA_SIZE,
                deflateThreads);
        return new Opened(blocks, blocks);
      default:
        return new Opened(buffered(out), null);
    }
  }

  private static OutputStream buffered(OutputStream out) {
    return new UnlockedBufferedOutputStream(out, BUFFER);
  }

  /** Whether parts are deflated (gzip, BGZF), and so counted in the deflate accumulators. */
  boolean deflates() {
    return this == GZIP || this == BGZF;
  }
}
