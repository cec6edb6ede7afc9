package dev.gantry.dataplane.upstream;

import io.netty.handler.codec.http.HttpObject;

/**
 * Receives what happens on an {@link UpstreamConnection} during one exchange. Every method runs on
 * the upstream connection's event loop, which is the downstream channel's event loop.
 */
public interface UpstreamListener {

  /**
   * Handles one part of the response; takes ownership of {@code msg} (must release or pass it on).
   */
  void onResponse(HttpObject msg);

  /** Marks the end of one read from the upstream socket: a good moment to flush downstream. */
  void onReadComplete();

  /** Reports that the upstream connection's outbound buffer crossed a watermark. */
  void onWritabilityChanged(boolean writable);

  /**
   * Reports that the exchange failed. The connection is already closed and detached from this
   * listener; nothing else is called afterwards.
   */
  void onFailure(UpstreamException failure);
}
