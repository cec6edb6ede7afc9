package dev.gantry.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.Dataplane;
import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.dataplane.DataplaneConfig;
import dev.gantry.dataplane.DataplaneConfig.Listener;
import dev.gantry.e2e.kube.KubeApiServer;
import dev.gantry.e2e.kube.KubeApiServerExtension;
import dev.gantry.e2e.kube.TestNamespace;
import dev.gantry.e2e.support.ProxyRoutes;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.OperatorConfig;
import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Hello;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SnapshotServiceGrpc;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot stream on a real kube-apiserver with dataplane authentication on: a dataplane with
 * its ServiceAccount's token for the snapshot audience gets snapshots; no token, a token of another
 * ServiceAccount, a token for another audience and garbage get nothing but an error.
 */
@ExtendWith(KubeApiServerExtension.class)
class StreamAuthIT {
  private static final String AUDIENCE = OperatorConfig.DataplaneAuth.DEFAULT_AUDIENCE;

  private static KubernetesClient client;
  private static String ns;
  private static GantryOperator operator;
  @TempDir static Path tokens;

  @BeforeAll
  static void start(KubeApiServer api, TestNamespace namespace) throws Exception {
    client = api.client();
    ns = namespace.name();
    ProxyRoutes.installCrd(client);
    for (String sa : new String[] {"dataplane", "intruder"}) {
      client
          .serviceAccounts()
          .inNamespace(ns)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build())
          .create();
    }
    operator =
        GantryOperator.start(
            OperatorConfig.defaults()
                .withPorts(0, 0)
                .withBindAddress("127.0.0.1")
                .withWatchNamespace(Optional.of(ns))
                .withDataplaneAuth(
                    Optional.of(
                        new OperatorConfig.DataplaneAuth(AUDIENCE, Set.of(ns + "/dataplane")))),
            client);
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
  }

  /** Mints a token of {@code serviceAccount} for {@code audience} into a file. */
  private static Path token(String serviceAccount, String audience) throws Exception {
    String token =
        client
            .serviceAccounts()
            .inNamespace(ns)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withAudiences(audience)
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return write(serviceAccount + "-" + audience.replace('/', '_'), token);
  }

  private static Path write(String name, String content) throws Exception {
    return Files.writeString(tokens.resolve(name), content);
  }

  private static String operatorMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Opens a stream with the token in {@code tokenFile} (none if empty) and returns its end. */
  private static Status streamWith(Optional<Path> tokenFile) throws Exception {
    ManagedChannel channel =
        DataplaneChannels.forTarget("127.0.0.1:" + operator.grpcPort(), tokenFile);
    try {
      CompletableFuture<Status> ended = new CompletableFuture<>();
      StreamObserver<DataplaneMessage> out =
          SnapshotServiceGrpc.newStub(channel).stream(
              new StreamObserver<Snapshot>() {
                @Override
                public void onNext(Snapshot message) {
                  ended.complete(Status.OK.withDescription("got a snapshot"));
                }

                @Override
                public void onError(Throwable t) {
                  ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  ended.complete(Status.OK.withDescription("completed"));
                }
              });
      out.onNext(
          DataplaneMessage.newBuilder().setHello(Hello.newBuilder().setNodeId("probe")).build());
      return ended.get(30, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDataplaneWithItsServiceAccountTokenGetsSnapshots() throws Exception {
    ManagedChannel channel =
        DataplaneChannels.forTarget(
            "127.0.0.1:" + operator.grpcPort(), Optional.of(token("dataplane", AUDIENCE)));
    Dataplane dataplane =
        Dataplane.start(
            DataplaneConfig.defaults("authenticated")
                .withHttp(Listener.loopback(0))
                .withAdmin(Listener.loopback(0)),
            channel);
    try {
      await().until(() -> dataplane.currentVersion() > 0);
      // The operator's metrics saw the ACK and timed it.
      await()
          .untilAsserted(
              () ->
                  assertThat(operatorMetrics())
                      .containsPattern("gantry_operator_snapshot_acks_total [1-9]")
                      .containsPattern("gantry_operator_snapshot_propagation_seconds_count [1-9]")
                      .contains("gantry_operator_dataplanes_connected 1.0"));
    } finally {
      dataplane.close();
      channel.shutdownNow();
    }
  }

  @Test
  void noTokenIsUnauthenticated() throws Exception {
    Status status = streamWith(Optional.empty());

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("must present its ServiceAccount token");
  }

  @Test
  void anotherServiceAccountIsDenied() throws Exception {
    Status status = streamWith(Optional.of(token("intruder", AUDIENCE)));

    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription())
        .contains("system:serviceaccount:" + ns + ":intruder is not a dataplane");
  }

  @Test
  void aTokenForAnotherAudienceOrGarbageIsUnauthenticated() throws Exception {
    assertThat(
            streamWith(Optional.of(token("dataplane", "https://kubernetes.default.svc"))).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(streamWith(Optional.of(write("garbage", "not.a.jwt"))).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
