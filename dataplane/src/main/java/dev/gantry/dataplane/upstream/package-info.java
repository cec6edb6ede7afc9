/**
 * Connections to upstream endpoints: HTTP/1.1 keep-alive pools keyed by (event loop, endpoint), so
 * an exchange never leaves the client channel's thread; endpoints given as DNS names are resolved,
 * without blocking, on each connect. Failures are typed by {@link
 * dev.gantry.dataplane.upstream.UpstreamException.Kind}.
 */
package dev.gantry.dataplane.upstream;
