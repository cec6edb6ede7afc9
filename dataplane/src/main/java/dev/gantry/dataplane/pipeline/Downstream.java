package dev.gantry.dataplane.pipeline;

import io.netty.handler.codec.http.FullHttpResponse;

/**
 * The client side of one request, as an upstream exchange sees it: where the exchange asks for more
 * request body, answers a failure, and reports the end of the response. Implemented by {@link
 * ProxyHandler}; every method runs on the client channel's event loop.
 */
interface Downstream {

  /** Asks for the next request body chunk, if the request has more. */
  void requestBodyWanted();

  /**
   * Sends a response made by the proxy (an upstream failure, an overload) and drains whatever
   * remains of the request body. Takes ownership of {@code response}.
   */
  void respondLocally(FullHttpResponse response);

  /** Marks the response as fully written, or failed to be written (then the client is closed). */
  void responseFinished(boolean written);

  /** Ends a response that cannot be completed after its head was sent. */
  void abortResponse();
}
