package dev.gantry.dataplane.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Decodes HTTP/1.1 requests with Netty's decoder in its strictest setting, and adds what it lacks:
 * it refuses obsolete line folding (which Netty silently unfolds), whitespace before the first
 * header, more than {@code maxHeaderCount} header fields, and request heads that take longer than
 * the head timeout from their first byte (slowloris). A refusal is emitted as a request with a
 * failed {@link DecoderResult} whose cause is a {@link RequestRejectedException}; everything after
 * a failure is discarded, since the framing can no longer be trusted.
 *
 * <p>After a WebSocket handshake request ({@link WebSocketUpgrade#requested}) it decodes nothing
 * more until that exchange is over: bytes that follow it are either the protocol switched to, which
 * must reach the relay untouched when the codec is removed, or, once the upstream refused the
 * switch, the next request, decoded then.
 *
 * <p>The head of each request is scanned once, incrementally, as its bytes arrive; bodies are not
 * scanned. One instance per channel; confined to the channel's event loop.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  private final int maxHeaderCount;
  private final long headTimeoutNanos;
  private final Consumer<HttpMethod> onRequest;
  private final RequestTurn turn;
  private ChannelHandlerContext ctx;

  private boolean discarding;
  private boolean upgrading; // a WebSocket handshake was decoded: hold the rest until its end
  private boolean awaitingUpgradeEnd;
  private boolean inHead = true;
  private ScheduledFuture<?> headTimer;

  // Incremental scan of the current head, relative to the buffer's reader index.
  private int scanned;
  private boolean started;
  private long requestNumber = 1; // of the head being decoded, as RequestTurn counts
  private boolean atLineStart;
  private boolean headDone;
  private int lineIndex;
  private int headerCount;

  /**
   * @param turn tells which request the proxy waits for; the headers clock runs only for that one
   * @param onRequest told the method of every request emitted, in order (the response encoder needs
   *     it to frame HEAD responses)
   */
  StrictRequestDecoder(HttpServerConfig config, RequestTurn turn, Consumer<HttpMethod> onRequest) {
    super(decoderConfig(config));
    this.turn = turn;
    this.maxHeaderCount = config.limits().maxHeaderCount();
    this.headTimeoutNanos = config.limits().headersTimeout().toNanos();
    this.onRequest = onRequest;
  }

  /** Returns Netty's decoder options at their strictest, with the listener's size limits. */
  static HttpDecoderConfig decoderConfig(HttpServerConfig config) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(config.limits().maxRequestLineBytes())
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        .setValidateHeaders(true) // names are tokens (no space before ':'), values have no CTL
        .setStrictLineParsing(true) // CRLF only: a bare LF fails, in heads and chunk framing
        .setAllowDuplicateContentLengths(false)
        .setUseRfc9112TransferEncoding(true); // TE with CL fails; TE in HTTP/1.0 fails
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (awaitingUpgradeEnd) {
      return; // left in the cumulation (see the class comment)
    }
    if (inHead && in.isReadable()) {
      RequestRejection rejection = scanHead(in);
      if (rejection != null) {
        in.skipBytes(in.readableBytes());
        emitRejection(out, rejection);
        return;
      }
      maybeStartHeadTimer();
    }
    int before = in.readerIndex();
    int size = out.size();
    super.decode(ctx, in, out);
    scanned = Math.max(0, scanned - (in.readerIndex() - before));
    for (int i = size; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request) {
        endHead();
        onRequest.accept(request.method());
        discarding |= request.decoderResult().isFailure();
        upgrading = !discarding && WebSocketUpgrade.requested(request);
      }
      if (msg instanceof HttpContent content) {
        discarding |= content.decoderResult().isFailure();
        if (msg instanceof LastHttpContent) {
          inHead = true;
          awaitingUpgradeEnd = upgrading && !discarding;
          upgrading = false;
        }
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    turn.onAdvance(this::onAdvance);
    super.handlerAdded(ctx);
  }

  /**
   * Resumes decoding after a WebSocket handshake the upstream did not switch (a switched one
   * removes this decoder instead): what arrived meanwhile is decoded in a task of its own, as this
   * runs within the proxy handler's processing.
   */
  private void onAdvance() {
    if (awaitingUpgradeEnd) {
      awaitingUpgradeEnd = false;
      ctx.executor()
          .execute(
              () -> {
                if (!ctx.isRemoved() && actualReadableBytes() > 0) {
                  try {
                    channelRead(ctx, Unpooled.EMPTY_BUFFER);
                    channelReadComplete(ctx);
                  } catch (Exception e) {
                    ctx.fireExceptionCaught(e);
                  }
                }
              });
    }
    maybeStartHeadTimer();
  }

  /**
   * Starts the headers clock once the request has begun (stray CRLFs between requests do not count)
   * and it is the request the proxy waits for: the bytes of a pipelined request, read while the
   * previous response was still streaming, are timed from the end of that exchange. A head that is
   * already here whole needs no clock (the usual case: no timer per request).
   */
  private void maybeStartHeadTimer() {
    if (inHead
        && !headDone
        && headTimer == null
        && started
        && !discarding
        && turn.isAwaited(requestNumber)) {
      headTimer =
          ctx.executor().schedule(this::onHeadTimeout, headTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.channelInactive(ctx);
  }

  /** Scans the head bytes not yet scanned; returns why to refuse, or null. */
  private RequestRejection scanHead(ByteBuf in) {
    int end = in.writerIndex();
    for (int i = in.readerIndex() + scanned; i < end && !headDone; i++) {
      byte b = in.getByte(i);
      if (!started) {
        started = b != '\r' && b != '\n'; // empty lines before the request line are ignored
        if (!started) {
          continue;
        }
      }
      if (atLineStart) {
        atLineStart = false;
        if (b == '\r' || b == '\n') {
          headDone = true;
        } else if (b == ' ' || b == '\t') {
          return lineIndex == 1 ? RequestRejection.MALFORMED : RequestRejection.OBS_FOLD;
        } else if (++headerCount > maxHeaderCount) {
          return RequestRejection.TOO_MANY_HEADERS;
        }
      }
      if (b == '\n') {
        atLineStart = true;
        lineIndex++;
      }
    }
    scanned = end - in.readerIndex();
    return null;
  }

  private void endHead() {
    inHead = false;
    requestNumber++;
    scanned = 0;
    started = false;
    atLineStart = false;
    headDone = false;
    lineIndex = 0;
    headerCount = 0;
    cancelTimer();
  }

  private void onHeadTimeout() {
    headTimer = null;
    if (inHead && !discarding && ctx.channel().isActive()) {
      discarding = true;
      ctx.fireChannelRead(rejected(RequestRejection.HEADERS_TIMEOUT));
      ctx.fireChannelReadComplete();
    }
  }

  private void emitRejection(List<Object> out, RequestRejection rejection) {
    endHead();
    discarding = true;
    out.add(rejected(rejection));
  }

  private FullHttpRequest rejected(RequestRejection rejection) {
    onRequest.accept(HttpMethod.GET);
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER);
    request.setDecoderResult(DecoderResult.failure(new RequestRejectedException(rejection)));
    return request;
  }

  private void cancelTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }
}
