package dev.gantry.e2e.kube;

import static java.util.Objects.requireNonNull;

/**
 * A fresh namespace in the shared API server, resolved as a parameter by {@link
 * KubeApiServerExtension}. Declared on a constructor or a {@code @BeforeAll} method it is one
 * namespace per test class; on a test method, one per test.
 *
 * @param name the namespace's name, unique in the API server
 */
public record TestNamespace(String name) {

  public TestNamespace {
    requireNonNull(name, "name");
  }
}
