package dev.gantry.dataplane.snapshot;

import static java.util.Objects.requireNonNull;

import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Hello;
import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.SnapshotServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@code SnapshotService.Stream} open to the control plane: sends Hello with the digest
 * it serves, applies each snapshot received and answers Ack or Nack. When the stream ends, for
 * whatever reason, it opens a new one after a jittered exponential backoff, and the last good
 * routing table keeps serving meanwhile.
 *
 * <p>Thread-safe. Snapshots are applied on gRPC's callback thread for the stream (one at a time);
 * reconnection runs on a private scheduler thread. Does not own the gRPC channel.
 */
public final class SnapshotClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SnapshotClient.class);

  private final Channel channel;
  private final SnapshotClientConfig config;
  private final RoutingTableHolder tables;
  private final SnapshotMetrics metrics;
  private final SnapshotApplier applier;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private Session session; // guarded by this
  private boolean closed; // guarded by this

  public SnapshotClient(
      Channel channel,
      SnapshotClientConfig config,
      RoutingTableHolder tables,
      MeterRegistry registry) {
    this(channel, config, tables, snapshot -> {}, registry);
  }

  /**
   * Returns a client that also hands each accepted snapshot to {@code certificates} (the TLS
   * listener's), just before its routing table is swapped in.
   */
  public SnapshotClient(
      Channel channel,
      SnapshotClientConfig config,
      RoutingTableHolder tables,
      Consumer<Snapshot> certificates,
      MeterRegistry registry) {
    this.channel = requireNonNull(channel, "channel");
    this.config = requireNonNull(config, "config");
    this.tables = requireNonNull(tables, "tables");
    this.metrics = new SnapshotMetrics(requireNonNull(registry, "registry"));
    this.applier =
        new SnapshotApplier(tables, requireNonNull(certificates, "certificates"), metrics);
    this.backoff =
        new Backoff(
            config.initialBackoff(),
            config.maxBackoff(),
            () -> ThreadLocalRandom.current().nextDouble());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "gantry-snapshot-client");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Opens the first stream; returns at once (the stream connects in the background). */
  public void start() {
    scheduler.execute(this::connect);
  }

  /** Cancels the stream and stops reconnecting. The routing table stays as it is. */
  @Override
  public void close() {
    Session last;
    synchronized (this) {
      closed = true;
      last = session;
      session = null;
    }
    if (last != null) {
      last.cancel();
    }
    scheduler.shutdownNow();
    metrics.connected(false);
  }

  private void connect() {
    Session next = new Session();
    synchronized (this) {
      if (closed) {
        return;
      }
      session = next;
    }
    log.debug("opening snapshot stream as node {}", config.nodeId());
    SnapshotServiceGrpc.newStub(channel).stream(next);
    next.send(
        DataplaneMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setNodeId(config.nodeId())
                    .setHeldDigest(tables.current().digest())
                    .setBuild(config.build()))
            .build());
    synchronized (this) {
      if (closed) { // close() ran while the stream was starting and may have found it without a
        // call
        next.cancel();
      }
    }
  }

  private void reconnectAfter(Session ended, Status status) {
    Duration delay;
    synchronized (this) {
      if (closed || session != ended) {
        return;
      }
      session = null;
      delay = backoff.next();
    }
    metrics.connected(false);
    log.warn(
        "snapshot stream ended ({}{}); serving version {} and reconnecting in {} ms",
        status.getCode(),
        status.getDescription() == null ? "" : ": " + status.getDescription(),
        tables.current().version(),
        delay.toMillis());
    try {
      scheduler.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not reconnecting: client closed");
    }
  }

  /** One stream: its request side, and the callbacks gRPC makes for its response side. */
  private final class Session implements ClientResponseObserver<DataplaneMessage, Snapshot> {

    private ClientCallStreamObserver<DataplaneMessage> requests; // guarded by this
    private boolean done; // guarded by this: nothing more is sent
    private boolean cancelled; // guarded by this

    @Override
    public void beforeStart(ClientCallStreamObserver<DataplaneMessage> requestStream) {
      synchronized (this) {
        requests = requestStream;
      }
    }

    @Override
    public void onNext(Snapshot snapshot) {
      backoff.reset();
      metrics.connected(true);
      send(applier.apply(snapshot).answer());
    }

    @Override
    public void onError(Throwable t) {
      finish(false);
      reconnectAfter(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      finish(true);
      reconnectAfter(this, Status.OK.withDescription("closed by the control plane"));
    }

    synchronized void send(DataplaneMessage message) {
      if (!done && requests != null) {
        requests.onNext(message);
      }
    }

    /** Cancels the call; safe before it started (then {@code connect()} cancels it once it has). */
    synchronized void cancel() {
      done = true;
      if (requests != null && !cancelled) {
        cancelled = true;
        try {
          requests.cancel("dataplane closing", null);
        } catch (RuntimeException e) {
          // Seen from grpc's in-process transport when the call is torn down concurrently; the
          // stream is going away either way, and closing must not fail because of it.
          log.debug("cancelling the snapshot stream failed: {}", e.toString());
        }
      }
    }

    private synchronized void finish(boolean halfClose) {
      if (!done) {
        done = true;
        if (halfClose && requests != null) {
          requests.onCompleted();
        }
      }
    }
  }
}
