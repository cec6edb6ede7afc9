package dev.gantry.dataplane.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Formats the X-Forwarded-Client-Cert value of a verified client certificate, as Envoy does:
 *
 * <pre>
 *   Hash=&lt;hex SHA-256 of the DER&gt;[;Cert="&lt;URL-encoded PEM&gt;"];Subject="&lt;RFC 2253&gt;"[;URI=&lt;uri SAN&gt;]*[;DNS=&lt;dns SAN&gt;]*
 * </pre>
 *
 * A URI containing {@code , ; =} or {@code "} is quoted, with {@code "} and {@code \} escaped by a
 * backslash (Envoy's rule for XFCC values). Pure functions.
 */
final class ForwardedClientCert {

  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private ForwardedClientCert() {}

  /** Returns the header value for {@code leaf}; with its PEM when {@code withCertificate}. */
  static String format(X509Certificate leaf, boolean withCertificate) {
    byte[] der;
    try {
      der = leaf.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a verified certificate has an encoding", e);
    }
    StringBuilder value = new StringBuilder(128).append("Hash=").append(sha256(der));
    if (withCertificate) {
      value.append(";Cert=\"").append(percentEncode(pem(der))).append('"');
    }
    value
        .append(";Subject=\"")
        .append(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253))
        .append('"');
    List<List<?>> names = subjectAlternativeNames(leaf);
    for (List<?> name : names) {
      if (name.get(0) instanceof Integer type && type == SAN_URI) {
        value.append(";URI=").append(quoteIfNeeded((String) name.get(1)));
      }
    }
    for (List<?> name : names) {
      if (name.get(0) instanceof Integer type && type == SAN_DNS) {
        value.append(";DNS=").append(name.get(1));
      }
    }
    return value.toString();
  }

  private static List<List<?>> subjectAlternativeNames(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      return names == null ? List.of() : List.copyOf(names);
    } catch (CertificateParsingException e) {
      return List.of(); // verified, but with a SAN extension the JDK cannot read: no SANs then
    }
  }

  private static String sha256(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  /** Percent-encodes all but RFC 3986's unreserved characters. */
  static String percentEncode(String text) {
    StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else { // PEM is ASCII
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private static String quoteIfNeeded(String value) {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == ';' || c == '=' || c == '"' || c == '\\';
    }
    if (!quote) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
