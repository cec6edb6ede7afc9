package dev.gantry.operator.compile;

import dev.gantry.operator.ir.TlsCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds and checks the Secrets TLS needs: route certificates (for {@link RouteTlsProcessor}), the
 * default certificate, backend client certificates and CA bundles. Each Secret is validated once
 * per compile; what is wrong with it becomes a problem with what follows from it.
 */
final class TlsProcessor {
  private final SecretIndex secrets;
  private final CertificateCache cache;
  private final Instant now;
  private final GraphBuilder graph;
  private final Map<String, Checked> checked = new HashMap<>();

  /** A Secret's certificate and the DNS names it covers, or why it cannot be served. */
  record Checked(TlsCertificate certificate, List<String> dnsNames, String problem) {}

  TlsProcessor(SecretIndex secrets, CertificateCache cache, Instant now, GraphBuilder graph) {
    this.secrets = secrets;
    this.cache = cache;
    this.now = now;
    this.graph = graph;
  }

  /**
   * Ships the default certificate {@code name} ("namespace/secret"), served to clients whose SNI
   * names no host with a certificate; returns why it cannot be, if it cannot.
   */
  Optional<Problem> processDefault(String name) {
    Optional<Secret> secret = secrets.find(name);
    if (secret.isEmpty()) {
      return Optional.of(
          new Problem(
              CertificateProblems.SECRET_NOT_FOUND,
              "default certificate: Secret "
                  + name
                  + " (type "
                  + SecretIndex.TLS_TYPE
                  + ") not found; handshakes for hosts without a certificate fail"));
    }
    Checked c = check(name, secret.get());
    if (c.problem() != null) {
      return Optional.of(
          new Problem(
              CertificateProblems.INVALID_CERTIFICATE,
              "default certificate: Secret "
                  + name
                  + ": "
                  + c.problem()
                  + "; handshakes for hosts without a certificate fail"));
    }
    graph.defaultCertificate(c.certificate());
    return Optional.empty();
  }

  /**
   * Returns the certificate of Secret {@code namespace/secretName} for the dataplane to present to
   * a backend, shipped with the snapshot; or empty, with the problem added to {@code problems}.
   */
  Optional<String> clientCertificate(
      String namespace, String secretName, String backend, List<Problem> problems) {
    String name = namespace + "/" + secretName;
    String consequence = "; " + backend + " is spoken to without a client certificate";
    Optional<Checked> usable = usable(name, consequence, problems);
    usable.ifPresent(c -> graph.clientCertificate(c.certificate()));
    return usable.map(c -> name);
  }

  /**
   * Returns the PEM CA bundle under {@code ca.crt} of Secret {@code namespace/secretName}, checked
   * to hold X.509 certificates; or empty, with the problem added to {@code problems}.
   */
  Optional<String> caBundle(
      String namespace, String secretName, String backend, List<Problem> problems) {
    return caBundle(
        namespace + "/" + secretName,
        "; " + backend + " is checked against the JVM's CAs instead",
        problems);
  }

  /**
   * Returns the PEM CA bundle under {@code ca.crt} of Secret {@code name} ("namespace/secret"); or
   * empty, with the problem and then {@code consequence} added to {@code problems}.
   */
  Optional<String> caBundle(String name, String consequence, List<Problem> problems) {
    Optional<Secret> secret = find(name, consequence, problems);
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    SecretIndex.Value ca = SecretIndex.value(secret.get(), "ca.crt");
    String problem =
        ca.problem() != null ? ca.problem() : CertificateValidator.caProblem(ca.bytes());
    if (problem != null) {
      problems.add(
          new Problem(
              CertificateProblems.INVALID_CERTIFICATE,
              "Secret " + name + ": " + problem + consequence));
      return Optional.empty();
    }
    return Optional.of(new String(ca.bytes(), java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Returns the checked certificate of Secret {@code name}, or empty with why not (and then {@code
   * consequence}) added to {@code problems}.
   */
  Optional<Checked> usable(String name, String consequence, List<Problem> problems) {
    Optional<Secret> secret = find(name, consequence, problems);
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    Checked c = check(name, secret.get());
    if (c.problem() != null) {
      problems.add(
          new Problem(
              CertificateProblems.INVALID_CERTIFICATE,
              "Secret " + name + ": " + c.problem() + consequence));
      return Optional.empty();
    }
    return Optional.of(c);
  }

  /**
   * Returns Secret {@code name}, or empty with {@code SecretNotFound} added to {@code problems}.
   */
  private Optional<Secret> find(String name, String consequence, List<Problem> problems) {
    Optional<Secret> secret = secrets.find(name);
    if (secret.isEmpty()) {
      problems.add(
          new Problem(
              CertificateProblems.SECRET_NOT_FOUND,
              "Secret " + name + " (type " + SecretIndex.TLS_TYPE + ") not found" + consequence));
    }
    return secret;
  }

  private Checked check(String name, Secret secret) {
    return checked.computeIfAbsent(name, n -> checkUncached(n, secret));
  }

  private Checked checkUncached(String name, Secret secret) {
    // The API server defaults a Secret's type to Opaque; a file may leave it out.
    String type = Objects.requireNonNullElse(secret.getType(), "Opaque");
    if (!SecretIndex.TLS_TYPE.equals(type)) {
      return invalid("its type is " + type + " (expected: " + SecretIndex.TLS_TYPE + ")");
    }
    SecretIndex.Value chain = SecretIndex.value(secret, "tls.crt");
    if (chain.problem() != null) {
      return invalid(chain.problem());
    }
    SecretIndex.Value key = SecretIndex.value(secret, "tls.key");
    if (key.problem() != null) {
      return invalid(key.problem());
    }
    return switch (cache.parse(chain.bytes(), key.bytes())) {
      case CertificateValidator.Invalid bad -> invalid(bad.message());
      case CertificateValidator.Parsed parsed -> {
        String expired = parsed.validAt(now);
        parsed.nextChangeAfter(now).ifPresent(graph::recompileAt);
        yield expired != null
            ? invalid(expired)
            : new Checked(
                new TlsCertificate(name, chain.bytes(), key.bytes()), parsed.dnsNames(), null);
      }
    };
  }

  private static Checked invalid(String problem) {
    return new Checked(null, List.of(), problem);
  }
}
