package dev.gantry.dataplane.observe;

import java.net.InetSocketAddress;

/**
 * What one request/response exchange on a client connection did, filled in as it happens and read
 * once it ends. Confined to the client channel's event loop; one instance per exchange.
 */
public final class Exchange {
  long startNanos;
  long startMillis;
  String client;
  String method;
  String host;
  String path;
  String protocol;
  String userAgent;
  String tls;
  String sni;
  String requestId;
  int status;
  String route;
  String backend;
  InetSocketAddress upstream;
  long requestBytes;
  long responseBytes;
  long durationNanos;

  /** Records the route that took the exchange. Called by the proxy handler. */
  public void routed(String route) {
    this.route = route;
  }

  /**
   * Records the backend cluster and the endpoint the exchange went to (null when the cluster had
   * none). The endpoint is formatted only when a line is written.
   */
  public void forwardedTo(String backend, InetSocketAddress upstream) {
    this.backend = backend;
    this.upstream = upstream;
  }

  /** Records the request id the proxy forwarded. */
  public void requestId(String requestId) {
    this.requestId = requestId;
  }
}
