package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;

/**
 * What a ClientHello's server name selects: the context to handshake with and the policy it was
 * built under, or a refusal (the host's policy could not be built: its handshakes fail rather than
 * fall back to a weaker context).
 *
 * @param context the server context; {@code null} for a refusal
 * @param policy the policy of the host selected ({@link TlsPolicy#DEFAULT} for the default
 *     certificate)
 * @param host the virtual host selected, for logs; empty for the default certificate
 */
record Selection(SslContext context, TlsPolicy policy, String host) {

  Selection {
    requireNonNull(policy, "policy");
    requireNonNull(host, "host");
  }

  /** Returns whether handshakes for this selection fail. */
  boolean refused() {
    return context == null;
  }
}
