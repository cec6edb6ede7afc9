package dev.gantry.dataplane.observe;

import dev.gantry.dataplane.tls.ServerName;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each exchange on a client connection and, when its last response byte is written, writes
 * an access-log line and records the request-duration histogram. Sits after the HTTP codec; does
 * not retain or change any message. One instance per channel, confined to its event loop.
 *
 * <p>An exchange the client abandons before the response ends is logged with status 499, as nginx
 * does.
 */
public final class AccessLogHandler extends ChannelDuplexHandler {
  private static final Logger accessLog = LoggerFactory.getLogger("gantry.access");
  private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("gantry.exchange");
  static final int CLIENT_CLOSED = 499;

  private final AccessLogFormat format;
  private final RequestMetrics metrics;
  private Exchange current;
  // The connection's TLS version and server name, found with its first request.
  private boolean tlsLooked;
  private String tls;
  private String sni;

  /**
   * @param format the line format, or null when the access log is off (metrics are still recorded)
   */
  AccessLogHandler(AccessLogFormat format, RequestMetrics metrics) {
    this.format = format;
    this.metrics = metrics;
  }

  /** Returns a factory of handlers for {@code config}, sharing one formatter. */
  public static java.util.function.Supplier<AccessLogHandler> factory(
      AccessLogConfig config, RequestMetrics metrics) {
    AccessLogFormat format = config.enabled() ? new AccessLogFormat(config.fields()) : null;
    return () -> new AccessLogHandler(format, metrics);
  }

  /** Returns the exchange in progress on {@code channel}, or null when none is being watched. */
  public static Exchange exchange(Channel channel) {
    return channel.attr(EXCHANGE).get();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      start(ctx.channel(), request);
    }
    if (msg instanceof HttpContent content && current != null) {
      current.requestBytes += content.content().readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    Exchange e = current;
    if (e != null) {
      if (msg instanceof HttpResponse response && isFinal(response)) {
        e.status = response.status().code();
      }
      if (msg instanceof HttpContent content) {
        e.responseBytes += content.content().readableBytes();
      }
      if (msg instanceof LastHttpContent && e.status != 0) {
        current = null;
        promise = promise.unvoid();
        promise.addListener(f -> finish(e));
      }
    }
    ctx.write(msg, promise);
  }

  /**
   * Writes the line of an exchange whose response head is out when the handler leaves: an HTTP/2
   * stream that became a WebSocket relay with its {@code 200} (an HTTP/1.1 one ends with its 101).
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    Exchange e = current;
    if (e != null && e.status != 0) {
      current = null;
      finish(e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange e = current;
    if (e != null) {
      current = null;
      e.status = CLIENT_CLOSED;
      finish(e);
    }
    ctx.fireChannelInactive();
  }

  /**
   * Returns whether {@code response} is the exchange's final one: not a 1xx, except the 101 that
   * switches the connection to WebSocket (its line is written then; the relay is not logged).
   */
  private static boolean isFinal(HttpResponse response) {
    return response.status().codeClass() != HttpStatusClass.INFORMATIONAL
        || response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
  }

  private void start(Channel channel, HttpRequest request) {
    Exchange e = new Exchange();
    e.startNanos = System.nanoTime();
    e.startMillis = System.currentTimeMillis();
    e.client =
        channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
            ? a.getAddress().getHostAddress()
            : null;
    e.method = request.method().name();
    e.host = request.headers().get(HttpHeaderNames.HOST);
    e.path = request.uri();
    e.protocol = request.protocolVersion().text();
    e.userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
    if (!tlsLooked) {
      lookUpTls(channel);
    }
    e.tls = tls;
    e.sni = sni;
    e.requestId = request.headers().get("x-request-id");
    current = e;
    channel.attr(EXCHANGE).set(e);
  }

  /**
   * Finds the connection's TLS session once per handler: per connection for HTTP/1.1, per stream
   * for HTTP/2, whose connection is the stream's parent.
   */
  private void lookUpTls(Channel channel) {
    tlsLooked = true;
    // (An accepted connection's parent is the listening socket; only a stream's is a connection.)
    Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
    SslHandler ssl = connection.pipeline().get(SslHandler.class);
    if (ssl != null) {
      tls = ssl.engine().getSession().getProtocol();
      sni = ServerName.of(connection);
    }
  }

  private void finish(Exchange e) {
    e.durationNanos = System.nanoTime() - e.startNanos;
    metrics.record(e);
    if (format != null && accessLog.isInfoEnabled()) {
      accessLog.info(format.format(e));
    }
  }
}
