package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Ends a client connection at its next request boundary once the listener drains: marks responses
 * {@code Connection: close} (the keep-alive handler then closes after the last byte) and closes a
 * connection that has no request in flight. Sits between the keep-alive handler and the proxy on
 * HTTP/1.1 connections (which the initializer has already made the drain track); connections
 * accepted while draining are served one exchange. One instance per channel, confined to its event
 * loop.
 */
final class DrainHandler extends ChannelDuplexHandler {
  private final Drain drain;
  private boolean inFlight;

  DrainHandler(Drain drain) {
    this.drain = drain;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      inFlight = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
        && drain.isDraining()) {
      HttpUtil.setKeepAlive(response, false);
    }
    if (msg instanceof LastHttpContent) {
      inFlight = false;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt != Drain.DRAIN) {
      ctx.fireUserEventTriggered(evt);
    } else if (!inFlight) {
      ctx.close();
    }
  }
}
