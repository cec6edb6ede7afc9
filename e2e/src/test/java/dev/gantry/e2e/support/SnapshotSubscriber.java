package dev.gantry.e2e.support;

import dev.gantry.dataplane.DataplaneChannels;
import dev.gantry.protocol.v1.Ack;
import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Hello;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SnapshotServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dataplane stand-in on an operator's snapshot stream: says hello, ACKs every snapshot and keeps
 * the latest, for tests that look at what the operator ships rather than at a proxy.
 */
public final class SnapshotSubscriber implements AutoCloseable {

  private final ManagedChannel channel;
  private final AtomicReference<Snapshot> latest = new AtomicReference<>();

  private SnapshotSubscriber(int grpcPort, String nodeId) {
    channel = DataplaneChannels.forTarget("127.0.0.1:" + grpcPort);
    AtomicReference<StreamObserver<DataplaneMessage>> out = new AtomicReference<>();
    out.set(
        SnapshotServiceGrpc.newStub(channel).stream(
            new StreamObserver<>() {
              @Override
              public void onNext(Snapshot snapshot) {
                latest.set(snapshot);
                out.get()
                    .onNext(
                        DataplaneMessage.newBuilder()
                            .setAck(
                                Ack.newBuilder()
                                    .setVersion(snapshot.getVersion())
                                    .setDigest(snapshot.getDigest()))
                            .build());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            }));
    out.get()
        .onNext(
            DataplaneMessage.newBuilder().setHello(Hello.newBuilder().setNodeId(nodeId)).build());
  }

  /** Opens the stream of the operator serving snapshots on loopback {@code grpcPort}. */
  public static SnapshotSubscriber subscribe(int grpcPort, String nodeId) {
    return new SnapshotSubscriber(grpcPort, nodeId);
  }

  /** Returns the latest snapshot received, or null before the first. */
  public Snapshot latest() {
    return latest.get();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
