/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstQueryBenchTest {
  @TempDir Path dir;

  @Test
  void aModulesClassesBecomeItsJarSoThatAJdk17JvmCanWriteAnArchive() throws IOException {
    Path classes = module("bench", "fastq-mmap-bench-1.jar");
    Path other = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(other.resolve("log4j2.properties"), "");
    Path jar = Files.createFile(dir.resolve("spark-core.jar"));
    String classpath =
        String.join(File.pathSeparator, classes.toString(), other.toString(), jar.toString());

    assertThat(FirstQueryBench.jarsOnly(classpath))
        .isEqualTo(
            String.join(
                File.pathSeparator,
                dir.resolve("bench/target/fastq-mmap-bench-1.jar").toString(),
                other.toString(),
                jar.toString()));
  }

  @Test
  void aModuleWithoutItsJarIsNamedWithTheBuildToRun() throws IOException {
    Path classes = module("bench");

    assertThatThrownBy(() -> FirstQueryBench.jarsOnly(classes.toString()))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "expected one jar beside "
                + classes
                + " for the class-data archive, found []: build with mvn -B -q -DskipTests -pl"
                + " integration-tests -am package");
  }

  /** A module's target/ with non-empty classes/, the given jars, and the jars never chosen. */
  private Path module(String name, String... jars) throws IOException {
    Path target = dir.resolve(name).resolve("target");
    Path classes = Files.createDirectories(target.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "");
    for (String jar : jars) {
      Files.createFile(target.resolve(jar));
    }
    Files.createFile(target.resolve("original-" + name + ".jar"));
    Files.createFile(target.resolve(name + "-tests.jar"));
    Files.createFile(target.resolve(name + "-sources.jar"));
    return classes;
  }
}
