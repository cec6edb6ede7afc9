package dev.gantry.dataplane.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The server name (SNI) a TLS client asked for, kept on its connection for the access log. Absent
 * on cleartext connections and when the client sent none.
 */
public final class ServerName {

  static final AttributeKey<String> KEY = AttributeKey.valueOf("gantry.tls.serverName");

  private ServerName() {}

  /** Returns the server name of {@code connection}'s TLS session, or null. */
  public static String of(Channel connection) {
    return connection.attr(KEY).get();
  }
}
