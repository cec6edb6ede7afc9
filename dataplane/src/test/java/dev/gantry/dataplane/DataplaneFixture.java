package dev.gantry.dataplane;

import static org.awaitility.Awaitility.await;

import dev.gantry.dataplane.testing.FakeControlPlane;
import dev.gantry.protocol.v1.Snapshot;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A dataplane on ephemeral loopback ports, wired to a {@link FakeControlPlane}, plus an HTTP client
 * for it. Needs {@code -Djdk.httpclient.allowRestrictedHeaders=host} (set in the pom) to send
 * chosen Host headers.
 */
final class DataplaneFixture implements AutoCloseable {

  final FakeControlPlane controlPlane;
  final ManagedChannel channel;
  final Dataplane dataplane;
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private DataplaneFixture(
      FakeControlPlane controlPlane, UnaryOperator<DataplaneConfig> customize) {
    this.controlPlane = controlPlane;
    this.channel = controlPlane.newChannel();
    DataplaneConfig config =
        DataplaneConfig.defaults("test-node")
            .withHttp(DataplaneConfig.Listener.loopback(0))
            .withAdmin(DataplaneConfig.Listener.loopback(0))
            .withEventLoopThreads(2)
            .withReconnect(
                new DataplaneConfig.Backoff(Duration.ofMillis(20), Duration.ofMillis(200)))
            .withBuild("test-build");
    this.dataplane = Dataplane.start(customize.apply(config), channel);
  }

  /** Starts a control plane and a dataplane connected to it. */
  static DataplaneFixture start() {
    return start(UnaryOperator.identity());
  }

  /** Starts a control plane and a dataplane configured by {@code customize}, connected to it. */
  static DataplaneFixture start(UnaryOperator<DataplaneConfig> customize) {
    return new DataplaneFixture(new FakeControlPlane().start(), customize);
  }

  /** Pushes {@code snapshot} and waits until the dataplane acknowledged it. */
  void apply(Snapshot snapshot) {
    await().until(() -> controlPlane.openStreams() > 0);
    controlPlane.push(snapshot);
    await()
        .until(
            () ->
                controlPlane.acks().stream()
                    .anyMatch(a -> a.getVersion() == snapshot.getVersion()));
  }

  /** Pushes {@code snapshot}, waits until the dataplane NACKed it, and returns its reason. */
  String applyExpectingRejection(Snapshot snapshot) {
    await().until(() -> controlPlane.openStreams() > 0);
    controlPlane.push(snapshot);
    await()
        .until(
            () ->
                controlPlane.nacks().stream()
                    .anyMatch(n -> n.getVersion() == snapshot.getVersion()));
    return controlPlane.nacks().stream()
        .filter(n -> n.getVersion() == snapshot.getVersion())
        .findFirst()
        .orElseThrow()
        .getReason();
  }

  /** Sends GET {@code path} with Host {@code host} to the proxy. */
  HttpResponse<String> get(String host, String path) {
    return send(request(host, path).GET().build());
  }

  HttpRequest.Builder request(String host, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dataplane.httpPort() + path))
        .header("Host", host)
        .timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends GET {@code path} to the admin port. */
  HttpResponse<String> admin(String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dataplane.adminPort() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
  }

  @Override
  public void close() {
    dataplane.close();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    controlPlane.close();
    client.close();
  }
}
