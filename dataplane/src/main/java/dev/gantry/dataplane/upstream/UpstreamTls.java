package dev.gantry.dataplane.upstream;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * TLS towards one cluster's endpoints: the client context (trust, client certificate, ALPN) and the
 * name sent as SNI and checked against each endpoint's certificate. Built once per snapshot; the
 * {@link #identity()} keeps connections of different TLS settings in different pools, and lets
 * pooled connections outlive snapshots that change nothing here.
 *
 * @param serverName SNI and the name the certificate must carry; empty only when {@code insecure}
 * @param context the client context, with hostname verification unless {@code insecure}
 * @param insecure whether any certificate is accepted
 * @param protocol the HTTP version spoken inside TLS (HTTP/2 must be agreed by ALPN)
 * @param identity a digest of every setting, distinct for distinct settings
 */
public record UpstreamTls(
    String serverName,
    SslContext context,
    boolean insecure,
    UpstreamProtocol protocol,
    String identity) {

  public UpstreamTls {
    requireNonNull(serverName, "serverName");
    requireNonNull(context, "context");
    requireNonNull(protocol, "protocol");
    requireNonNull(identity, "identity");
    if (serverName.isEmpty() && !insecure) {
      throw new IllegalArgumentException("serverName: empty (expected: a name unless insecure)");
    }
  }

  /** Builds the TLS settings of a cluster, whose {@link #identity} is computed already. */
  private static UpstreamTls build(
      String serverName,
      byte[] caBundle,
      boolean insecure,
      byte[] clientChain,
      byte[] clientKey,
      UpstreamProtocol protocol,
      String identity) {
    SslContextBuilder builder =
        SslContextBuilder.forClient().applicationProtocolConfig(alpn(protocol));
    try {
      if (insecure) {
        builder
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .endpointIdentificationAlgorithm(null);
      } else {
        builder.endpointIdentificationAlgorithm("HTTPS");
        if (caBundle.length > 0) {
          builder.trustManager(new ByteArrayInputStream(caBundle));
        }
      }
      if (clientChain.length > 0) {
        builder.keyManager(
            new ByteArrayInputStream(clientChain), new ByteArrayInputStream(clientKey));
      }
      return new UpstreamTls(serverName, builder.build(), insecure, protocol, identity);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "upstream TLS for "
              + (serverName.isEmpty() ? "(no server name)" : serverName)
              + ": "
              + rootMessage(e),
          e);
    }
  }

  /** Returns a handler that opens TLS to {@code endpoint} under this cluster's server name. */
  SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress endpoint) {
    String peer = serverName.isEmpty() ? endpoint.getHostString() : serverName;
    return context.newHandler(alloc, peer, endpoint.getPort());
  }

  private static ApplicationProtocolConfig alpn(UpstreamProtocol protocol) {
    String name =
        switch (protocol) {
          case HTTP1 -> ApplicationProtocolNames.HTTP_1_1;
          case H2C -> ApplicationProtocolNames.HTTP_2;
        };
    return new ApplicationProtocolConfig(
        Protocol.ALPN,
        SelectorFailureBehavior.NO_ADVERTISE,
        SelectedListenerFailureBehavior.ACCEPT,
        name);
  }

  /**
   * Returns the TLS settings of a cluster: those in {@code previous} (by {@link #identity}) when
   * they are the same, so that nothing is parsed or built again, else new ones.
   *
   * @param previous settings built for earlier snapshots, by identity
   * @param serverName SNI and the name to verify; empty only with {@code insecure}
   * @param caBundle PEM CA certificates to trust; empty for the JVM's default trust store
   * @param insecure accept any certificate
   * @param clientChain PEM certificate chain to present, or empty for none
   * @param clientKey PEM private key of {@code clientChain}
   * @param protocol HTTP/1.1 offers ALPN {@code http/1.1}; h2c becomes HTTP/2 over TLS, ALPN {@code
   *     h2} required
   * @throws IllegalArgumentException when a PEM input does not parse or the key does not fit
   */
  public static UpstreamTls reuseOrBuild(
      Map<String, UpstreamTls> previous,
      String serverName,
      byte[] caBundle,
      boolean insecure,
      byte[] clientChain,
      byte[] clientKey,
      UpstreamProtocol protocol) {
    String identity = identity(serverName, caBundle, insecure, clientChain, clientKey, protocol);
    UpstreamTls built = previous.get(identity);
    return built != null
        ? built
        : build(serverName, caBundle, insecure, clientChain, clientKey, protocol, identity);
  }

  private static String identity(
      String serverName,
      byte[] caBundle,
      boolean insecure,
      byte[] clientChain,
      byte[] clientKey,
      UpstreamProtocol protocol) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part :
          new byte[][] {
            serverName.getBytes(StandardCharsets.UTF_8),
            caBundle,
            new byte[] {(byte) (insecure ? 1 : 0)},
            clientChain,
            clientKey,
            protocol.name().getBytes(StandardCharsets.US_ASCII)
          }) {
        // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
        digest.update(
            new byte[] {
              (byte) (part.length >>> 24),
              (byte) (part.length >>> 16),
              (byte) (part.length >>> 8),
              (byte) part.length
            });
        digest.update(part);
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Returns the message of the innermost cause: TLS failures wrap the telling one deep. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
