package dev.gantry.dataplane.pipeline;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * Turns a client's HEADERS frame on a stream that no longer exists into the connection error RFC
 * 9113 asks for, where Netty's decoder answers only with RST_STREAM(STREAM_CLOSED) because it has
 * forgotten the stream:
 *
 * <ul>
 *   <li>on the client's most recent stream, closed after its END_STREAM: STREAM_CLOSED (§5.1,
 *       "closed": frames after END_STREAM are a connection error);
 *   <li>on an older stream id: PROTOCOL_ERROR (§5.1.1: a new stream's id must be greater than every
 *       id the client used before).
 * </ul>
 *
 * A stream the proxy itself reset is left to Netty: the client may have sent its trailers before it
 * saw the reset (§5.1), and a stream error (or nothing) is the right answer then.
 *
 * <p>It is a frame logger because that is the one hook of Netty's HTTP/2 codec that sees an inbound
 * frame before the decoder checks it against the stream states; it logs frames at TRACE (under this
 * class's name) as any frame logger would. The error goes out as a runtime exception wrapping the
 * {@link Http2Exception}: the codec finds it in the cause chain and answers with GOAWAY. One
 * instance per connection; confined to its event loop.
 */
final class Http2StreamIdGuard extends Http2FrameLogger {

  /** How many streams reset by the proxy are remembered (as in flight frames may still follow). */
  private static final int REMEMBERED_RESETS = 64;

  private final int[] resets = new int[REMEMBERED_RESETS];
  private int nextReset;
  private Http2Connection connection;

  Http2StreamIdGuard() {
    super(LogLevel.TRACE, Http2StreamIdGuard.class);
  }

  /** Binds the guard to the connection of the codec it was built into. */
  void bind(Http2Connection bound) {
    connection = requireNonNull(bound, "connection");
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamClosed(Http2Stream stream) {
            if (stream.isResetSent()) {
              resets[nextReset] = stream.id();
              nextReset = (nextReset + 1) % REMEMBERED_RESETS;
            }
          }
        });
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream) {
    check(direction, streamId);
    super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endStream) {
    check(direction, streamId);
    super.logHeaders(
        direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
  }

  private void check(Direction direction, int streamId) {
    if (direction != Direction.INBOUND || connection == null || connection.goAwaySent()) {
      return;
    }
    Http2Stream stream = connection.stream(streamId);
    if (stream != null) {
      if (!stream.state().remoteSideOpen() && !stream.isResetSent()) {
        throw error(
            Http2Exception.streamError(
                streamId, Http2Error.STREAM_CLOSED, "HEADERS after END_STREAM on %d", streamId));
      }
      return; // an open stream's headers or trailers
    }
    if (!connection.remote().isValidStreamId(streamId)
        || !connection.remote().mayHaveCreatedStream(streamId)
        || wasReset(streamId)) {
      return; // a new stream, or one Netty handles well
    }
    throw error(
        streamId == connection.remote().lastStreamCreated()
            ? Http2Exception.connectionError(
                Http2Error.STREAM_CLOSED, "HEADERS on closed stream %d", streamId)
            : Http2Exception.connectionError(
                Http2Error.PROTOCOL_ERROR,
                "HEADERS on stream %d, below the last stream id %d",
                streamId,
                connection.remote().lastStreamCreated()));
  }

  private static RuntimeException error(Http2Exception error) {
    return new IllegalStateException(error.getMessage(), error);
  }

  private boolean wasReset(int streamId) {
    for (int id : resets) {
      if (id == streamId) {
        return true;
      }
    }
    return false;
  }
}
