package dev.gantry.dataplane.relay;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.channel.ByteRelay;
import dev.gantry.dataplane.channel.IdleTimeoutHandler;
import dev.gantry.dataplane.health.Outcome;
import dev.gantry.dataplane.routing.TcpProxyRoute;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One relayed connection: the client's, and the one opened to the endpoint picked for it. Until
 * that connection is up the client's bytes are held here; then a {@link ByteRelay} (shared with
 * WebSocket) copies bytes both ways with backpressure, passes a FIN on as a FIN, and ends on a
 * close, an error, or the route's idle timeout. A connect failure tries one other endpoint, then
 * closes the client connection. Draining for shutdown does not cut a relay: it lasts until the
 * drain deadline closes everything. One access-log line when both connections are closed.
 *
 * <p>Confined to the client channel's event loop (the endpoint connection is opened on it too).
 */
final class Relay implements ByteRelay.Listener {

  /** Picks made to find an endpoint other than the one that failed. */
  private static final int RETRY_PICKS = 8;

  private final Passthrough owner;
  private final Channel client;
  private final TcpProxyRoute route;
  private final String serverName;
  private final Function<UpstreamCluster, ConnectionLimit> limits;
  private final ClientSide clientSide = new ClientSide();
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();

  /** Bytes from the client that arrived before the endpoint connection was up. */
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();

  private UpstreamCluster cluster;
  private Endpoint endpoint;
  private Channel backend;
  private boolean connected;
  private ByteRelay bytes;
  private long received;
  private long sent;
  private String end;
  private boolean finished;

  Relay(
      Passthrough owner,
      Channel client,
      TcpProxyRoute route,
      String serverName,
      Function<UpstreamCluster, ConnectionLimit> limits) {
    this.owner = owner;
    this.limits = limits;
    this.client = client;
    this.route = route;
    this.serverName = serverName;
  }

  ChannelInboundHandlerAdapter clientSide() {
    return clientSide;
  }

  /** Switches the client connection to relaying and connects to a first endpoint. */
  void start() {
    owner.metrics().opened();
    client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    IdleTimeoutHandler idle = new IdleTimeoutHandler(route.idleTimeout());
    if (client.pipeline().get(IdleTimeoutHandler.class) != null) {
      client.pipeline().replace(IdleTimeoutHandler.class, "idle-timeout", idle);
    } else {
      client.pipeline().addFirst("idle-timeout", idle);
    }
    client.closeFuture().addListener(f -> finish());
    connect(pick(null));
  }

  /** Returns an endpoint of the route's clusters other than {@code failed}, or null. */
  private Endpoint pick(Endpoint failed) {
    for (int i = 0; i < RETRY_PICKS; i++) {
      UpstreamCluster candidate = route.clusters().pick();
      Endpoint picked = candidate.balancer().pick();
      if (picked != null && !picked.equals(failed)) {
        cluster = candidate;
        return picked;
      }
      if (picked != null) {
        candidate.balancer().completed(picked);
      }
    }
    return null;
  }

  private void connect(Endpoint picked) {
    if (picked == null) {
      end(endpoint == null ? "no_endpoint" : "connect_failed");
      client.close();
      return;
    }
    boolean retry = endpoint != null;
    endpoint = picked;
    UpstreamCluster target = cluster;
    ConnectionLimit limit = limits.apply(target);
    if (!limit.tryOpen()) {
      // The cluster's circuit breaker (max_connections) counts relays as it counts pools.
      target.balancer().completed(picked);
      end("circuit_open");
      client.close();
      return;
    }
    ChannelFuture connecting =
        owner
            .connector()
            .connect(
                client.eventLoop(),
                picked.address(),
                target.connectTimeout(),
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    // Nothing until connected: the relay's handler comes then.
                  }
                });
    backend = connecting.channel();
    backend.closeFuture().addListener(f -> limit.closed());
    connecting.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            target.balancer().report(picked, Outcome.SUCCESS);
            connected();
            return;
          }
          target.balancer().completed(picked);
          if (!client.isActive()) {
            return; // the client left meanwhile: closed by finish(), not a failure
          }
          owner.metrics().connectFailed();
          target.balancer().report(picked, Outcome.GATEWAY_ERROR);
          if (retry) {
            end("connect_failed");
            client.close();
          } else {
            connect(pick(picked));
          }
        });
  }

  private void connected() {
    connected = true;
    if (!client.isActive()) {
      backend.close();
      return;
    }
    bytes = ByteRelay.install(client, backend, "relay-bytes", route.idleTimeout(), this);
    client.pipeline().remove(clientSide);
    // Read before the endpoint was there: first on the wire, ahead of anything the relay copies.
    for (ByteBuf buf = pending.poll(); buf != null; buf = pending.poll()) {
      backend.write(buf);
    }
    backend.flush();
    bytes.start(); // a FIN the client sent meanwhile is passed on here
  }

  @Override
  public void relayed(boolean fromClient, int size) {
    if (fromClient) {
      received += size;
      owner.metrics().received(size);
    } else {
      sent += size;
      owner.metrics().sent(size);
    }
  }

  @Override
  public void ended(ByteRelay relay) {
    endAs(relay.end());
  }

  /** Notes how the byte relay ended, in the words of the access log. */
  private void endAs(ByteRelay.End how) {
    if (how == null) {
      return;
    }
    end(
        switch (how) {
          case CLOSED -> "closed";
          case FIRST_CLOSED -> "client_closed";
          case SECOND_CLOSED -> "upstream_closed";
          case FIRST_ERROR -> "client_error";
          case SECOND_ERROR -> "upstream_error";
          case IDLE_TIMEOUT -> "idle_timeout";
        });
  }

  private void end(String how) {
    if (end == null) {
      end = how;
    }
  }

  /** Closes both connections once what each was sent has been written. */
  private void closeBoth() {
    closeAfterFlush(client);
    if (backend != null) {
      closeAfterFlush(backend);
    }
  }

  private static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  /** Logs the relay once the client connection and the endpoint's are both closed. */
  private void finish() {
    if (backend != null && backend.isOpen()) {
      backend.closeFuture().addListener(f -> finish());
      closeAfterFlush(backend);
      return;
    }
    if (finished) {
      return;
    }
    finished = true;
    if (bytes != null) {
      endAs(bytes.end()); // the closing side is known before both close futures have fired
    }
    for (ByteBuf buf = pending.poll(); buf != null; buf = pending.poll()) {
      buf.release();
    }
    if (endpoint != null && connected) {
      cluster.balancer().completed(endpoint);
    }
    owner.metrics().closed();
    owner.log().log(
        startMillis,
        client.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
            ? a.getAddress().getHostAddress()
            : null,
        serverName,
        route.host(),
        cluster == null ? null : cluster.name(),
        endpoint == null ? null : endpoint.address(),
        received,
        sent,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        end == null ? "closed" : end);
  }

  /**
   * Sits on the client connection, in place of the TLS and HTTP handlers, until the endpoint's
   * connection is up: holds what the client sends; then the {@link ByteRelay} takes over.
   */
  private final class ClientSide extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      received += buf.readableBytes();
      owner.metrics().received(buf.readableBytes());
      pending.add(buf);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      // A FIN (input shutdown) stays in the channel's state, which the relay reads as it starts.
      if (evt instanceof IdleStateEvent) {
        end("idle_timeout");
        closeBoth();
      }
      // Anything else (the drain for shutdown among them) does not concern a relay.
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end("client_closed");
      if (backend != null) {
        closeAfterFlush(backend);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      end("client_error");
      closeBoth();
    }
  }
}
