package dev.gantry.operator.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.operator.compile.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  @Test
  void readsTheKnownKindsFromManyDocumentsAndSkipsOthers() throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ignored}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: demo}
        spec: {rules: [{directResponse: {status: 200}}]}
        """);
    Sources sources = ManifestReader.readDirectory(dir);
    assertThat(sources.services())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("web");
    assertThat(sources.proxyRoutes())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("demo");
    assertThat(sources.proxyRoutes().get(0).getSpec().rules().get(0).directResponse().status())
        .isEqualTo(200);
  }

  @Test
  void readsCertificateDelegationsAndRefusesAnUnknownCipherSuite() throws Exception {
    Files.writeString(
        dir.resolve("delegation.yaml"),
        """
        apiVersion: gantry.dev/v1alpha1
        kind: TLSCertificateDelegation
        metadata: {name: shared, namespace: certs}
        spec:
          delegations:
            - secretName: wildcard-tls
              targetNamespaces: ["*"]
        """);
    Sources sources = ManifestReader.readDirectory(dir);
    assertThat(sources.delegations()).hasSize(1);
    assertThat(sources.delegations().get(0).getSpec().delegations().get(0).permits("shop"))
        .isTrue();

    Files.writeString(
        dir.resolve("route.yaml"),
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: cbc}
        spec:
          hostnames: [shop.example.com]
          tls: {secretName: shop-tls, cipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]}
          rules: [{directResponse: {status: 200}}]
        """);
    assertThatThrownBy(() -> ManifestReader.readDirectory(dir))
        .isInstanceOf(ManifestReader.ManifestException.class)
        .hasMessageContaining("route.yaml:1: ProxyRoute cbc")
        .hasMessageContaining("TLS_RSA_WITH_AES_128_CBC_SHA");
  }

  @Test
  void readsSecretsWithStringDataOrBase64Data() throws Exception {
    Files.writeString(
        dir.resolve("tls.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: plain, namespace: shop}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
            -----BEGIN CERTIFICATE-----
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: encoded, namespace: shop}
        type: kubernetes.io/tls
        data: {tls.crt: LS0tLS1CRUdJTg==}
        """);
    Sources sources = ManifestReader.readDirectory(dir);
    assertThat(sources.secrets())
        .extracting(s -> s.getMetadata().getName(), s -> s.getType())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("plain", "kubernetes.io/tls"),
            org.assertj.core.groups.Tuple.tuple("encoded", "kubernetes.io/tls"));
    assertThat(sources.secrets().get(0).getStringData())
        .containsEntry("tls.crt", "-----BEGIN CERTIFICATE-----\n");
    assertThat(sources.secrets().get(1).getData()).containsEntry("tls.crt", "LS0tLS1CRUdJTg==");
  }

  @Test
  void reportsTheFileAndLineOfASyntaxError() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        ---
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: demo
        spec: {}
        """);
    assertThatThrownBy(() -> ManifestReader.readDirectory(dir))
        .isInstanceOf(ManifestReader.ManifestException.class)
        .hasMessageStartingWith(file + ":8:");
  }

  @Test
  void reportsAFieldOfTheWrongType() throws Exception {
    Path file = dir.resolve("typed.yaml");
    Files.writeString(
        file,
        """
        apiVersion: gantry.dev/v1alpha1
        kind: ProxyRoute
        metadata: {name: demo}
        spec:
          rules: [{backendRefs: [{name: web, port: eighty}]}]
        """);
    assertThatThrownBy(() -> ManifestReader.readDirectory(dir))
        .isInstanceOf(ManifestReader.ManifestException.class)
        .hasMessageContaining(file + ":1: ProxyRoute demo:")
        .hasMessageContaining("eighty");
  }
}
