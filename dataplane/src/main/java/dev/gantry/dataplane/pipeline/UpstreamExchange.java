package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.balance.Endpoint;
import dev.gantry.dataplane.balance.LoadBalancer;
import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.upstream.UpstreamConnection;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import dev.gantry.dataplane.upstream.UpstreamException;
import dev.gantry.dataplane.upstream.UpstreamListener;
import dev.gantry.dataplane.upstream.UpstreamProtocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one request to an upstream and its response back, streaming both ways with backpressure:
 * the client is read only while the upstream is writable, the upstream only while the client is
 * writable. Ends exactly once — response complete, failure, or abort — and then returns the
 * upstream connection to its pool (only after a complete request and a keep-alive response) or
 * closes it.
 *
 * <p>Confined to the client channel's event loop, which the upstream connection shares.
 */
final class UpstreamExchange implements UpstreamListener {

  private static final Logger log = LoggerFactory.getLogger(UpstreamExchange.class);

  private final ProxyHandler owner;
  private final ChannelHandlerContext ctx;
  private final ProxyMetrics metrics;
  private final HttpRequest request;
  private final HttpVersion clientVersion;
  private final Duration requestTimeout;
  private final HeaderEdits responseHeaders;

  /** Request body that arrived before the connection did. */
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);

  private UpstreamConnection connection;
  private ScheduledFuture<?> timer;
  private final LoadBalancer balancer;
  private final Endpoint endpoint;
  private boolean ended;
  private boolean requestSent;
  private boolean headersSent;
  private boolean keepAlive;
  private boolean skippingInformational;
  private boolean awaitingUpstreamWritable;
  private boolean awaitingDownstreamWritable;

  UpstreamExchange(
      ProxyHandler owner,
      ChannelHandlerContext ctx,
      ProxyMetrics metrics,
      HttpRequest request,
      HttpVersion clientVersion,
      Duration requestTimeout,
      HeaderEdits responseHeaders,
      LoadBalancer balancer,
      Endpoint endpoint) {
    this.balancer = balancer;
    this.endpoint = endpoint;
    this.owner = owner;
    this.ctx = ctx;
    this.metrics = metrics;
    this.request = request;
    this.clientVersion = clientVersion;
    this.requestTimeout = requestTimeout;
    this.responseHeaders = responseHeaders;
  }

  /**
   * Acquires a connection (an HTTP/2 stream for h2c) to {@code address} and sends the request
   * headers once it is there.
   */
  void start(
      UpstreamConnector connector,
      InetSocketAddress address,
      Duration connectTimeout,
      UpstreamProtocol protocol) {
    if (!requestTimeout.isZero()) {
      timer =
          ctx.executor()
              .schedule(this::onRequestTimeout, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    Future<UpstreamConnection> acquired =
        connector.acquire(ctx.channel().eventLoop(), address, connectTimeout, protocol);
    acquired.addListener(f -> onAcquired(acquired));
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
   * Ends the exchange because the client went away: the upstream connection is closed, never
   * pooled.
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
      keepAlive = HttpUtil.isKeepAlive(response);
      headersSent = true;
      HttpResponse downstream = MessageRewriter.downstreamResponse(response, clientVersion);
      responseHeaders.applyTo(downstream.headers());
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
      owner.requestBodyWanted();
    }
  }

  @Override
  public void onFailure(UpstreamException failure) {
    fail(failure);
  }

  private void onAcquired(Future<UpstreamConnection> acquired) {
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
    connection.write(request).addListener(this::onUpstreamWrite);
    HttpContent content;
    while ((content = pending.poll()) != null) {
      writeRequestContent(content);
    }
    connection.flush();
    afterRequestWrite();
  }

  private void writeRequestContent(HttpContent content) {
    requestSent |= content instanceof LastHttpContent;
    connection.write(content).addListener(this::onUpstreamWrite);
  }

  private void afterRequestWrite() {
    if (ended || requestSent) {
      return;
    }
    if (connection.isWritable()) {
      owner.requestBodyWanted();
    } else {
      awaitingUpstreamWritable = true;
    }
  }

  private void onUpstreamWrite(Future<? super Void> write) {
    if (!write.isSuccess()) {
      fail(
          new UpstreamException(
              UpstreamException.classify(write.cause()),
              "cannot write to upstream: " + write.cause().getMessage()));
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
    ctx.writeAndFlush(last).addListener(f -> owner.responseFinished(f.isSuccess()));
    if (!requestSent) {
      owner.requestBodyWanted(); // the owner drains what the upstream no longer wants
    }
  }

  private void onRequestTimeout() {
    fail(
        new UpstreamException(
            UpstreamException.Kind.TIMEOUT, "no complete response within " + requestTimeout));
  }

  private void fail(UpstreamException failure) {
    if (!end()) {
      return;
    }
    metrics.upstreamError(failure.kind());
    if (connection != null) {
      connection.close();
    }
    log.debug("upstream exchange failed ({}): {}", failure.kind().tag(), failure.getMessage());
    if (headersSent) {
      owner.abortResponse();
    } else {
      owner.respondLocally(LocalResponses.upstreamFailure(failure.kind()));
    }
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
}
