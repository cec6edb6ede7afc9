package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after an HTTP/2 client connection as a whole, behind the frame codec and the stream
 * multiplexer: opens the connection's receive window to its configured size once the server preface
 * is out (SETTINGS cannot do that: they only size stream windows), and closes the connection —
 * GOAWAY first, through the codec — when it has been idle with no stream open.
 *
 * <p>One instance per connection; confined to the channel's event loop.
 */
final class Http2LifecycleHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2LifecycleHandler.class);

  private final int connectionWindow;
  private Http2Connection connection;

  Http2LifecycleHandler(int connectionWindow) {
    this.connectionWindow = connectionWindow;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
    int current =
        connection.local().flowController().initialWindowSize(connection.connectionStream());
    if (connectionWindow > current) {
      // A window update on stream 0 raises the connection window for good: the codec tops it up
      // to this size as the proxy consumes data.
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindow - current));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == Drain.DRAIN) {
      ctx.close(); // GOAWAY; open streams get the codec's graceful-shutdown time to finish
      return;
    }
    if (evt instanceof IdleStateEvent) {
      if (connection.numActiveStreams() == 0) {
        ctx.close(); // the codec sends GOAWAY before closing
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * Logs what reaches the end of the pipeline; never closes: the frame codec passes connection
   * errors on before it answers them with GOAWAY and the matching code, and a close here would send
   * a GOAWAY(NO_ERROR) first.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP/2 connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
  }
}
