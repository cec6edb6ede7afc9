package dev.gantry.operator.snapshot;

import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SnapshotServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams snapshots to dataplanes: the newest on Hello, then each new version. A stream that is not
 * ready (a slow dataplane) is not queued to: when it becomes ready it gets the newest version, so
 * intermediate versions are skipped, never buffered.
 */
public final class SnapshotStreamService extends SnapshotServiceGrpc.SnapshotServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(SnapshotStreamService.class);

  private final SnapshotStore store;
  private final DataplaneRegistry registry;
  private final SnapshotMetrics metrics;

  public SnapshotStreamService(
      SnapshotStore store, DataplaneRegistry registry, SnapshotMetrics metrics) {
    this.store = store;
    this.registry = registry;
    this.metrics = metrics;
  }

  @Override
  public StreamObserver<DataplaneMessage> stream(StreamObserver<Snapshot> responses) {
    return new Session((ServerCallStreamObserver<Snapshot>) responses);
  }

  /**
   * One dataplane's stream. gRPC calls it serially; store listeners call {@link #send} from other
   * threads.
   */
  private final class Session implements StreamObserver<DataplaneMessage> {
    private final String id = UUID.randomUUID().toString();
    private final ServerCallStreamObserver<Snapshot> out;
    private String nodeId;
    private Runnable unsubscribe = () -> {};
    private long sentVersion;
    private boolean closed;

    Session(ServerCallStreamObserver<Snapshot> out) {
      this.out = out;
      out.setOnReadyHandler(this::send);
      out.setOnCancelHandler(this::close);
    }

    @Override
    public void onNext(DataplaneMessage message) {
      switch (message.getKindCase()) {
        case HELLO -> hello(message.getHello().getNodeId(), message.getHello().getHeldDigest());
        case ACK -> {
          if (requireHello()) {
            registry.acked(id, message.getAck().getVersion());
            metrics.acked(message.getAck().getVersion());
          }
        }
        case NACK -> {
          if (requireHello()) {
            log.warn(
                "dataplane {} rejected snapshot version {}: {}",
                nodeId,
                message.getNack().getVersion(),
                message.getNack().getReason());
            registry.nacked(id, message.getNack().getVersion(), message.getNack().getReason());
            metrics.nacked();
          }
        }
        default ->
            fail(
                Status.INVALID_ARGUMENT.withDescription(
                    "unknown message " + message.getKindCase()));
      }
    }

    private void hello(String node, String heldDigest) {
      if (nodeId != null) {
        fail(Status.INVALID_ARGUMENT.withDescription("Hello sent twice on one stream"));
        return;
      }
      nodeId = node.isEmpty() ? "unnamed-" + id.substring(0, 8) : node;
      log.info(
          "dataplane {} connected (holds {})",
          nodeId,
          heldDigest.isEmpty() ? "nothing" : heldDigest);
      registry.connected(id, nodeId);
      unsubscribe = store.subscribe(p -> send());
      send();
    }

    private boolean requireHello() {
      if (nodeId == null) {
        fail(
            Status.INVALID_ARGUMENT.withDescription("the first message on a stream must be Hello"));
        return false;
      }
      return true;
    }

    private synchronized void send() {
      if (closed || nodeId == null || !out.isReady()) {
        return;
      }
      store
          .current()
          .filter(p -> p.version() > sentVersion)
          .ifPresent(
              p -> {
                out.onNext(p.snapshot());
                sentVersion = p.version();
              });
    }

    @Override
    public void onError(Throwable t) {
      log.info("dataplane {} stream ended: {}", nodeId, Status.fromThrowable(t));
      close();
    }

    @Override
    public void onCompleted() {
      close();
      synchronized (this) {
        out.onCompleted();
      }
    }

    private void fail(Status status) {
      close();
      synchronized (this) {
        out.onError(status.asRuntimeException());
      }
    }

    private void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      unsubscribe.run();
      registry.disconnected(id);
      if (nodeId != null) {
        log.info("dataplane {} disconnected", nodeId);
      }
    }
  }
}
