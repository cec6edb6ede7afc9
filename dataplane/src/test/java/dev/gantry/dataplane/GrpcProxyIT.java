package dev.gantry.dataplane;

import static dev.gantry.dataplane.testing.GrpcEcho.BIDI;
import static dev.gantry.dataplane.testing.GrpcEcho.CLIENT_STREAM;
import static dev.gantry.dataplane.testing.GrpcEcho.DETAIL;
import static dev.gantry.dataplane.testing.GrpcEcho.FAIL;
import static dev.gantry.dataplane.testing.GrpcEcho.HANG;
import static dev.gantry.dataplane.testing.GrpcEcho.SERVER_STREAM;
import static dev.gantry.dataplane.testing.GrpcEcho.UNARY;
import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.h2cCluster;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.dataplane.testing.GrpcEcho;
import dev.gantry.dataplane.testing.H2Frames;
import dev.gantry.dataplane.testing.RawH2;
import dev.gantry.dataplane.testing.TestCertificates;
import dev.gantry.dataplane.testing.TestCertificates.Issued;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC through the proxy with grpc-java on both sides: every call kind, trailers, deadlines, the
 * proxy's own errors as gRPC statuses, balancing per call, and the TLS listener.
 */
class GrpcProxyIT {

  private static final String HOST = "grpc.example.com";
  private static final Issued CERTIFICATE = TestCertificates.issue("grpc/tls", HOST);
  private final Map<String, AtomicInteger> callsPerBackend = new ConcurrentHashMap<>();
  private final List<GrpcEcho> backends = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private DataplaneFixture fixture;

  @BeforeEach
  void setUp() {
    fixture =
        DataplaneFixture.start(config -> config.withHttps(DataplaneConfig.Listener.loopback(0)));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    fixture.close();
    backends.forEach(GrpcEcho::close);
  }

  /** Starts a grpc-java backend named {@code name} serving the test methods. */
  private InetSocketAddress backend(String name) throws IOException {
    GrpcEcho backend =
        GrpcEcho.start(name, callsPerBackend.computeIfAbsent(name, n -> new AtomicInteger()));
    backends.add(backend);
    return backend.address();
  }

  private void route(InetSocketAddress... endpoints) {
    fixture.apply(
        snapshot(
            1,
            List.of(
                withCertificate(
                    host("grpc", List.of(HOST), prefix("grpc", "/", "echo")), "grpc/tls")),
            List.of(h2cCluster("echo", endpoints)),
            List.of(CERTIFICATE.toProto())));
  }

  private ManagedChannel cleartext() {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", fixture.dataplane.httpPort(), InsecureChannelCredentials.create())
            .overrideAuthority(HOST)
            .build();
    channels.add(channel);
    return channel;
  }

  @Test
  void unaryCallsAreBalancedPerCallAcrossTheEndpoints() throws IOException {
    route(backend("a"), backend("b"));
    ManagedChannel channel = cleartext(); // one HTTP/2 connection to the proxy

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "hi"));
    }

    assertThat(answers).containsOnly("a:hi", "b:hi");
    assertThat(callsPerBackend.get("a").get()).as("round robin per call").isEqualTo(10);
    assertThat(callsPerBackend.get("b").get()).isEqualTo(10);
  }

  @Test
  void serverStreamingCarriesEveryMessageThenTheBackendsStatusAndTrailers() throws IOException {
    route(backend("a"));

    Iterator<String> stream =
        ClientCalls.blockingServerStreamingCall(
            cleartext(), SERVER_STREAM, CallOptions.DEFAULT, "300 65536"); // 19 MiB
    int received = 0;
    StatusRuntimeException end = null;
    try {
      while (stream.hasNext()) {
        assertThat(stream.next()).startsWith(received + ":");
        received++;
      }
    } catch (StatusRuntimeException e) {
      end = e;
    }

    assertThat(received).isEqualTo(300);
    assertThat(end).isNotNull();
    assertThat(end.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(end.getStatus().getDescription()).isEqualTo("done");
    assertThat(end.getTrailers().get(DETAIL)).isEqualTo("sent 300");
  }

  @Test
  void clientStreamingAndBidiStreamingFlowBothWays() throws Exception {
    route(backend("a"));
    ManagedChannel channel = cleartext();

    CollectingObserver counted = new CollectingObserver();
    StreamObserver<String> upload =
        ClientCalls.asyncClientStreamingCall(
            channel.newCall(CLIENT_STREAM, CallOptions.DEFAULT), counted);
    for (int i = 0; i < 500; i++) {
      upload.onNext("item " + i);
    }
    upload.onCompleted();

    CollectingObserver pongs = new CollectingObserver();
    StreamObserver<String> pings =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(BIDI, CallOptions.DEFAULT), pongs);
    for (int i = 0; i < 10; i++) {
      pings.onNext("ping " + i);
    }
    pings.onCompleted();

    assertThat(counted.await()).containsExactly("received 500");
    assertThat(pongs.await()).hasSize(10).first().isEqualTo("pong ping 0");
  }

  @Test
  void theBackendsErrorStatusAndTrailersReachTheClient() throws IOException {
    route(backend("a"));

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(cleartext(), FAIL, CallOptions.DEFAULT, "42"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as(e.getStatus().toString())
                  .isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no such item");
              assertThat(e.getTrailers().get(DETAIL)).isEqualTo("about 42");
            });
  }

  @Test
  void withoutAReadyEndpointTheCallFailsUnavailable() {
    fixture.apply(
        snapshot(
            1,
            List.of(host("grpc", List.of(HOST), prefix("grpc", "/", "echo"))),
            List.of(cluster("echo"))));

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(cleartext(), UNARY, CallOptions.DEFAULT, "hi"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("no healthy upstream");
            });
  }

  @Test
  void aMethodNoRouteServesFailsUnimplemented() throws IOException {
    route(backend("a"));
    ManagedChannel elsewhere =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", fixture.dataplane.httpPort(), InsecureChannelCredentials.create())
            .overrideAuthority("unknown.example.com")
            .build();
    channels.add(elsewhere);

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(elsewhere, UNARY, CallOptions.DEFAULT, "hi"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().getDescription()).isEqualTo("no route");
            });
  }

  @Test
  void theProxyEndsACallPastItsGrpcTimeoutWithDeadlineExceeded() throws Exception {
    route(backend("a"));
    Http2Headers call =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .authority(HOST)
            .path("/gantry.test.Echo/Hang")
            .set("content-type", "application/grpc")
            .set("te", "trailers")
            .set("grpc-timeout", "200m");

    try (RawH2 raw = new RawH2(fixture.dataplane.httpPort())) {
      raw.send(raw.frames.headers(1, call, false));
      byte[] message = {0, 0, 0, 0, 2, 'h', 'i'}; // uncompressed, 2 bytes
      raw.send(
          raw.frames.encode(
              (w, ctx, p) -> w.writeData(ctx, 1, Unpooled.wrappedBuffer(message), 0, true, p)));
      H2Frames.Log log = raw.readUntil(l -> l.endStreams >= 1 || l.resets.containsKey(1));

      Http2Headers answer = log.headers.get(1);
      assertThat(answer.status()).hasToString("200");
      assertThat(answer.get("content-type")).hasToString("application/grpc");
      assertThat(answer.get("grpc-status")).as("DEADLINE_EXCEEDED").hasToString("4");
      assertThat(log.bodyBytes(1)).as("trailers-only: one HEADERS frame").isZero();
    }
  }

  @Test
  void aClientDeadlineEndsTheCallDeadlineExceeded() throws IOException {
    route(backend("a"));

    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    cleartext(),
                    HANG,
                    CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                    "hi"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void callsOverTheTlsListenerUseH2ByAlpn() throws IOException {
    route(backend("a"));
    ManagedChannel tls =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1",
                fixture.dataplane.httpsPort(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(CERTIFICATE.chainPem()))
                    .build())
            .overrideAuthority(HOST)
            .build();
    channels.add(tls);

    assertThat(ClientCalls.blockingUnaryCall(tls, UNARY, CallOptions.DEFAULT, "secure"))
        .isEqualTo("a:secure");
  }

  /** Collects a stream's messages; {@link #await()} returns them once it completed. */
  private static final class CollectingObserver implements StreamObserver<String> {
    private final List<String> values = new ArrayList<>();
    private final java.util.concurrent.CompletableFuture<List<String>> done =
        new java.util.concurrent.CompletableFuture<>();

    @Override
    public synchronized void onNext(String value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(values));
    }

    List<String> await() throws Exception {
      return done.get(30, TimeUnit.SECONDS);
    }
  }
}
