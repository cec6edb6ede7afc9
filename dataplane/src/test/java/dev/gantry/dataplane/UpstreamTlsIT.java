package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.gantry.dataplane.testing.Snapshots;
import dev.gantry.dataplane.testing.TestPki;
import dev.gantry.dataplane.testing.TlsBackend;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.UpstreamProtocol;
import dev.gantry.protocol.v1.UpstreamTls;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clusters reached over TLS: HTTP/1.1 and HTTP/2 (by ALPN) to real TLS backends on loopback, with
 * the certificate checked against a CA bundle and the server name, or not at all when insecure, and
 * a client certificate for backends that require one.
 */
class UpstreamTlsIT {

  private static final String HOST = "app.example.com";
  private static final TestPki CA = TestPki.newCa("backend CA");
  private static final TestPki OTHER_CA = TestPki.newCa("someone else's CA");
  private static final TestPki CLIENT_CA = TestPki.newCa("client CA");

  private final DataplaneFixture fixture = DataplaneFixture.start();
  private final List<TlsBackend> backends = new ArrayList<>();

  @AfterEach
  void tearDown() {
    fixture.close();
    backends.forEach(TlsBackend::close);
  }

  private TlsBackend backend(TestPki.Issued certificate, String clientCaPem) {
    TlsBackend backend = TlsBackend.start(certificate, clientCaPem);
    backends.add(backend);
    return backend;
  }

  private void serve(Cluster cluster, TlsCertificate... certificates) {
    Snapshot base =
        snapshot(1, List.of(host("app", List.of(HOST), prefix("all", "/", "web"))), List.of());
    fixture.apply(
        Snapshots.finish(
            base.toBuilder().addClusters(cluster).addAllCertificates(List.of(certificates)), 1));
  }

  private static Cluster tlsCluster(TlsBackend backend, UpstreamTls.Builder tls) {
    return cluster("web", backend.address()).toBuilder().setTls(tls).build();
  }

  private static UpstreamTls.Builder trusting(TestPki ca, String serverName) {
    return UpstreamTls.newBuilder()
        .setServerName(serverName)
        .setCaBundle(ByteString.copyFrom(ca.caPem(), StandardCharsets.US_ASCII));
  }

  @Test
  void proxiesHttp1OverTlsToABackendTheCaBundleTrusts() {
    TlsBackend backend = backend(CA.issue("web.shop.svc"), null);
    serve(tlsCluster(backend, trusting(CA, "web.shop.svc")));

    HttpResponse<String> response = fixture.get(HOST, "/orders");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo("sni=web.shop.svc alpn=http/1.1 client=none path=/orders");
  }

  @Test
  void reusesTheTlsConnectionForTheNextRequest() {
    TlsBackend backend = backend(CA.issue("web.shop.svc"), null);
    serve(tlsCluster(backend, trusting(CA, "web.shop.svc")));

    assertThat(fixture.get(HOST, "/1").statusCode()).isEqualTo(200);
    assertThat(fixture.get(HOST, "/2").statusCode()).isEqualTo(200);

    assertThat(fixture.admin("/metrics").body())
        .contains("gantry_dataplane_upstream_connections_open{protocol=\"http1\"} 1.0");
  }

  @Test
  void speaksHttp2ByAlpnWhenTheClusterIsHttp2() {
    TlsBackend backend = backend(CA.issue("grpc.shop.svc"), null);
    serve(
        tlsCluster(backend, trusting(CA, "grpc.shop.svc")).toBuilder()
            .setProtocol(UpstreamProtocol.UPSTREAM_PROTOCOL_H2C)
            .build());

    HttpResponse<String> response = fixture.get(HOST, "/x");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("sni=grpc.shop.svc alpn=h2 ");
  }

  @Test
  void aCertificateFromAnotherCaAnswers502AndNeverReachesTheBackend() {
    TlsBackend backend = backend(OTHER_CA.issue("web.shop.svc"), null);
    serve(tlsCluster(backend, trusting(CA, "web.shop.svc")));

    HttpResponse<String> response = fixture.get(HOST, "/");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("upstream TLS handshake failed");
    assertThat(backend.received()).isEmpty();
    assertThat(fixture.admin("/metrics").body())
        .containsPattern("gantry_dataplane_upstream_errors_total\\{[^}]*kind=\"tls_handshake\"");
  }

  @Test
  void aCertificateForAnotherNameAnswers502() {
    TlsBackend backend = backend(CA.issue("other.shop.svc"), null);
    serve(tlsCluster(backend, trusting(CA, "web.shop.svc")));

    HttpResponse<String> response = fixture.get(HOST, "/");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(backend.received()).isEmpty();
  }

  @Test
  void insecureAcceptsAnyCertificate() {
    TlsBackend backend = backend(OTHER_CA.issue("whatever.example"), null);
    serve(
        tlsCluster(
            backend,
            UpstreamTls.newBuilder().setServerName("web.shop.svc").setInsecureSkipVerify(true)));

    HttpResponse<String> response = fixture.get(HOST, "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("sni=web.shop.svc ");
  }

  @Test
  void presentsTheClientCertificateABackendRequires() {
    TlsBackend backend = backend(CA.issue("web.shop.svc"), CLIENT_CA.caPem());
    TestPki.Issued client = CLIENT_CA.issue("gantry.dataplane");
    TlsCertificate certificate =
        TlsCertificate.newBuilder()
            .setName("gantry/upstream-client")
            .setCertificateChain(ByteString.copyFromUtf8(client.chainPem()))
            .setPrivateKey(ByteString.copyFromUtf8(client.keyPem()))
            .build();
    serve(
        tlsCluster(
            backend, trusting(CA, "web.shop.svc").setClientCertificate("gantry/upstream-client")),
        certificate);

    HttpResponse<String> response = fixture.get(HOST, "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("client=CN=gantry.dataplane");
  }

  @Test
  void withoutTheClientCertificateABackendThatRequiresOneAnswers502() {
    TlsBackend backend = backend(CA.issue("web.shop.svc"), CLIENT_CA.caPem());
    serve(tlsCluster(backend, trusting(CA, "web.shop.svc")));

    HttpResponse<String> response = fixture.get(HOST, "/");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(backend.received()).isEmpty();
  }

  @Test
  void aCaBundleThatDoesNotParseTakesOnlyItsClusterOutOfService() {
    TlsBackend backend = backend(CA.issue("web.shop.svc"), null);
    Cluster broken =
        tlsCluster(
                backend,
                UpstreamTls.newBuilder()
                    .setServerName("web.shop.svc")
                    .setCaBundle(ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\nnope\n")))
            .toBuilder()
            .setName("broken")
            .build();
    Cluster good = tlsCluster(backend, trusting(CA, "web.shop.svc"));
    Snapshot base =
        snapshot(
            1,
            List.of(
                host(
                    "app",
                    List.of(HOST),
                    prefix("broken", "/broken", "broken"),
                    prefix("all", "/", "web"))),
            List.of(broken, good));
    fixture.apply(base);

    assertThat(fixture.get(HOST, "/broken").statusCode()).isEqualTo(503);
    assertThat(fixture.get(HOST, "/fine").statusCode()).isEqualTo(200);
  }
}
