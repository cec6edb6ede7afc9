package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server {@link SslContext} of one certificate under one {@link TlsPolicy}: TLS 1.3 and
 * 1.2 (the highest both sides speak wins, so 1.3 whenever the client has it), or 1.3 alone; the
 * cipher suites HTTP/2 allows (RFC 9113 §9.2.2: AEAD with forward secrecy) or the policy's TLS 1.2
 * suites after the TLS 1.3 ones; client certificates asked for when the policy says so; ALPN
 * offering {@code h2} then {@code http/1.1}.
 *
 * <p>An OpenSSL context's session-id context is a digest of its policy: Netty gives every context
 * the same one, and the session-ticket keys are shared ({@link SessionTicketKeys}), so without it a
 * ticket issued for a host without client certificates would resume, certificate-less, on a host
 * requiring them. (A JDK context keeps its own ticket keys.)
 *
 * <p>The provider is OpenSSL (BoringSSL from netty-tcnative) when it loads and supports ALPN, the
 * JDK's otherwise. Stateless.
 */
final class ServerContextFactory {

  /** How long a resumed session may be used; as long as a ticket key stays current. */
  static final Duration SESSION_LIFETIME = SessionTicketKeys.ROTATION;

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final String[] TLS13_ONLY = {"TLSv1.3"};

  /** Always offered: TLS 1.3 suites are all AEAD, and BoringSSL does not let them be chosen. */
  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /** SSL_MAX_SID_CTX_LENGTH. */
  private static final int SESSION_ID_CONTEXT_BYTES = 32;

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

  /** Returns a server context serving {@code material} under the default policy. */
  SslContext build(KeyMaterial material) {
    return build(material, TlsPolicy.DEFAULT);
  }

  /**
   * Returns a server context serving {@code material} under {@code policy}.
   *
   * @throws InvalidCertificateException when the provider refuses the key or chain
   * @throws InvalidPolicyException when the policy's CA bundle does not parse or the provider
   *     supports none of its cipher suites
   */
  SslContext build(KeyMaterial material, TlsPolicy policy) {
    List<X509Certificate> trusted =
        policy.clientValidation() == null ? null : caBundle(policy.clientValidation());
    boolean customSuites = !policy.tls13Only() && !policy.cipherSuites().isEmpty();
    SslContext context;
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(material.key(), material.chain())
              .sslProvider(provider)
              .protocols(policy.tls13Only() ? TLS13_ONLY : PROTOCOLS)
              .ciphers(
                  customSuites ? withTls13Suites(policy.cipherSuites()) : Http2SecurityUtil.CIPHERS,
                  SupportedCipherSuiteFilter.INSTANCE)
              .applicationProtocolConfig(ALPN)
              .sessionTimeout(SESSION_LIFETIME.toSeconds());
      if (trusted != null) {
        builder
            .trustManager(trusted)
            .clientAuth(
                policy.clientValidation().optional() ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE);
      }
      context = builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      if (trusted != null || customSuites) {
        throw new InvalidPolicyException("refused by the TLS provider: " + e.getMessage(), e);
      }
      throw new InvalidCertificateException("refused by the TLS provider: " + e.getMessage(), e);
    }
    if (customSuites
        && context.cipherSuites().stream().noneMatch(policy.cipherSuites()::contains)) {
      throw new InvalidPolicyException(
          "cipher suites: "
              + policy.cipherSuites()
              + " (expected: at least one TLS 1.2 suite that "
              + (provider == SslProvider.OPENSSL ? "OpenSSL" : "the JDK")
              + " supports)");
    }
    if (context.sessionContext() instanceof OpenSslServerSessionContext sessions) {
      sessions.setSessionIdContext(sessionIdContext(policy));
    }
    return context;
  }

  private static List<String> withTls13Suites(List<String> tls12Suites) {
    List<String> suites = new ArrayList<>(TLS13_SUITES);
    suites.addAll(tls12Suites);
    return suites;
  }

  private static List<X509Certificate> caBundle(TlsPolicy.ClientValidation validation) {
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(validation.caBundle().toByteArray()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidPolicyException("CA bundle: not PEM certificates: " + e, e);
    }
    if (certificates.isEmpty()) {
      throw new InvalidPolicyException("CA bundle: no certificate (expected: PEM CA certificates)");
    }
    return certificates.stream().map(X509Certificate.class::cast).toList();
  }

  /** Returns a digest of {@code policy}: equal policies, equal contexts for session resumption. */
  private static byte[] sessionIdContext(TlsPolicy policy) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(policy.toString().getBytes(StandardCharsets.UTF_8));
      if (policy.clientValidation() != null) {
        sha256.update(policy.clientValidation().caBundle().asReadOnlyByteBuffer());
      }
      return Arrays.copyOf(sha256.digest(), SESSION_ID_CONTEXT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
