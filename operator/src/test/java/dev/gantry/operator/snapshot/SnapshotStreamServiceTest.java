package dev.gantry.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.compile.CompileResult;
import dev.gantry.operator.ir.RouteGraph;
import dev.gantry.operator.ir.VirtualHost;
import dev.gantry.operator.translate.SnapshotTranslator;
import dev.gantry.protocol.v1.Ack;
import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Hello;
import dev.gantry.protocol.v1.Nack;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SnapshotServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotStreamServiceTest {
  private final SnapshotStore store = new SnapshotStore();
  private final DataplaneRegistry registry = new DataplaneRegistry();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new SnapshotStreamService(
                    store, registry, new SnapshotMetrics(new SimpleMeterRegistry(), store)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static Snapshot contentWithHost(String host) {
    return SnapshotTranslator.translate(
        new RouteGraph(List.of(new VirtualHost(host, List.of())), List.of()));
  }

  private final class Client implements StreamObserver<Snapshot> {
    final List<Snapshot> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> ended = new AtomicReference<>();
    final StreamObserver<DataplaneMessage> out = SnapshotServiceGrpc.newStub(channel).stream(this);

    @Override
    public void onNext(Snapshot s) {
      received.add(s);
    }

    @Override
    public void onError(Throwable t) {
      ended.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.set(Status.OK);
    }

    void hello(String node) {
      out.onNext(
          DataplaneMessage.newBuilder().setHello(Hello.newBuilder().setNodeId(node)).build());
    }
  }

  @Test
  void sendsTheNewestSnapshotOnHelloAndEachNewVersionAfter() {
    store.publish(contentWithHost("a.example.com"), CompileResult.EMPTY);
    Client client = new Client();
    client.hello("node-1");
    await().until(() -> client.received.size() == 1);
    assertThat(client.received.get(0).getVersion()).isEqualTo(1);

    store.publish(contentWithHost("b.example.com"), CompileResult.EMPTY);
    await().until(() -> client.received.size() == 2);
    assertThat(client.received.get(1).getVersion()).isEqualTo(2);
    assertThat(client.received.get(1).getVirtualHosts(0).getName()).isEqualTo("b.example.com");
  }

  @Test
  void doesNotResendWhenTheContentIsUnchanged() {
    store.publish(contentWithHost("a.example.com"), CompileResult.EMPTY);
    Client client = new Client();
    client.hello("node-1");
    await().until(() -> client.received.size() == 1);
    store.publish(contentWithHost("a.example.com"), CompileResult.EMPTY);
    store.publish(contentWithHost("c.example.com"), CompileResult.EMPTY);
    await().until(() -> client.received.size() == 2);
    assertThat(client.received).extracting(Snapshot::getVersion).containsExactly(1L, 2L);
  }

  @Test
  void recordsAcksAndNacksPerDataplane() {
    store.publish(contentWithHost("a.example.com"), CompileResult.EMPTY);
    Client client = new Client();
    client.hello("node-1");
    await().until(() -> registry.dataplanes().size() == 1);
    client.out.onNext(DataplaneMessage.newBuilder().setAck(Ack.newBuilder().setVersion(1)).build());
    await().until(() -> registry.dataplanes().get(0).ackedVersion() == 1);

    store.publish(contentWithHost("b.example.com"), CompileResult.EMPTY);
    client.out.onNext(
        DataplaneMessage.newBuilder()
            .setNack(Nack.newBuilder().setVersion(2).setReason("cluster x unknown"))
            .build());
    await().until(() -> registry.dataplanes().get(0).rejection().isPresent());
    assertThat(registry.dataplanes().get(0).rejection().get())
        .isEqualTo(new DataplaneRegistry.Rejection(2, "cluster x unknown"));
    assertThat(registry.dataplanes().get(0).ackedVersion()).isEqualTo(1);
  }

  @Test
  void forgetsADataplaneWhoseStreamEnds() {
    Client client = new Client();
    client.hello("node-1");
    await().until(() -> registry.dataplanes().size() == 1);
    client.out.onCompleted();
    await().until(() -> registry.dataplanes().isEmpty());
  }

  @Test
  void refusesAnAckBeforeHello() {
    Client client = new Client();
    client.out.onNext(DataplaneMessage.newBuilder().setAck(Ack.newBuilder().setVersion(1)).build());
    await().until(() -> client.ended.get() != null);
    assertThat(client.ended.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(client.ended.get().getDescription()).contains("must be Hello");
  }
}
