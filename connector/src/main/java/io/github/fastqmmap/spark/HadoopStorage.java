/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.open.LocalStorage;
import io.github.fastqmmap.open.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.BZip2Codec;

/**
 * Files named by URI: {@code file:} URIs are local files (mapped, or read through their channel),
 * any other scheme goes through Hadoop's {@link FileSystem} (HDFS, S3A, ...), and bzip2 is
 * decompressed by Hadoop's codec.
 */
final class HadoopStorage implements Storage {
  private final Supplier<Configuration> conf;

  /**
   * @param conf the Hadoop configuration, asked for only when a file needs Hadoop; may supply null
   *     when none was shipped (local files only)
   */
  HadoopStorage(Supplier<Configuration> conf) {
    this.conf = conf;
  }

  @Override
  public Status status(String uri) throws IOException {
    Path local = localPath(uri);
    if (local != null) {
      return LocalStorage.status(local);
    }
    FileStatus s = fileSystem(uri).getFileStatus(hadoopPath(uri));
    return new Status(s.getLen(), s.getModificationTime(), s.isFile());
  }

  @Override
  public Input open(String uri) throws IOException {
    Path local = localPath(uri);
    if (local != null) {
      return LocalStorage.open(local);
    }
    return HadoopInput.open(fileSystem(uri), hadoopPath(uri), uri);
  }

  /**
   * Opens a file with the status it was planned with: no {@code getFileStatus} (one request to the
   * NameNode or the object store per file); the input checks its reads against that status.
   */
  @Override
  public Input open(String uri, Status planned) throws IOException {
    Path local = localPath(uri);
    if (local != null) {
      return LocalStorage.open(local);
    }
    return HadoopInput.open(fileSystem(uri), hadoopPath(uri), uri, planned);
  }

  @Override
  public Path localPath(String uri) throws IOException {
    if (!uri.startsWith("file:")) {
      return null;
    }
    try {
      // Hadoop's URIs keep non-ASCII characters unescaped, which Paths.get(URI) rejects.
      return Paths.get(URI.create(URI.create(uri).toASCIIString()));
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new IOException(
          "fastq-mmap maps local files only, and " + uri + " is not one (" + e.getMessage() + ").",
          e);
    }
  }

  @Override
  public InputStream bzip2(InputStream compressed, String uri) throws IOException {
    BZip2Codec codec = new BZip2Codec();
    Configuration c = conf.get();
    codec.setConf(c != null ? c : new Configuration(false));
    return codec.createInputStream(compressed);
  }

  private FileSystem fileSystem(String uri) throws IOException {
    Configuration c = conf.get();
    if (c == null) {
      throw new IllegalStateException("no Hadoop configuration shipped for " + uri);
    }
    return FileSystem.get(URI.create(uri), c);
  }

  private static org.apache.hadoop.fs.Path hadoopPath(String uri) {
    return new org.apache.hadoop.fs.Path(URI.create(uri));
  }
}
