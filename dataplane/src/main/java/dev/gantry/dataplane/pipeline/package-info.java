/**
 * The downstream HTTP/1.1 server: one pipeline per client connection, built by {@link
 * dev.gantry.dataplane.pipeline.HttpServerInitializer} as a list of named steps.
 *
 * <pre>
 *  client ─▶ connection-limit ─▶ http-server-codec ─▶ metrics ─▶ idle-timeout ─▶ flow-control
 *            (close over cap)    (strict decoder,                                (one message
 *                                 head scan, 408)                                 per read())
 *                                                                                     │
 *            ┌────────────────────────────────────────────────────────────────────────┘
 *            ▼
 *      request-guard ─▶ keep-alive ─▶ proxy: ProxyHandler ─▶ route lookup ─▶ 404 / 503 / direct
 *      (400/408/414/431 + close;        (413 over the route's                  │ forward
 *       normalises the target)           body limit)                           ▼
 *                                              UpstreamExchange ◀──▶ pooled UpstreamConnection
 *                                                                    (same event loop)
 * </pre>
 *
 * <p>Backpressure. Both channels have auto-read off; each side is read only when the other can take
 * the data:
 *
 * <pre>
 *   request body                                 response
 *   client.read() ─▶ chunk ─▶ upstream.write()    upstream.read() ─▶ part ─▶ client.write()
 *        ▲                         │                   ▲                          │
 *        └── upstream writable? ◀──┘                   └──── client writable? ◀───┘ (on read complete)
 *            no: wait for channelWritabilityChanged         no: wait for channelWritabilityChanged
 * </pre>
 *
 * <p>Pipelining: the next request is read only once the current request was read whole and its
 * response written whole, so requests are served strictly one at a time per connection.
 */
package dev.gantry.dataplane.pipeline;
