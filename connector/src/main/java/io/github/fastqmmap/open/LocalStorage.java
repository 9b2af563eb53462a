/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.open;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The local file system; a file's name is its path. */
public final class LocalStorage implements Storage {
  /** The one instance: it holds no state. */
  public static final LocalStorage INSTANCE = new LocalStorage();

  private LocalStorage() {}

  @Override
  public Status status(String name) throws IOException {
    return status(Path.of(name));
  }

  /** The status of a local file. */
  public static Status status(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return new Status(a.size(), a.lastModifiedTime().toMillis(), a.isRegularFile());
  }

  @Override
  public Input open(String name) throws IOException {
    return open(Path.of(name));
  }

  /**
   * Opens a local file; its status is the channel's length and the modification time read just
   * after opening.
   */
  public static Input open(Path path) throws IOException {
    FileChannelInput channel = FileChannelInput.open(path);
    try {
      Status status =
          new Status(channel.length(), Files.getLastModifiedTime(path).toMillis(), true);
      return new LocalInput(channel, status);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Path localPath(String name) {
    return Path.of(name);
  }

  private static final class LocalInput implements Input {
    private final FileChannelInput channel;
    private final Status status;

    LocalInput(FileChannelInput channel, Status status) {
      this.channel = channel;
      this.status = status;
    }

    @Override
    public Status status() {
      return status;
    }

    @Override
    public long length() {
      return channel.length();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      return channel.read(position, dst);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
