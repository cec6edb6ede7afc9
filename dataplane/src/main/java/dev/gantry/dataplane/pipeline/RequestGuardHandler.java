package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses requests the edge must not serve (malformed, ambiguous framing or host, a path {@link
 * PathNormalizer} refuses, over a limit) before they reach routing, and rewrites the target of the
 * others to its normalised origin form. A refusal answers the rejection's status with a short text
 * body and {@code Connection: close}, closes, and drops everything else the connection sends. Also
 * marks the last request a connection may carry so that its response closes the connection.
 *
 * <p>Sits after flow control, so it sees a request only once the previous one was answered, and its
 * own answers keep the order of responses. One instance per channel; confined to the channel's
 * event loop.
 */
final class RequestGuardHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestGuardHandler.class);

  private final ListenerLimits limits;
  private final ProxyMetrics metrics;
  private int requests;
  private boolean rejected;

  RequestGuardHandler(ListenerLimits limits, ProxyMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      RequestRejection rejection = RequestValidator.check(request);
      String originForm =
          rejection == null ? RequestTarget.normalizedOriginForm(request.uri()) : null;
      if (rejection == null && originForm == null) {
        rejection = RequestRejection.TARGET_INVALID;
      }
      if (rejection != null) {
        ReferenceCountUtil.release(msg);
        reject(ctx, rejection);
        return;
      }
      String authority = RequestValidator.absoluteAuthority(request.uri());
      if (authority != null && !request.headers().contains(HttpHeaderNames.HOST)) {
        request.headers().set(HttpHeaderNames.HOST, authority); // HTTP/1.0 may omit Host
      }
      // Routing matches, and the upstream receives, this one normal form.
      request.setUri(originForm);
      if (++requests >= limits.maxRequestsPerConnection()) {
        // Added, not set: the client's own Connection tokens must still name hop-by-hop headers.
        request.headers().add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void reject(ChannelHandlerContext ctx, RequestRejection rejection) {
    rejected = true;
    metrics.rejected(rejection);
    log.debug("refusing request from {}: {}", ctx.channel().remoteAddress(), rejection.tag());
    FullHttpResponse response = LocalResponses.rejected(rejection);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
