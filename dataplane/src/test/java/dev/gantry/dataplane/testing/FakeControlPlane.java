package dev.gantry.dataplane.testing;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process SnapshotService that records what dataplanes send (Hello, Ack, Nack) and pushes
 * snapshots to every open stream; sends the newest pushed snapshot to a stream when its Hello
 * arrives, as the operator does. Can be stopped and started again under the same name to play an
 * operator restart.
 */
public final class FakeControlPlane implements AutoCloseable {

  private final String name = "gantry-fake-operator-" + UUID.randomUUID();
  private final List<Hello> hellos = new CopyOnWriteArrayList<>();
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<Nack> nacks = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<Snapshot>> streams = new CopyOnWriteArrayList<>();
  private volatile Snapshot newest;
  private Server server;

  /** Starts serving (again); returns this. */
  public synchronized FakeControlPlane start() {
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(new Service())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Stops serving: open streams fail with UNAVAILABLE, new ones cannot connect until {@link
   * #start()}.
   */
  public synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
      streams.clear();
    }
  }

  /** Returns a new client channel to this control plane; the caller shuts it down. */
  public ManagedChannel newChannel() {
    return InProcessChannelBuilder.forName(name).build();
  }

  /** Sends {@code snapshot} on every open stream and to every stream that says Hello later. */
  public void push(Snapshot snapshot) {
    newest = snapshot;
    for (StreamObserver<Snapshot> stream : streams) {
      send(stream, snapshot);
    }
  }

  /**
   * Fails every open stream with UNAVAILABLE, as a flaky network would; the server keeps running.
   */
  public void failStreams() {
    for (StreamObserver<Snapshot> stream : streams) {
      streams.remove(stream);
      synchronized (stream) {
        stream.onError(
            Status.UNAVAILABLE.withDescription("test breaks the stream").asRuntimeException());
      }
    }
  }

  public List<Hello> hellos() {
    return hellos;
  }

  public List<Ack> acks() {
    return acks;
  }

  public List<Nack> nacks() {
    return nacks;
  }

  /** Returns how many streams are open. */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public void close() {
    stop();
  }

  private static void send(StreamObserver<Snapshot> stream, Snapshot snapshot) {
    synchronized (stream) {
      stream.onNext(snapshot);
    }
  }

  private final class Service extends SnapshotServiceGrpc.SnapshotServiceImplBase {

    @Override
    public StreamObserver<DataplaneMessage> stream(StreamObserver<Snapshot> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(DataplaneMessage message) {
          switch (message.getKindCase()) {
            case HELLO -> {
              hellos.add(message.getHello());
              streams.add(responses);
              Snapshot current = newest;
              if (current != null) {
                send(responses, current);
              }
            }
            case ACK -> acks.add(message.getAck());
            case NACK -> nacks.add(message.getNack());
            case KIND_NOT_SET -> throw new AssertionError("empty message from dataplane");
          }
        }

        @Override
        public void onError(Throwable t) {
          streams.remove(responses);
        }

        @Override
        public void onCompleted() {
          streams.remove(responses);
          synchronized (responses) {
            responses.onCompleted();
          }
        }
      };
    }
  }
}
