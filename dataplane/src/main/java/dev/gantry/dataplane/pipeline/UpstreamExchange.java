package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.health.ClusterBalancer;
import dev.gantry.dataplane.health.Outcome;
import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.upstream.UpstreamConnection;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamException;
import dev.gantry.dataplane.upstream.UpstreamListener;
import dev.gantry.dataplane.upstream.UpstreamTransport;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at carrying a request to an upstream endpoint and its response back, streaming both
 * ways with backpressure: the client is read only while the upstream is writable, the upstream only
 * while the client is writable. Ends exactly once — response complete, failure, discard (its {@link
 * ForwardedRequest} retries elsewhere) or abort — and then returns the upstream connection to its
 * pool (only after a complete request and a keep-alive response) or closes it. A failure, and a
 * response head its owner may want to retry, go to the owner, which decides.
 *
 * <p>Confined to the client channel's event loop, which the upstream connection shares.
 */
final class UpstreamExchange implements UpstreamListener {

  private static final Logger log = LoggerFactory.getLogger(UpstreamExchange.class);

  private final ForwardedRequest owner;
  private final ChannelHandlerContext ctx;
  private final ProxyMetrics metrics;
  private final HttpRequest request;
  private final HttpVersion clientVersion;
  private final Duration perTryTimeout;
  private final HeaderEdits responseHeaders;

  /** Request body that arrived before the connection did. */
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);

  private UpstreamConnection connection;
  private ScheduledFuture<?> timer;
  private final ClusterBalancer balancer;
  private final Endpoint endpoint;
  private final ClusterLoad load;
  private boolean pendingConnection;
  private boolean ended;
  private boolean requestSent;
  private boolean headersSent;
  private boolean keepAlive;
  private boolean skippingInformational;
  private boolean awaitingUpstreamWritable;
  private boolean awaitingDownstreamWritable;

  UpstreamExchange(
      ForwardedRequest owner,
      ChannelHandlerContext ctx,
      ProxyMetrics metrics,
      HttpRequest request,
      HttpVersion clientVersion,
      Duration perTryTimeout,
      HeaderEdits responseHeaders,
      ClusterBalancer balancer,
      Endpoint endpoint,
      ClusterLoad load) {
    this.load = load;
    this.balancer = balancer;
    this.endpoint = endpoint;
    this.owner = owner;
    this.ctx = ctx;
    this.metrics = metrics;
    this.request = request;
    this.clientVersion = clientVersion;
    this.perTryTimeout = perTryTimeout;
    this.responseHeaders = responseHeaders;
  }

  /**
   * Acquires a connection (an HTTP/2 stream for h2c) to the endpoint and sends the request headers
   * once it is there. Returns false, having started nothing, when the cluster has its max pending
   * requests waiting already.
   */
  boolean start(UpstreamConnector connector, Duration connectTimeout, UpstreamTransport transport) {
    if (!load.tryStartPending()) {
      end();
      return false;
    }
    pendingConnection = true;
    if (!perTryTimeout.isZero()) {
      timer =
          ctx.executor()
              .schedule(this::onPerTryTimeout, perTryTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    Future<UpstreamConnection> acquired =
        connector.acquire(
            ctx.channel().eventLoop(), endpoint.address(), connectTimeout, load, transport);
    if (acquired.isDone()) {
      onAcquired(acquired); // a pooled connection: no listener to notify
    } else {
      acquired.addListener(f -> onAcquired(acquired));
    }
    return true;
  }

  /** Returns the endpoint of this attempt. */
  Endpoint endpoint() {
    return endpoint;
  }

  /** Returns whether request body chunks still go upstream (false once the exchange ended). */
  boolean acceptsRequestBody() {
    return !ended;
  }

  /** Returns whether response headers were already sent to the client. */
  boolean responseStarted() {
    return headersSent;
  }

  /** Sends one request body chunk upstream; takes ownership of {@code content}. */
  void sendRequestContent(HttpContent content) {
    if (ended) {
      content.release();
    } else if (connection == null) {
      pending.add(content);
    } else {
      writeRequestContent(content);
      connection.flush();
      afterRequestWrite();
    }
  }

  /** Resumes reading the upstream once the client can take more. */
  void onDownstreamWritable() {
    if (awaitingDownstreamWritable && !ended) {
      awaitingDownstreamWritable = false;
      connection.resumeReading();
    }
  }

  /**
   * Ends the attempt because the client went away, the request timed out or the owner retries
   * elsewhere: the upstream connection is closed, never pooled.
   */
  void abort() {
    if (end()) {
      if (connection != null) {
        connection.close();
      }
    }
  }

  @Override
  public void onResponse(HttpObject msg) {
    if (ended) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        onInformational(response);
        return;
      }
      // Every attempt's answer counts for outlier detection, a retried one too.
      balancer.report(endpoint, Outcome.ofStatus(response.status().code()));
      if (owner.retriesResponse(this, response.status().code())) {
        ReferenceCountUtil.release(msg); // the owner aborted this attempt and tries again
        return;
      }
      keepAlive = HttpUtil.isKeepAlive(response);
      headersSent = true;
      owner.responseHeadSent();
      HttpResponse downstream = MessageRewriter.downstreamResponse(response, clientVersion);
      responseHeaders.applyTo(downstream.headers());
      if (msg instanceof FullHttpResponse whole
          && !whole.content().isReadable()
          && whole.trailingHeaders().isEmpty()) {
        // A head that ends the response (an HTTP/2 HEADERS frame with END_STREAM) goes on as one:
        // a gRPC trailers-only response split into HEADERS and an empty DATA frame is refused.
        whole.release();
        finishResponse(
            new DefaultFullHttpResponse(
                downstream.protocolVersion(),
                downstream.status(),
                Unpooled.EMPTY_BUFFER,
                downstream.headers(),
                EmptyHttpHeaders.INSTANCE));
        return;
      }
      ctx.write(downstream);
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    HttpContent content = (HttpContent) msg;
    if (skippingInformational) {
      skippingInformational = !(content instanceof LastHttpContent);
      content.release();
    } else if (content instanceof LastHttpContent last) {
      finishResponse(
          msg instanceof HttpResponse ? new DefaultLastHttpContent(last.content()) : last);
    } else {
      ctx.write(content);
    }
  }

  @Override
  public void onReadComplete() {
    if (ended) {
      return;
    }
    ctx.flush();
    if (!ctx.channel().isWritable() && !awaitingDownstreamWritable) {
      awaitingDownstreamWritable = true;
      connection.pauseReading();
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    if (writable && awaitingUpstreamWritable && !ended) {
      awaitingUpstreamWritable = false;
      owner.requestBodyWanted(this);
    }
  }

  @Override
  public void onFailure(UpstreamException failure) {
    fail(failure);
  }

  private void onAcquired(Future<UpstreamConnection> acquired) {
    endPending();
    if (!acquired.isSuccess()) {
      fail(UpstreamException.from(acquired.cause()));
      return;
    }
    if (ended) {
      acquired.getNow().release(); // unused, hence clean
      return;
    }
    connection = acquired.getNow();
    connection.attach(this);
    connection.send(request);
    HttpContent content;
    while ((content = pending.poll()) != null) {
      writeRequestContent(content);
    }
    connection.flush();
    afterRequestWrite();
  }

  private void writeRequestContent(HttpContent content) {
    requestSent |= content instanceof LastHttpContent;
    connection.send(content);
  }

  private void afterRequestWrite() {
    if (ended || requestSent) {
      return;
    }
    if (connection.isWritable()) {
      owner.requestBodyWanted(this);
    } else {
      awaitingUpstreamWritable = true;
    }
  }

  private void onInformational(HttpResponse response) {
    // 1xx: the codec follows it with an empty last content that is not the end of the exchange.
    skippingInformational = !(response instanceof LastHttpContent);
    if (response.status().code() == HttpResponseStatus.CONTINUE.code()
        && clientVersion.isKeepAliveDefault()) {
      FullHttpResponse forwarded =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
      ctx.writeAndFlush(forwarded);
    }
    ReferenceCountUtil.release(response);
  }

  private void finishResponse(LastHttpContent last) {
    end();
    // Reusable only if nothing of this exchange is left on the connection in either direction.
    if (keepAlive && requestSent) {
      connection.release();
    } else {
      connection.close();
    }
    owner.attemptCompleted();
    ctx.writeAndFlush(last).addListener(f -> owner.responseFinished(f.isSuccess()));
  }

  private void onPerTryTimeout() {
    fail(
        new UpstreamException(
            UpstreamException.Kind.PER_TRY_TIMEOUT,
            "no complete response from " + endpoint.address() + " within " + perTryTimeout));
  }

  private void fail(UpstreamException failure) {
    if (!end()) {
      return;
    }
    metrics.upstreamError(failure.kind());
    balancer.report(endpoint, Outcome.GATEWAY_ERROR);
    if (connection != null) {
      connection.close();
    }
    log.debug("upstream attempt failed ({}): {}", failure.kind().tag(), failure.getMessage());
    owner.attemptFailed(this, failure, headersSent);
  }

  /**
   * Marks the exchange ended; returns false if it already was. Releases what the exchange still
   * holds.
   */
  private boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    endPending();
    balancer.completed(endpoint); // least request counts what is in flight
    if (timer != null) {
      timer.cancel(false);
    }
    HttpContent content;
    while ((content = pending.poll()) != null) {
      content.release();
    }
    return true;
  }

  private void endPending() {
    if (pendingConnection) {
      pendingConnection = false;
      load.pendingEnded();
    }
  }
}
