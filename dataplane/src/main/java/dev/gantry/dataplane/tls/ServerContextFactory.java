package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Builds the server {@link SslContext} of one certificate: TLS 1.3 and 1.2 only (the highest both
 * sides speak wins, so 1.3 whenever the client has it), the cipher suites HTTP/2 allows (RFC 9113
 * §9.2.2: AEAD with forward secrecy), ALPN offering {@code h2} then {@code http/1.1}.
 *
 * <p>The provider is OpenSSL (BoringSSL from netty-tcnative) when it loads and supports ALPN, the
 * JDK's otherwise. Stateless.
 */
final class ServerContextFactory {

  /** How long a resumed session may be used; as long as a ticket key stays current. */
  static final Duration SESSION_LIFETIME = SessionTicketKeys.ROTATION;

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final ApplicationProtocolConfig ALPN =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          // A client offering neither gets no ALPN answer and is spoken HTTP/1.1 to.
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);

  private final SslProvider provider;

  ServerContextFactory(SslProvider provider) {
    this.provider = requireNonNull(provider, "provider");
  }

  /** Returns a factory using the best provider available in this process. */
  static ServerContextFactory detect() {
    boolean openSsl = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL);
    return new ServerContextFactory(openSsl ? SslProvider.OPENSSL : SslProvider.JDK);
  }

  SslProvider provider() {
    return provider;
  }

  /** Returns a description of the provider for the start-up log line. */
  String describe() {
    return provider == SslProvider.OPENSSL
        ? "OpenSSL (" + OpenSsl.versionString() + ")"
        : "JDK (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")";
  }

  /**
   * Returns a server context serving {@code material}.
   *
   * @throws InvalidCertificateException when the provider refuses the key or chain
   */
  SslContext build(KeyMaterial material) {
    try {
      return SslContextBuilder.forServer(material.key(), material.chain())
          .sslProvider(provider)
          .protocols(PROTOCOLS)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(ALPN)
          .sessionTimeout(SESSION_LIFETIME.toSeconds())
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new InvalidCertificateException("refused by the TLS provider: " + e.getMessage(), e);
    }
  }
}
