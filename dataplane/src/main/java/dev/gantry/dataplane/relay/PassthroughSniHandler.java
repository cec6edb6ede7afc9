package dev.gantry.dataplane.relay;

import dev.gantry.dataplane.routing.TcpProxyRoute;
import dev.gantry.dataplane.routing.UpstreamCluster;
import dev.gantry.dataplane.upstream.ConnectionLimit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a connection's ClientHello (Netty's {@link AbstractSniHandler} buffers it and extracts the
 * server name) and looks the name up among the passthrough hosts of the current routing table.
 * Named host: removes the terminating handlers and puts a {@link Relay} in its place, which gets
 * the buffered ClientHello first. Anything else (no name, a terminated or unknown name, not TLS at
 * all): removes itself, and the very same bytes go on to the terminating SNI handler. One instance
 * per connection; confined to the channel's event loop.
 */
final class PassthroughSniHandler extends AbstractSniHandler<TcpProxyRoute> {

  private final Passthrough owner;
  private final Consumer<ChannelPipeline> leaveTermination;
  private final Function<UpstreamCluster, ConnectionLimit> limits;

  PassthroughSniHandler(
      Passthrough owner,
      Consumer<ChannelPipeline> leaveTermination,
      Function<UpstreamCluster, ConnectionLimit> limits) {
    this.owner = owner;
    this.leaveTermination = leaveTermination;
    this.limits = limits;
  }

  @Override
  protected Future<TcpProxyRoute> lookup(ChannelHandlerContext ctx, String hostname) {
    // Decided at once from the table current now: the ClientHello is never held back.
    TcpProxyRoute route = hostname == null ? null : owner.tables().current().passthrough(hostname);
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(route);
  }

  @Override
  protected void onLookupComplete(
      ChannelHandlerContext ctx, String hostname, Future<TcpProxyRoute> future) {
    TcpProxyRoute route = future.getNow();
    if (route == null) {
      ctx.pipeline().remove(this); // hands the buffered bytes to the terminating handler
      return;
    }
    leaveTermination.accept(ctx.pipeline());
    Relay relay = new Relay(owner, ctx.channel(), route, hostname, limits);
    // Replacing hands the buffered ClientHello to the relay's client side.
    ctx.pipeline().replace(this, "relay", relay.clientSide());
    relay.start();
  }
}
