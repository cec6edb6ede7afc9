package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.routing.Route;
import dev.gantry.dataplane.routing.RouteAction;
import dev.gantry.dataplane.routing.RoutingTableHolder;
import dev.gantry.dataplane.routing.VirtualHost;
import dev.gantry.dataplane.upstream.UpstreamConnector;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one client connection, one at a time, and owns each request's lifecycle:
 * hands it to the {@link RequestDispatcher} (which answers it locally or starts an {@link
 * ForwardedRequest}), carries its body to the exchange (or drains it), and reads the next request
 * only once both the request and its response are complete (so pipelined requests queue in the
 * socket, not in memory). What the proxy writes itself goes through {@link ClientReplies}.
 *
 * <p>Reads are explicit (auto-read is off, a {@code FlowControlHandler} sits in front): this
 * handler asks for one message whenever it can take one — the next request, or the next body chunk
 * once the upstream can take more. One instance per channel; confined to the channel's event loop.
 *
 * <p>On HTTP/2 the channel is one stream's child channel, which carries exactly one request; the
 * stream-specific differences are marked {@code HTTP/2:} below.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter implements Downstream {

  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

  private final RoutingTableHolder tables;
  private final UpstreamConnector upstreams;
  private final ProxyMetrics metrics;
  private final TrustedProxies trustedProxies;
  private final ClusterLoads loads;
  private final RequestTurn turn;
  private final String scheme;
  private final RouteAction.Redirect httpsRedirect;

  private ChannelHandlerContext ctx;
  private RequestDispatcher dispatcher;
  private ClientReplies replies;
  private boolean readPending;
  private boolean inFlight;
  private boolean requestComplete;
  private boolean responseComplete;
  private boolean responseStarted;
  private boolean expectsContinue;
  private ForwardedRequest exchange;
  private long bodyLimit;
  private long bodyBytes;

  /** Whether the request in flight is a gRPC call: the proxy's own answers are then gRPC too. */
  private boolean grpc;

  /** The gRPC-Web mode of the request in flight, or null: the proxy's answers are then gRPC-Web. */
  private GrpcWeb.Mode grpcWeb;

  /** The CORS headers of the request in flight's response (an allowed origin), or null. */
  private HeaderEdits cors;

  /** Decodes the rest of a gRPC-Web text-mode body on its way to an HTTP/2 backend, or null. */
  private GrpcWebTextDecoder requestDecoder;

  /** The Strict-Transport-Security of the request in flight's host on TLS, else {@code ""}. */
  private String hsts = "";

  ProxyHandler(
      RoutingTableHolder tables,
      UpstreamConnector upstreams,
      ProxyMetrics metrics,
      TrustedProxies trustedProxies,
      ClusterLoads loads,
      RequestTurn turn,
      String scheme,
      RouteAction.Redirect httpsRedirect) {
    this.scheme = scheme;
    this.httpsRedirect = httpsRedirect;
    this.loads = loads;
    this.tables = tables;
    this.upstreams = upstreams;
    this.metrics = metrics;
    this.trustedProxies = trustedProxies;
    this.turn = turn;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.replies = new ClientReplies(ctx);
    this.dispatcher =
        new RequestDispatcher(
            tables,
            upstreams,
            metrics,
            loads,
            ctx,
            Forwarding.of(ctx.channel(), trustedProxies, scheme),
            httpsRedirect);
    if (ctx.channel().isActive()) { // added to a live pipeline: channelActive will not come
      requestRead();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    requestRead();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readPending = false;
    if (msg instanceof HttpRequest request) {
      LastHttpContent body =
          msg instanceof FullHttpRequest full
              ? new DefaultLastHttpContent(full.content(), full.trailingHeaders())
              : null;
      if (inFlight) {
        // Cannot happen while reads are explicit; refuse rather than interleave two exchanges.
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      startRequest(request, body);
    } else if (msg instanceof HttpContent content) {
      onRequestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Renews a read that the read cycle ended without satisfying: a {@code read()} is a request for
   * one read cycle, which may end (with this event) before the message we want has arrived.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (readPending) {
      readPending = false;
      requestRead();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.onDownstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.abort();
      exchange = null;
    }
    inFlight = false;
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!inFlight) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing client connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (replies.http2()
        && Http2CodecUtil.getEmbeddedHttp2Exception(cause)
            instanceof Http2Exception.StreamException streamError) {
      // HTTP/2: a stream error found by the frame codec. The multiplexer closes the stream right
      // after this, with CANCEL unless a reset with the error's own code is already out.
      replies.reset(streamError.error());
    } else if (replies.http2() && cause instanceof DecoderException) {
      // HTTP/2: the stream codec refused a malformed request (RFC 9113 §8.1.1): a stream error.
      replies.reset(Http2Error.PROTOCOL_ERROR);
    } else {
      ctx.close();
    }
  }

  private void startRequest(HttpRequest request, LastHttpContent body) {
    inFlight = true;
    requestComplete = body != null;
    responseComplete = false;
    responseStarted = false;
    expectsContinue = HttpUtil.is100ContinueExpected(request);
    // Decoder failures and malformed requests never get here: the request guard answers them.
    RequestTarget target = RequestTarget.of(request);
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    grpc = Grpc.isCall(contentType);
    grpcWeb = GrpcWeb.mode(contentType);
    requestDecoder = null;
    cors = null;
    bodyLimit = 0; // until a route sets one: a body the proxy answers before routing is drained
    bodyBytes = 0;
    VirtualHost host = dispatcher.host(target);
    hsts = host == null || !"https".equals(scheme) ? "" : host.hsts();
    FullHttpResponse hostResponse = dispatcher.hostResponse(host, target);
    if (hostResponse != null) {
      ReferenceCountUtil.release(body);
      respondLocally(hostResponse);
      return;
    }
    Route route = dispatcher.route(host, request, target);
    if (route != null && !route.sources().isAny() && !sourceAllowed(route, request)) {
      ReferenceCountUtil.release(body);
      respondLocally(LocalResponses.sourceRefused());
      return;
    }
    if (route != null && route.rateLimit() != null) {
      long wait =
          route
              .rateLimit()
              .acquire(
                  ClientAddress.of(ctx.channel(), trustedProxies, request.headers()),
                  System.nanoTime());
      if (wait > 0) {
        ReferenceCountUtil.release(body);
        metrics.rateLimited(route.name());
        respondLocally(LocalResponses.rateLimited(wait));
        return;
      }
    }
    FullHttpResponse preflight = RequestDispatcher.preflight(route, request);
    if (preflight != null) {
      ReferenceCountUtil.release(body);
      respondLocally(preflight);
      return;
    }
    cors = RequestDispatcher.corsHeaders(route, request);
    bodyLimit = route == null ? 0 : route.maxRequestBodyBytes();
    long length =
        body != null ? body.content().readableBytes() : HttpUtil.getContentLength(request, -1L);
    if (bodyLimit > 0 && length > bodyLimit) {
      ReferenceCountUtil.release(body);
      refuse(RequestRejection.BODY_TOO_LARGE); // known too large: never sent upstream
      return;
    }
    FullHttpResponse local = dispatcher.localResponse(route, target, scheme);
    if (local != null) {
      ReferenceCountUtil.release(body);
      respondLocally(local);
    } else {
      exchange = dispatcher.forward(request, target, route, body, this, cors);
      requestDecoder = exchange == null ? null : dispatcher.requestDecoder();
    }
  }

  /**
   * Returns whether {@code route}'s source filter serves the request's client; a client that cannot
   * be told is served only by a filter without an allow list.
   */
  private boolean sourceAllowed(Route route, HttpRequest request) {
    byte[] client = ClientAddress.of(ctx.channel(), trustedProxies, request.headers());
    return client == null ? route.sources().allow().isEmpty() : route.sources().allows(client);
  }

  private void onRequestContent(HttpContent content) {
    if (!inFlight) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      refuse(RequestRejection.MALFORMED);
      return;
    }
    bodyBytes += content.content().readableBytes();
    if (bodyLimit > 0 && bodyBytes > bodyLimit) {
      content.release();
      refuse(RequestRejection.BODY_TOO_LARGE);
      return;
    }
    if (requestDecoder != null) {
      try {
        content = requestDecoder.decode(content);
      } catch (IllegalArgumentException e) {
        log.debug(
            "gRPC-Web text request from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
        refuse(RequestRejection.MALFORMED);
        return;
      }
    }
    boolean last = content instanceof LastHttpContent;
    requestComplete |= last;
    if (exchange != null && exchange.acceptsRequestBody()) {
      exchange.sendRequestContent(content);
      return;
    }
    // No exchange takes the body (a local response was sent): drain it so the connection stays
    // usable.
    content.release();
    if (last) {
      maybeFinish();
    } else {
      requestRead();
    }
  }

  /**
   * Gives up on a request whose body cannot be accepted (malformed framing, over the route's
   * limit): answers {@code rejection} and closes if no response has started, else closes at once (a
   * truncated response tells the client). Either way the upstream exchange, if any, is reset: it
   * never sees the rest of the body.
   */
  private void refuse(RequestRejection rejection) {
    metrics.rejected(rejection);
    log.debug("refusing request body from {}: {}", ctx.channel().remoteAddress(), rejection.tag());
    boolean started = responseStarted || (exchange != null && exchange.responseStarted());
    if (exchange != null) {
      exchange.abort();
      exchange = null;
    }
    if (started) {
      ctx.close();
      return;
    }
    responseStarted = true;
    FullHttpResponse refusal = LocalResponses.rejected(rejection);
    if (grpc) {
      refusal = Grpc.trailersOnly(refusal, "application/grpc");
    } else if (grpcWeb != null) {
      refusal = Grpc.trailersOnly(refusal, GrpcWeb.webContentType(null, grpcWeb));
    }
    replies.refuse(refusal);
  }

  @Override
  public void requestBodyWanted() {
    if (inFlight && !requestComplete) {
      requestRead();
    }
  }

  /**
   * {@inheritDoc} With an unanswered {@code Expect: 100-continue} the client will not send the
   * body, so the connection is closed instead.
   */
  @Override
  public void respondLocally(FullHttpResponse response) {
    exchange = null;
    if (grpc) {
      response = Grpc.trailersOnly(response, "application/grpc");
    } else if (grpcWeb != null) {
      response = Grpc.trailersOnly(response, GrpcWeb.webContentType(null, grpcWeb));
    }
    if (!hsts.isEmpty()) {
      response.headers().set(VirtualHost.STRICT_TRANSPORT_SECURITY, hsts);
    }
    if (cors != null) {
      cors.applyTo(response.headers());
    }
    responseStarted = true;
    // HTTP/2: the stream ends with the response and the rest of the body is drained (flow control
    // bounds it); there is no connection to close.
    boolean close = !replies.http2() && expectsContinue && !requestComplete;
    replies.respond(response, close).addListener(f -> responseFinished(f.isSuccess()));
    if (!close) {
      requestBodyWanted();
    }
  }

  @Override
  public void responseFinished(boolean written) {
    if (!written) {
      ctx.close();
      return;
    }
    responseComplete = true;
    maybeFinish();
  }

  @Override
  public void abortResponse() {
    replies.abortResponse();
  }

  private void maybeFinish() {
    if (inFlight && requestComplete && responseComplete) {
      inFlight = false;
      exchange = null;
      turn.advance();
      requestRead();
    }
  }

  private void requestRead() {
    if (!readPending && ctx.channel().isActive()) {
      readPending = true;
      ctx.read();
    }
  }
}
