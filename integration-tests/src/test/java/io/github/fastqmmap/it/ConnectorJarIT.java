/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.metrics.FastqCustomMetric;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarFile;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.junit.jupiter.api.Test;

/**
 * The connector jar that {@code spark-submit --jars} ships stands alone: it registers the short
 * name, carries JNA with its Linux native parts, and holds every custom metric class as a top-level
 * class with a no-arg constructor, which is what Spark's UI and History Server need to re-create a
 * metric by its class name.
 */
class ConnectorJarIT {
  private static Path connectorJar() {
    Path jar = Paths.get(System.getProperty("it.connector.jar"));
    assertThat(jar).as("the shaded connector jar, built by the reactor").exists();
    return jar;
  }

  @Test
  void registersTheShortNameAndCarriesJna() throws IOException {
    try (JarFile jar = new JarFile(connectorJar().toFile())) {
      var service =
          jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister");
      assertThat(service).isNotNull();
      String registered =
          new String(jar.getInputStream(service).readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(registered).isEqualTo("io.github.fastqmmap.spark.FastqDataSource");
      assertThat(jar.getEntry("com/sun/jna/Native.class")).isNotNull();
      assertThat(jar.getEntry("com/sun/jna/linux-x86-64/libjnidispatch.so")).isNotNull();
      assertThat(jar.getEntry("com/sun/jna/linux-aarch64/libjnidispatch.so")).isNotNull();
      // Spark and Hadoop are provided by the cluster, not shaded in.
      assertThat(jar.getEntry("org/apache/spark/SparkContext.class")).isNull();
      assertThat(jar.getEntry("org/apache/hadoop/fs/FileSystem.class")).isNull();
    }
    assertThat(Files.size(connectorJar())).isLessThan(8L << 20);
  }

  @Test
  void holdsEveryMetricClassAsSparkReCreatesIt() throws Exception {
    try (JarFile jar = new JarFile(connectorJar().toFile())) {
      for (CustomMetric metric : FastqCustomMetric.all()) {
        Class<?> type = metric.getClass();
        assertThat(jar.getEntry(type.getName().replace('.', '/') + ".class"))
            .as("%s in the connector jar", type.getName())
            .isNotNull();
        assertThat(type.getEnclosingClass()).as("%s is top-level", type).isNull();
        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
        // What SQLAppStatusListener does with the metric type "v2Custom_<class name>".
        CustomMetric recreated =
            (CustomMetric) Class.forName(type.getName()).getDeclaredConstructor().newInstance();
        assertThat(recreated.name()).isEqualTo(metric.name());
        assertThat(recreated.aggregateTaskMetrics(new long[] {1, 2})).isNotBlank();
      }
    }
  }
}
