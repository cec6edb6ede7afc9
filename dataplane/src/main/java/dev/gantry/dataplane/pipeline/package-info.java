/**
 * The downstream server, HTTP/1.1 and HTTP/2 (on the cleartext port by prior knowledge or {@code
 * Upgrade: h2c}, on the TLS port by ALPN): one pipeline per client connection, built by {@link
 * dev.gantry.dataplane.pipeline.HttpServerInitializer} as a list of named steps. A {@link
 * dev.gantry.dataplane.pipeline.ProtocolSelectionHandler} installs the rest once the first bytes
 * (or the TLS handshake) show the protocol:
 *
 * <pre>
 *  client ─▶ connection-limit ─▶ lingering-close ─▶ idle-timeout ─▶ protocol-detection
 *            ─▶ http codec (strict decoder, head scan, 408) ─▶ h2c upgrade ─▶ metrics ─▶ protocol-selection
 *  TLS port: … idle-timeout ─▶ tls (SNI: certificate from the snapshot, then SslHandler)
 *            ─▶ alpn (after the handshake: http codec, or h2-frame-codec ─▶ h2-multiplex) ─▶ metrics ─▶ protocol-selection
 *
 *  HTTP/1.1: … flow-control ─▶ access-log ─▶ request-guard ─▶ keep-alive ─▶ drain ─▶ proxy (below)
 *            (one message      (JSON line)  (400/408/414/431            (Connection: close
 *             per read())                    + close; normalises)        when draining)
 *  HTTP/2:   … h2-frame-codec ─▶ h2-multiplex ─▶ metrics ─▶ h2-lifecycle (connection window, GOAWAY on idle or drain)
 *                                  │ one child channel per stream
 *                                  ▼
 *            h2-request-validation ─▶ h2-http-codec ─▶ h2-connection-headers ─▶ flow-control ─▶ metrics ─▶ access-log ─▶ proxy
 * </pre>
 *
 * <p>On HTTP/2 the parent connection reads freely (flow control bounds each stream to its window)
 * while each stream's child channel is read explicitly like an HTTP/1.1 connection, so the
 * backpressure below holds per stream: a stream's window is replenished only as the proxy hands its
 * body upstream, and the upstream is read only while the stream is writable.
 *
 * <p>The proxy handler, on either protocol:
 *
 * <pre>
 *  proxy: ProxyHandler ─▶ RequestDispatcher: host's TLS policy ≠ the connection's ─▶ 421
 *                              │ route lookup ─▶ 404 / direct / redirect
 *         (reads, request      │ forward: cluster, endpoint (503 when none), mirrors
 *          lifecycle, 413      ▼
 *          over the limit)  ForwardedRequest: circuit breakers, request timeout, retries
 *                              │ one per attempt (per-try timeout)
 *                              ▼
 *                           UpstreamExchange ◀──▶ pooled UpstreamConnection (same event loop)
 *         ClientReplies: local responses, refusals, resets
 * </pre>
 *
 * <p>Backpressure. The client channel has auto-read off and is read one message at a time, only
 * when the upstream can take it; the upstream channel reads on its own (auto-read on, which costs
 * no epoll change per response) and is paused only while the client cannot take more:
 *
 * <pre>
 *   request body                                 response
 *   client.read() ─▶ chunk ─▶ upstream.write()    upstream reads ─▶ part ─▶ client.write()
 *        ▲                         │                   ▲                          │
 *        └── upstream writable? ◀──┘                   └──── client writable? ◀───┘ (on read complete)
 *            no: wait for channelWritabilityChanged         no: pause reading until
 *                                                               channelWritabilityChanged
 * </pre>
 *
 * <p>Pipelining: the next request is read only once the current request was read whole and its
 * response written whole, so requests are served strictly one at a time per connection.
 */
package dev.gantry.dataplane.pipeline;
