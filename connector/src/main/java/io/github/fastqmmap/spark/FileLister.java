/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.open.InputFile;
import io.github.fastqmmap.open.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.Path;

/**
 * Resolves the paths a user gave (files, directories, globs) into files through Hadoop's {@link
 * FileSystem}, as Spark's file sources do: names starting with '_' or '.' are skipped, {@code
 * key=value} folders always (partitions, see {@link PartitionDiscovery}), other subdirectories only
 * with {@code recursiveFileLookup}, and {@code pathGlobFilter} applies to file names.
 */
final class FileLister {
  private FileLister() {}

  /**
   * What a listing found: the files, and the paths it started from (globs expanded, qualified),
   * which partition discovery needs for its base paths.
   *
   * @param rootFiles the roots that are files, not directories
   */
  record Listing(List<FastqFile> files, List<Path> roots, Set<Path> rootFiles) {}

  static List<FastqFile> list(FastqOptions options, Configuration hadoopConf) {
    return listing(options, hadoopConf).files();
  }

  static Listing listing(FastqOptions options, Configuration hadoopConf) {
    List<Path> roots = new ArrayList<>();
    Set<Path> rootFiles = new HashSet<>();
    ModifiedTimeFilter modified = ModifiedTimeFilter.of(options);
    GlobFilter nameFilter = null;
    try {
      if (options.pathGlobFilter() != null) {
        nameFilter = new GlobFilter(options.pathGlobFilter());
      }
    } catch (IOException e) {
      throw FastqOptions.invalid(
          FastqOptions.PATH_GLOB_FILTER, options.pathGlobFilter(), "a glob such as *.fastq");
    }
    Map<String, FastqFile> files = new LinkedHashMap<>(); // one entry per file, first seen first
    Storage storage = new HadoopStorage(() -> hadoopConf);
    for (String pathString : options.paths()) {
      try {
        Path path = new Path(pathString);
        FileSystem fs = path.getFileSystem(hadoopConf);
        boolean glob = hasGlob(pathString);
        for (FileStatus status : resolve(fs, path, pathString, options.ignoreMissingFiles())) {
          if (glob && skipped(status.getPath().getName())) {
            continue; // as Spark's file sources: a glob does not pick up _SUCCESS or .crc files
          }
          Path root = fs.makeQualified(status.getPath());
          roots.add(root);
          if (status.isDirectory()) {
            listDirectory(
                fs, storage, status, options.recursiveFileLookup(), nameFilter, modified, files);
          } else {
            rootFiles.add(root);
            if (accepted(status, nameFilter, modified)) {
              add(fs, storage, status, files);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + pathString + ": " + e.getMessage(), e);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "No FASTQ files found in "
              + options.paths()
              + (options.pathGlobFilter() != null
                  ? " matching pathGlobFilter '" + options.pathGlobFilter() + "'"
                  : "")
              + (options.modifiedBefore() != null
                  ? " modified before " + options.modifiedBefore()
                  : "")
              + (options.modifiedAfter() != null
                  ? " modified after " + options.modifiedAfter()
                  : "")
              + ". Names starting with '_' or '.' are skipped"
              + (options.recursiveFileLookup()
                  ? "."
                  : ", and so are subdirectories unless recursiveFileLookup=true."));
    }
    return new Listing(new ArrayList<>(files.values()), roots, rootFiles);
  }

  private static boolean accepted(
      FileStatus status, GlobFilter nameFilter, ModifiedTimeFilter modified) {
    return (nameFilter == null || nameFilter.accept(status.getPath())) && modified.accept(status);
  }

  private static FileStatus[] resolve(FileSystem fs, Path path, String given, boolean ignoreMissing)
      throws IOException {
    FileStatus[] matches;
    if (hasGlob(given)) {
      matches = fs.globStatus(path);
    } else {
      try {
        matches = new FileStatus[] {fs.getFileStatus(path)};
      } catch (FileNotFoundException e) {
        matches = null;
      }
    }
    if (matches == null || matches.length == 0) {
      if (ignoreMissing) {
        return new FileStatus[0];
      }
      throw new IllegalArgumentException(
          "Path does not exist: "
              + fs.makeQualified(path)
              + ". Check the path, or set ignoreMissingFiles=true to read what exists.");
    }
    Arrays.sort(matches, Comparator.comparing(s -> s.getPath().toString()));
    return matches;
  }

  /**
   * Names skipped in directories and globs: those Spark's file sources skip (Hadoop's _SUCCESS,
   * _temporary, checksums, dot files) and BGZF {@code .gzi} indexes, which belong to their data
   * file.
   */
  private static boolean skipped(String name) {
    return name.startsWith("_") || name.startsWith(".") || name.endsWith(BgzfIndex.SUFFIX);
  }

  private static boolean hasGlob(String path) {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static void listDirectory(
      FileSystem fs,
      Storage storage,
      FileStatus dir,
      boolean recursive,
      GlobFilter nameFilter,
      ModifiedTimeFilter modified,
      Map<String, FastqFile> files)
      throws IOException {
    FileStatus[] children = fs.listStatus(dir.getPath());
    Arrays.sort(children, Comparator.comparing(s -> s.getPath().toString()));
    for (FileStatus child : children) {
      if (skipped(child.getPath().getName())) {
        continue;
      }
      if (child.isDirectory()) {
        if (recursive) {
          listDirectory(fs, storage, child, true, nameFilter, modified, files);
        } else if (child.getPath().getName().indexOf('=') > 0) {
          // A key=value folder: a partition, read as Spark's file sources read one (partition
          // discovery then gives its files the folder's values).
          listDirectory(fs, storage, child, false, nameFilter, modified, files);
        }
      } else if (accepted(child, nameFilter, modified)) {
        add(fs, storage, child, files);
      }
    }
  }

  private static void add(
      FileSystem fs, Storage storage, FileStatus status, Map<String, FastqFile> files)
      throws IOException {
    String uri = fs.makeQualified(status.getPath()).toUri().toString();
    List<FastqFile.Block> blocks = new ArrayList<>();
    if (status.getLen() > 0) {
      for (BlockLocation b : fs.getFileBlockLocations(status, 0, status.getLen())) {
        blocks.add(new FastqFile.Block(b.getOffset(), b.getLength(), b.getHosts()));
      }
    }
    if (files.containsKey(uri)) {
      return;
    }
    InputFile input =
        InputFile.inspect(storage, uri, status.getLen(), status.getModificationTime());
    files.put(uri, new FastqFile(input, List.copyOf(blocks)));
  }
}
