package dev.gantry.dataplane.tls;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;

/**
 * What a TLS connection's handshake settled, kept on the connection for its requests: the policy it
 * was made under and the X-Forwarded-Client-Cert value of the client certificate it verified. Set
 * on the event loop before the first request is read; read from the connection or any of its HTTP/2
 * streams. Absent on cleartext connections.
 */
public final class TlsConnection {

  static final AttributeKey<TlsPolicy> POLICY = AttributeKey.valueOf("gantry.tls.policy");
  static final AttributeKey<String> CLIENT_CERT = AttributeKey.valueOf("gantry.tls.clientCert");

  private TlsConnection() {}

  /**
   * Returns the policy of the host whose certificate the handshake of {@code channel}'s connection
   * used ({@link TlsPolicy#DEFAULT} for the default certificate), or null on a cleartext one.
   */
  public static TlsPolicy policy(Channel channel) {
    return connection(channel).attr(POLICY).get();
  }

  /**
   * Returns the X-Forwarded-Client-Cert value of the client certificate verified by the handshake
   * of {@code channel}'s connection, or null when it verified none.
   */
  public static String forwardedClientCert(Channel channel) {
    return connection(channel).attr(CLIENT_CERT).get();
  }

  /** An accepted connection's parent is the listening socket; only a stream's is a connection. */
  private static Channel connection(Channel channel) {
    return channel instanceof Http2StreamChannel ? channel.parent() : channel;
  }
}
