/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Creates the files of a write task. Without its native library (Spark ships none), Hadoop's local
 * file system gives each new file and directory its permission by starting a {@code chmod} process,
 * and writes a {@code .crc} checksum file beside each file: five processes and two more files for a
 * BGZF part with its index. So on local disks a part, its index and its task directory are created
 * here instead, with the permission Hadoop would give them ({@code fs.permissions.umask-mode}
 * applied to 0666 for files and 0777 for directories) as the mode of their creation, which the
 * process's umask narrows as for any file, and no checksum file. Other file systems create them
 * through Hadoop.
 */
final class PartFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final FileSystem fs;
  private final FileAttribute<?>[] fileMode;
  private final FileAttribute<?>[] directoryMode;

  PartFiles(FileSystem fs, Configuration conf) {
    this.fs = fs;
    FsPermission umask = FsPermission.getUMask(conf);
    this.fileMode = mode(FsPermission.getFileDefault().applyUMask(umask));
    this.directoryMode = mode(FsPermission.getDirDefault().applyUMask(umask));
  }

  /** A new file at {@code path}, and its parent directories; fails if the file exists. */
  OutputStream create(String path) throws IOException {
    Path file = new Path(path);
    java.nio.file.Path local = localPath(file);
    if (local == null) {
      return fs.create(file, false);
    }
    java.nio.file.Path parent = local.getParent();
    if (parent != null) {
      Files.createDirectories(parent, directoryMode);
    }
    Files.createFile(local, fileMode);
    // A FileOutputStream, as Hadoop's: an interrupt does not close it under the task, as it would
    // a channel.
    return new FileOutputStream(local.toFile());
  }

  private java.nio.file.Path localPath(Path file) {
    if (fs instanceof LocalFileSystem local) {
      return local.pathToFile(file).toPath();
    }
    if (fs instanceof RawLocalFileSystem raw) {
      return raw.pathToFile(file).toPath();
    }
    return null;
  }

  private static FileAttribute<?>[] mode(FsPermission permission) {
    if (!POSIX) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> bits =
        PosixFilePermissions.fromString(permission.toString().substring(0, 9));
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(bits)};
  }
}
