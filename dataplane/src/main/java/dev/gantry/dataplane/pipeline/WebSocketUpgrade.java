package dev.gantry.dataplane.pipeline;

import dev.gantry.dataplane.channel.ByteRelay;
import dev.gantry.dataplane.routing.HeaderEdits;
import dev.gantry.dataplane.upstream.UpstreamConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP/1.1 client connection and the upstream connection that answered its WebSocket
 * handshake with 101 into a {@link ByteRelay}: the 101 goes to the client, then the HTTP handlers
 * leave both pipelines (the codecs last, so that the bytes they had buffered reach the relay in
 * order), and bytes flow both ways until either side closes or the route's idle timeout passes.
 *
 * <pre>
 *   client: … tls ─ codec ─ metrics ─ flow-control … proxy     upstream: codec ─ idle ─ exchange
 *                     │  (after the 101 is written)                          │  (while it is read)
 *   client: … tls ─ metrics ─ ws-relay  ◀── bytes ──▶  upstream: idle ─ ws-relay
 * </pre>
 *
 * <p>An HTTP/2 client's stream (RFC 8441) gets a {@code 200} instead of the 101, and its HTTP
 * handlers leave the stream's pipeline; {@link ExtendedConnect}, first in it, then turns DATA
 * frames into the relay's bytes and back.
 *
 * <p>Runs on the client channel's event loop, which the upstream connection shares.
 */
final class WebSocketUpgrade {

  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

  private static final String RELAY = "ws-relay";

  private WebSocketUpgrade() {}

  /**
   * Returns whether {@code request} asks to switch to WebSocket (RFC 6455 §4.1): an HTTP/1.1 GET
   * with {@code Upgrade: websocket} and {@code upgrade} among its Connection tokens.
   */
  static boolean requested(HttpRequest request) {
    HttpHeaders headers = request.headers();
    return request.method().equals(HttpMethod.GET)
        && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE))
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /**
   * Turns the headers of an HTTP/2 client's WebSocket handshake (RFC 8441, already a GET) into
   * those of an HTTP/1.1 one for the upstream: Upgrade, Connection and a fresh Sec-WebSocket-Key,
   * which an extended CONNECT does not carry. Sec-WebSocket-Version, -Protocol and -Extensions pass
   * as the client sent them, so what the backend negotiates holds end to end.
   */
  static void toHttp1Handshake(HttpHeaders headers) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key); // a nonce against caches, not a secret (§4.1)
    headers
        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, Base64.getEncoder().encodeToString(key));
  }

  /**
   * Sends the client the upstream's {@code switching} response (end-to-end headers, the route's
   * response edits, and the Upgrade and Connection of a 101), then relays bytes between {@code
   * client} (the proxy handler's context) and {@code upstream} until both are closed. Called while
   * the upstream's 101 is read; does not retain {@code switching}.
   */
  static void relay(
      ChannelHandlerContext client,
      UpstreamConnection upstream,
      HttpResponse switching,
      HeaderEdits responseHeaders,
      Duration idleTimeout,
      ProxyMetrics metrics) {
    HttpResponse head = MessageRewriter.downstreamResponse(switching, HttpVersion.HTTP_1_1);
    responseHeaders.applyTo(head.headers());
    head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    Channel downstream = client.channel();
    ChannelHandlerContext stream = ExtendedConnect.of(downstream);
    if (stream != null) {
      // RFC 8441 §5: a 200 accepts the stream; there is no key to answer for.
      head.headers()
          .remove(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT)
          .remove(HttpHeaderNames.CONTENT_LENGTH);
      // HEADERS without END_STREAM: the stream stays open for the relay.
      client.writeAndFlush(
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, head.headers()));
    } else {
      head.headers()
          .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      // Encoded as it is written, so the codec may go right after; it ends the exchange's log line.
      client.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              head.status(),
              Unpooled.EMPTY_BUFFER,
              head.headers(),
              EmptyHttpHeaders.INSTANCE));
    }
    metrics.upgraded();
    ByteRelay relay =
        ByteRelay.install(
            downstream,
            upstream.channel(),
            RELAY,
            idleTimeout,
            ended -> {
              metrics.upgradeEnded(ended.firstToSecond(), ended.secondToFirst());
              log.debug(
                  "WebSocket relay {} <-> {} ended ({}) after {}: {} bytes from the client, {} to"
                      + " it",
                  downstream.remoteAddress(),
                  upstream.remoteAddress(),
                  ended.end(),
                  ended.duration(),
                  ended.firstToSecond(),
                  ended.secondToFirst());
            });
    upstream.upgrade();
    if (stream != null) {
      removeStreamHandlers(downstream.pipeline());
      ((ExtendedConnect) stream.handler()).relay(stream);
    } else {
      removeHttpHandlers(downstream.pipeline());
    }
    relay.start();
  }

  /**
   * Removes, tail first, an HTTP/2 stream's handlers between its {@link ExtendedConnect} adapter
   * and the relay, but the shared metrics handler, which counts the stream's close.
   */
  private static void removeStreamHandlers(ChannelPipeline pipeline) {
    List<String> names = pipeline.names();
    for (int i = names.indexOf(RELAY) - 1; i >= 0; i--) {
      ChannelHandler handler = pipeline.get(names.get(i));
      if (handler instanceof ExtendedConnect) {
        break;
      }
      if (handler != null && !(handler instanceof DownstreamMetricsHandler)) {
        pipeline.remove(handler);
      }
    }
  }

  /**
   * Removes, tail first, the handlers between the connection-wide metrics handler (which counts the
   * connection's close, so it stays) and the relay, then the HTTP/1.1 codec in front of them.
   */
  private static void removeHttpHandlers(ChannelPipeline pipeline) {
    List<String> names = pipeline.names();
    int relay = names.indexOf(RELAY);
    for (int i = relay - 1; i >= 0; i--) {
      ChannelHandler handler = pipeline.get(names.get(i));
      if (handler == null) {
        continue; // the tail, or removed meanwhile
      }
      if (handler instanceof DownstreamMetricsHandler) {
        break;
      }
      pipeline.remove(handler);
    }
    if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
      pipeline.remove(HttpServerUpgradeHandler.class);
    }
    pipeline.remove(Http1ServerCodec.class);
  }
}
