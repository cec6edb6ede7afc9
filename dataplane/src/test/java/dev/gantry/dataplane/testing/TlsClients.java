package dev.gantry.dataplane.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * JDK TLS clients for tests: they accept any server certificate (tests assert on the one served
 * instead) and send the server name and ALPN protocols they are given.
 */
public final class TlsClients {

  private TlsClients() {}

  /** Returns a client context that trusts every server certificate and checks no host name. */
  public static SSLContext trustingAnyServer() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAny()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Returns a client context that trusts every server certificate and presents {@code certificate}
   * (with {@code key}) when the server asks for one.
   */
  public static SSLContext presenting(PrivateKey key, X509Certificate certificate) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          new KeyManager[] {new Presenting(key, certificate)},
          new TrustManager[] {new TrustAny()},
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns TLS client parameters sending SNI {@code serverName} (none when null) and ALPN. */
  public static SSLParameters parameters(String serverName, String... alpn) {
    SSLParameters parameters = trustingAnyServer().getDefaultSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    parameters.setApplicationProtocols(alpn);
    return parameters;
  }

  /**
   * Connects to {@code port} on loopback and completes a handshake sending SNI {@code serverName}
   * (none when null) and the given ALPN protocols.
   *
   * @throws IOException when the connection or handshake fails
   */
  public static SSLSocket connect(int port, String serverName, String... alpn) throws IOException {
    return connect(port, serverName, null, alpn);
  }

  /**
   * Connects like {@link #connect(int, String, String...)}, offering only {@code protocols} ({@code
   * TLSv1.2}, …; null for the JDK's defaults).
   */
  public static SSLSocket connect(int port, String serverName, String[] protocols, String... alpn)
      throws IOException {
    return connect(trustingAnyServer(), port, serverName, protocols, alpn);
  }

  /**
   * Connects like {@link #connect(int, String, String[], String...)} with the client context {@code
   * context} (e.g. one {@linkplain #presenting presenting} a client certificate).
   */
  public static SSLSocket connect(
      SSLContext context, int port, String serverName, String[] protocols, String... alpn)
      throws IOException {
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = parameters(serverName, alpn);
    if (protocols != null) {
      parameters.setProtocols(protocols);
    }
    socket.setSSLParameters(parameters);
    try {
      socket.startHandshake();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  /** Returns the leaf certificate the server presented on {@code socket}. */
  public static X509Certificate served(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  /**
   * Presents one certificate whatever the server asks for: the JDK's own key manager sends none
   * when the issuer is not among the authorities the server names, and the server must be seen to
   * refuse an untrusted certificate.
   */
  private static final class Presenting extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate certificate;

    Presenting(PrivateKey key, X509Certificate certificate) {
      this.key = key;
      this.certificate = certificate;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {certificate};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  /** Trusts everything; as an extended manager, it also skips the JDK's host-name check. */
  private static final class TrustAny extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
