package dev.gantry.dataplane.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;

/**
 * Pairs the {@link StrictRequestDecoder} with a response encoder that frames responses by the
 * method of the request they answer (no body after HEAD, none after a 2xx to CONNECT), as Netty's
 * {@code HttpServerCodec} does; that codec cannot take another decoder. One instance per channel;
 * confined to the channel's event loop.
 */
final class Http1ServerCodec
    extends CombinedChannelDuplexHandler<StrictRequestDecoder, Http1ServerCodec.ResponseEncoder>
    implements HttpServerUpgradeHandler.SourceCodec {

  Http1ServerCodec(HttpServerConfig config, RequestTurn turn) {
    ResponseEncoder encoder = new ResponseEncoder();
    init(new StrictRequestDecoder(config, turn, encoder.methods::add), encoder);
  }

  /** Removes this codec when the connection switches protocol. */
  @Override
  public void upgradeFrom(ChannelHandlerContext ctx) {
    ctx.pipeline().remove(this);
  }

  /** Encodes responses, taking the method of the request each answers from a FIFO. */
  static final class ResponseEncoder extends HttpResponseEncoder {

    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    private HttpMethod method;

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        return super.isContentAlwaysEmpty(msg);
      }
      method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty
          && HttpMethod.CONNECT.equals(method)
          && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }
  }
}
