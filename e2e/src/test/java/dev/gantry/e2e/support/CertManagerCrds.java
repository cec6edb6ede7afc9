package dev.gantry.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * cert-manager's Certificate CRD, generated from fabric8's cert-manager model (whose jar carries no
 * CRD YAML) by fabric8's CRD generator: the API server then stores and validates Certificates as
 * the operator writes them, with no cert-manager running.
 */
public final class CertManagerCrds {
  public static final String CERTIFICATES = "certificates.cert-manager.io";

  private CertManagerCrds() {}

  /** Creates the Certificate CRD and waits until the API server serves Certificates. */
  public static void install(KubernetesClient client) {
    CustomResourceDefinition crd = generate(client);
    client.resource(crd).forceConflicts().serverSideApply();
    await()
        .until(
            () -> {
              CustomResourceDefinition c =
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName(CERTIFICATES)
                      .get();
              return c != null
                  && c.getStatus() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(
                          x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
            });
  }

  /** Deletes the Certificate CRD (the API server is shared by every test class). */
  public static void uninstall(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().withName(CERTIFICATES).delete();
  }

  private static CustomResourceDefinition generate(KubernetesClient client) {
    try {
      Path dir = Files.createTempDirectory("certmanager-crd");
      new CRDGenerator()
          .inOutputDir(dir.toFile())
          .forCRDVersions("v1")
          .customResourceClasses(Certificate.class)
          .generate();
      Path file = dir.resolve(CERTIFICATES + "-v1.yml");
      return client.apiextensions().v1().customResourceDefinitions().load(file.toFile()).item();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
