package dev.gantry.dataplane.observe;

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
  String requestId;
  int status;
  String route;
  String backend;
  String upstream;
  long requestBytes;
  long responseBytes;
  long durationNanos;

  /** Records the route and backend that served the exchange. Called by the proxy handler. */
  public void routedTo(String route, String backend, String upstream) {
    this.route = route;
    this.backend = backend;
    this.upstream = upstream;
  }

  /** Records the request id the proxy forwarded. */
  public void requestId(String requestId) {
    this.requestId = requestId;
  }
}
