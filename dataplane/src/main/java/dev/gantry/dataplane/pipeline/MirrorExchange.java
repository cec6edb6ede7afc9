package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import dev.gantry.dataplane.upstream.UpstreamConnection;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamException;
import dev.gantry.dataplane.upstream.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a copy of a request to a mirror cluster and discards the answer: fire and forget. Never
 * touches the client channel, so it can neither delay nor fail the main exchange; its failures are
 * only logged. Ends after the whole response, a failure, or {@link #MAX_DURATION}, and then pools
 * or closes its connection.
 *
 * <p>A request whose whole body is in hand is copied in one piece. A body that streams from the
 * client is offered to the mirror chunk by chunk ({@link #offer}), sharing the buffers; a mirror
 * that cannot keep up (its connection not yet there with more than {@link #MAX_PENDING_BYTES}
 * waiting, or not writable) is abandoned, never waited for: the main exchange sets the pace.
 *
 * <p>Confined to the client channel's event loop, which the mirror connection shares.
 */
final class MirrorExchange implements UpstreamListener {

  private static final Logger log = LoggerFactory.getLogger(MirrorExchange.class);

  /** Longest a mirror may hold a connection; a stuck mirror must not pile up connections. */
  static final Duration MAX_DURATION = Duration.ofSeconds(30);

  /** Most body bytes held for a streaming mirror whose connection is not established yet. */
  static final int MAX_PENDING_BYTES = 64 * 1024;

  private final String cluster;
  private final HttpRequest request;

  /** Body chunks that arrived before the connection did (streaming mirrors only). */
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);

  private int pendingBytes;
  private boolean bodyComplete;
  private UpstreamConnection connection;
  private ScheduledFuture<?> timer;
  private boolean ended;
  private boolean keepAlive;
  private boolean skippingInformational;

  private MirrorExchange(String cluster, HttpRequest request) {
    this.cluster = cluster;
    this.request = request;
    this.bodyComplete = request instanceof FullHttpRequest;
  }

  /**
   * Returns a copy of {@code upstream} carrying {@code body} (retained, not copied), or {@code
   * null} when the request cannot be mirrored: its body is still streaming.
   *
   * @param upstream the request as sent to the main upstream, after filters
   * @param body the whole body when it is already in hand, else {@code null}
   */
  static FullHttpRequest copyOf(HttpRequest upstream, LastHttpContent body) {
    ByteBuf content;
    if (body != null) {
      content = body.content().retainedDuplicate();
    } else if (!HttpUtil.isTransferEncodingChunked(upstream)
        && HttpUtil.getContentLength(upstream, 0L) == 0L) {
      content = Unpooled.EMPTY_BUFFER;
    } else {
      return null;
    }
    FullHttpRequest copy =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, upstream.method(), upstream.uri(), content);
    copy.headers().set(upstream.headers());
    copy.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (content.isReadable() || upstream.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      copy.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    return copy;
  }

  /**
   * Sends a copy of {@code upstream} to each of the route's mirrors and returns at once. Call
   * before the main exchange takes ownership of {@code body}; does not consume it.
   *
   * @param body the whole body when it is already in hand, else {@code null}
   * @return the mirrors that wait for a streaming body, to be {@link #offer offered} its chunks;
   *     empty when there is none
   */
  static List<MirrorExchange> sendAll(
      UpstreamConnector connector,
      EventLoop loop,
      Route route,
      HttpRequest upstream,
      LastHttpContent body) {
    List<MirrorExchange> streaming = List.of();
    for (UpstreamCluster mirror : route.filters().mirrors()) {
      FullHttpRequest copy = copyOf(upstream, body);
      if (copy != null) {
        send(connector, loop, mirror, copy);
        continue;
      }
      HttpRequest head =
          new DefaultHttpRequest(
              HttpVersion.HTTP_1_1, upstream.method(), upstream.uri(), upstream.headers().copy());
      MirrorExchange started = send(connector, loop, mirror, head);
      if (started != null) {
        if (streaming.isEmpty()) {
          streaming = new ArrayList<>(2);
        }
        streaming.add(started);
      }
    }
    return streaming;
  }

  /**
   * Sends {@code request} (taking ownership) to an endpoint of {@code cluster}; returns at once
   * with the mirror, or null when the cluster has no endpoint. A request that is not a {@link
   * FullHttpRequest} waits for its body through {@link #offer}.
   */
  static MirrorExchange send(
      UpstreamConnector connector, EventLoop loop, UpstreamCluster cluster, HttpRequest request) {
    Endpoint endpoint = cluster.balancer().pick();
    if (endpoint == null) {
      log.debug("mirror {}: no endpoints ({})", cluster.name(), cluster.emptyReason());
      ReferenceCountUtil.release(request);
      return null;
    }
    MirrorExchange mirror = new MirrorExchange(cluster.name(), request);
    mirror.timer = loop.schedule(mirror::onTimeout, MAX_DURATION.toNanos(), TimeUnit.NANOSECONDS);
    Future<UpstreamConnection> acquired =
        connector.acquire(
            loop,
            endpoint.address(),
            cluster.connectTimeout(),
            ConnectionLimit.NONE,
            cluster.transport());
    acquired.addListener(f -> mirror.onAcquired(acquired));
    return mirror;
  }

  /**
   * Sends the next chunk of a streaming body (taking ownership of {@code content}), or abandons
   * this mirror when it cannot take the chunk now.
   */
  void offer(HttpContent content) {
    if (ended) {
      content.release();
      return;
    }
    bodyComplete |= content instanceof LastHttpContent;
    if (connection == null) {
      pendingBytes += content.content().readableBytes();
      pending.add(content);
      if (pendingBytes > MAX_PENDING_BYTES) {
        fail("more than " + MAX_PENDING_BYTES + " body bytes before the connection was ready");
      }
    } else if (!connection.isWritable()) {
      content.release();
      fail("the mirror cannot keep up with the request body");
    } else {
      connection.send(content);
      connection.flush();
    }
  }

  /**
   * Tells this mirror that the main exchange ended: a mirror still missing part of the body will
   * never get it, so it is abandoned.
   */
  void mainEnded() {
    if (!bodyComplete) {
      fail("the request ended before its whole body was read");
    }
  }

  private void onAcquired(Future<UpstreamConnection> acquired) {
    if (!acquired.isSuccess()) {
      end();
      log.debug("mirror {}: {}", cluster, acquired.cause().toString());
      return;
    }
    if (ended) {
      acquired.getNow().release();
      return;
    }
    connection = acquired.getNow();
    connection.attach(this);
    // A failed write reaches onFailure through the connection.
    connection.send(request);
    HttpContent content;
    while ((content = pending.poll()) != null) {
      connection.send(content);
    }
    pendingBytes = 0;
    connection.flush();
  }

  @Override
  public void onResponse(HttpObject msg) {
    boolean last = msg instanceof LastHttpContent;
    if (msg instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        skippingInformational = !last;
        ReferenceCountUtil.release(msg);
        return;
      }
      keepAlive = HttpUtil.isKeepAlive(response);
    } else if (skippingInformational) {
      skippingInformational = !last;
      ReferenceCountUtil.release(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    if (last && end()) {
      if (keepAlive && bodyComplete) { // nothing of the request is left unsent
        connection.release();
      } else {
        connection.close();
      }
    }
  }

  @Override
  public void onReadComplete() {}

  @Override
  public void onWritabilityChanged(boolean writable) {}

  @Override
  public void onFailure(UpstreamException failure) {
    end();
    log.debug("mirror {}: {}", cluster, failure.getMessage());
  }

  private void onTimeout() {
    fail("no complete response within " + MAX_DURATION);
  }

  private void fail(String why) {
    if (end()) {
      log.debug("mirror {}: {}", cluster, why);
      if (connection != null) {
        connection.close();
      }
    }
  }

  /** Marks the mirror ended; returns false if it already was. Releases the request if unsent. */
  private boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (connection == null) {
      ReferenceCountUtil.release(request);
    }
    HttpContent content;
    while ((content = pending.poll()) != null) {
      content.release();
    }
    return true;
  }
}
