/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.spark;

import io.github.fastqmmap.bgzf.BgzfIndex;
import io.github.fastqmmap.open.InputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

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
    return listing(options, hadoopConf, PlanningPool.ofSession());
  }

  /** A file or directory found, with the file system and the path given that led to it. */
  private record Found(FileSystem fs, FileStatus status, String given) {}

  /**
   * Lists as Spark's file sources do, at scale: the paths given are resolved, then the directories
   * are listed level by level, each level's directories in parallel when there are more than the
   * threshold ({@link PlanningPool}); listings carry block locations ({@code listLocatedStatus},
   * one request per directory on HDFS). Files are de-duplicated before anything else is asked of
   * them, and none is opened: its format is told later, by the scan for a file that may be split
   * and by the task that reads it otherwise. Files come in the order of a serial depth-first walk
   * (children sorted by name), whatever ran in parallel.
   */
  static Listing listing(FastqOptions options, Configuration hadoopConf, PlanningPool pool) {
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
    try {
      return listing(options, hadoopConf, pool, nameFilter, modified);
    } catch (IOException e) {
      // The calls below name the path given in their own UncheckedIOException; this is a pool
      // failure (an interrupt).
      throw new UncheckedIOException("Cannot list " + options.paths() + ": " + e.getMessage(), e);
    }
  }

  private static Listing listing(
      FastqOptions options,
      Configuration hadoopConf,
      PlanningPool pool,
      GlobFilter nameFilter,
      ModifiedTimeFilter modified)
      throws IOException {
    // The paths given, resolved (globs expanded), each in its order.
    List<List<Found>> resolved =
        pool.map(
            options.paths(),
            pathString -> {
              try {
                Path path = new Path(pathString);
                FileSystem fs = path.getFileSystem(hadoopConf);
                List<Found> found = new ArrayList<>();
                for (FileStatus status :
                    resolve(fs, path, pathString, options.ignoreMissingFiles())) {
                  found.add(new Found(fs, status, pathString));
                }
                return found;
              } catch (IOException e) {
                throw cannotList(pathString, e);
              }
            });
    List<Path> roots = new ArrayList<>();
    Set<Path> rootFiles = new HashSet<>();
    List<Found> walk = new ArrayList<>(); // roots in order: files, and directories to walk
    for (int i = 0; i < resolved.size(); i++) {
      boolean glob = hasGlob(options.paths().get(i));
      for (Found f : resolved.get(i)) {
        if (glob && skipped(f.status().getPath().getName())) {
          continue; // as Spark's file sources: a glob does not pick up _SUCCESS or .crc files
        }
        Path root = f.fs().makeQualified(f.status().getPath());
        roots.add(root);
        if (!f.status().isDirectory()) {
          rootFiles.add(root);
        }
        walk.add(f);
      }
    }

    // The directories' children, listed level by level (a directory named twice is listed once).
    Map<Path, List<Found>> children = new HashMap<>();
    List<Found> level = new ArrayList<>();
    for (Found f : walk) {
      if (f.status().isDirectory()) {
        level.add(f);
      }
    }
    boolean recursive = options.recursiveFileLookup();
    while (!level.isEmpty()) {
      List<Found> toList = new ArrayList<>();
      Set<Path> seen = new HashSet<>();
      for (Found dir : level) {
        Path key = dir.fs().makeQualified(dir.status().getPath());
        if (!children.containsKey(key) && seen.add(key)) {
          toList.add(dir);
        }
      }
      List<List<Found>> listed = pool.map(toList, FileLister::listDirectory);
      level = new ArrayList<>();
      for (int i = 0; i < toList.size(); i++) {
        Found dir = toList.get(i);
        children.put(dir.fs().makeQualified(dir.status().getPath()), listed.get(i));
        for (Found child : listed.get(i)) {
          if (child.status().isDirectory() && descends(child, recursive)) {
            level.add(child);
          }
        }
      }
    }

    // The files, in the order of a depth-first walk, each once.
    Map<String, Found> files = new LinkedHashMap<>(); // by URI, first seen first
    for (Found f : walk) {
      if (f.status().isDirectory()) {
        collect(f, children, recursive, nameFilter, modified, files);
      } else if (accepted(f.status(), nameFilter, modified)) {
        files.putIfAbsent(uri(f), f);
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
    // Block locations came with the directory listings; files named (or globbed) directly have a
    // plain status and ask for theirs, after de-duplication (in parallel when there are many).
    List<Map.Entry<String, Found>> entries = new ArrayList<>(files.entrySet());
    List<Map.Entry<String, Found>> unlocated = new ArrayList<>();
    for (Map.Entry<String, Found> e : entries) {
      if (!(e.getValue().status() instanceof LocatedFileStatus) && !isLocal(e.getValue().fs())) {
        unlocated.add(e);
      }
    }
    List<List<FastqFile.Block>> asked =
        pool.map(
            unlocated,
            e -> {
              try {
                return blocks(e.getValue());
              } catch (IOException ex) {
                throw cannotList(e.getValue().given(), ex);
              }
            });
    Map<String, List<FastqFile.Block>> askedByUri = new HashMap<>();
    for (int i = 0; i < unlocated.size(); i++) {
      askedByUri.put(unlocated.get(i).getKey(), asked.get(i));
    }
    List<FastqFile> listed = new ArrayList<>(entries.size());
    for (Map.Entry<String, Found> e : entries) {
      FileStatus status = e.getValue().status();
      List<FastqFile.Block> blocks = askedByUri.get(e.getKey());
      listed.add(
          new FastqFile(
              InputFile.uninspected(e.getKey(), status.getLen(), status.getModificationTime()),
              blocks != null ? blocks : blocks(e.getValue())));
    }
    return new Listing(listed, roots, rootFiles);
  }

  private static UncheckedIOException cannotList(String given, IOException e) {
    return new UncheckedIOException("Cannot list " + given + ": " + e.getMessage(), e);
  }

  private static String uri(Found f) {
    return f.fs().makeQualified(f.status().getPath()).toUri().toString();
  }

  private static List<FastqFile.Block> blocks(Found f) throws IOException {
    FileStatus status = f.status();
    if (status.getLen() <= 0) {
      return List.of();
    }
    BlockLocation[] locations =
        status instanceof LocatedFileStatus located
            ? located.getBlockLocations()
            : f.fs().getFileBlockLocations(status, 0, status.getLen());
    List<FastqFile.Block> blocks = new ArrayList<>();
    if (locations != null) {
      for (BlockLocation b : locations) {
        blocks.add(new FastqFile.Block(b.getOffset(), b.getLength(), b.getHosts()));
      }
    }
    return List.copyOf(blocks);
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

  /**
   * Whether a subdirectory is walked: all with {@code recursiveFileLookup}, else only {@code
   * key=value} folders (partitions, read as Spark's file sources read them; partition discovery
   * then gives their files the folder's values).
   */
  private static boolean descends(Found dir, boolean recursive) {
    return recursive || dir.status().getPath().getName().indexOf('=') > 0;
  }

  /**
   * Whether the file system is the local one, whose block locations are made up in memory (no
   * request) and whose {@code listLocatedStatus} would start a process per file to read its
   * permissions (without Hadoop's native library), as Spark's own listing notes.
   */
  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  /**
   * A directory's children that are not skipped, sorted by path, with their block locations: from
   * one {@code listLocatedStatus} (one request per directory on HDFS), or for the local file system
   * from {@code listStatus}.
   */
  private static List<Found> listDirectory(Found dir) {
    try {
      List<FileStatus> statuses = new ArrayList<>();
      if (isLocal(dir.fs())) {
        for (FileStatus child : dir.fs().listStatus(dir.status().getPath())) {
          if (!skipped(child.getPath().getName())) {
            statuses.add(child);
          }
        }
      } else {
        RemoteIterator<LocatedFileStatus> it = dir.fs().listLocatedStatus(dir.status().getPath());
        while (it.hasNext()) {
          LocatedFileStatus child = it.next();
          if (!skipped(child.getPath().getName())) {
            statuses.add(child);
          }
        }
      }
      statuses.sort(Comparator.comparing(s -> s.getPath().toString()));
      List<Found> found = new ArrayList<>(statuses.size());
      for (FileStatus s : statuses) {
        found.add(new Found(dir.fs(), s, dir.given()));
      }
      return found;
    } catch (IOException e) {
      throw cannotList(dir.given(), e);
    }
  }

  private static void collect(
      Found dir,
      Map<Path, List<Found>> children,
      boolean recursive,
      GlobFilter nameFilter,
      ModifiedTimeFilter modified,
      Map<String, Found> files) {
    List<Found> listed = children.get(dir.fs().makeQualified(dir.status().getPath()));
    for (Found child : listed) {
      if (child.status().isDirectory()) {
        if (descends(child, recursive)) {
          collect(child, children, recursive, nameFilter, modified, files);
        }
      } else if (accepted(child.status(), nameFilter, modified)) {
        files.putIfAbsent(uri(child), child);
      }
    }
  }
}
