/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link StandaloneCluster} of the test run, started on first use. It lives in
 * the root extension store, so JUnit closes it (stopping every JVM of the cluster) when the whole
 * run ends, whether tests passed or failed.
 */
final class StandaloneClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StandaloneClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StandaloneCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            StandaloneCluster.class,
            k -> {
              try {
                return StandaloneCluster.start();
              } catch (Exception e) {
                throw new ParameterResolutionException(
                    "could not start the standalone Spark cluster: " + e.getMessage(), e);
              }
            },
            StandaloneCluster.class);
  }
}
