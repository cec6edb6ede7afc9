package dev.gantry.operator.compile;

import dev.gantry.crds.v1alpha1.RouteTls;
import dev.gantry.crds.v1alpha1.TlsCipherSuite;
import dev.gantry.operator.ir.Hsts;
import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.TcpProxy;
import dev.gantry.operator.ir.TlsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Claims the TLS of a route's hosts from its {@code spec.tls}: the certificate of the Secret it
 * names (in another namespace only by delegation) under its policy, or passthrough. A problem with
 * the Secret or the client CA leaves the hosts concerned without TLS, never with weaker TLS; a host
 * an older route already claimed differently keeps the older claim, and the newer route says so.
 */
final class RouteTlsProcessor {
  private final TlsProcessor secrets;
  private final CertificateDelegations delegations;
  private final GraphBuilder graph;

  RouteTlsProcessor(TlsProcessor secrets, CertificateDelegations delegations, GraphBuilder graph) {
    this.secrets = secrets;
    this.delegations = delegations;
    this.graph = graph;
  }

  /**
   * Terminates TLS for each of {@code hosts} that the certificate of {@code tls.secretName()}
   * covers, under {@code tls}'s policy; adds what went wrong to {@code problems}.
   */
  void terminate(
      ObjectRef route, String namespace, List<String> hosts, RouteTls tls, List<Problem> problems) {
    if (hosts.isEmpty()) {
      return;
    }
    String withoutTls = "; " + String.join(", ", hosts) + verb(hosts) + " served without TLS";
    Optional<String> name = secretName(namespace, tls.secretName(), withoutTls, problems);
    Optional<TlsProcessor.Checked> usable =
        name.flatMap(n -> secrets.usable(n, withoutTls, problems));
    if (usable.isEmpty()) {
      return;
    }
    Optional<TlsPolicy> policy = policy(namespace, hosts, tls, problems);
    if (policy.isEmpty()) {
      return;
    }
    TlsProcessor.Checked c = usable.get();
    HostTls.Terminated terminated =
        new HostTls.Terminated(
            c.certificate(),
            policy.get(),
            tls.httpsRedirectOrDefault(),
            Optional.ofNullable(tls.hsts()).map(RouteTlsProcessor::hsts));
    List<String> uncovered = new ArrayList<>();
    for (String host : hosts) {
      if (!CertificateHostnames.covers(c.dnsNames(), host)) {
        uncovered.add(host);
        continue;
      }
      graph
          .claimTls(host, terminated, route)
          .ifPresent(held -> problems.add(conflict(host, held, terminated)));
    }
    if (!uncovered.isEmpty()) {
      problems.add(
          new Problem(
              CertificateProblems.HOSTNAME_MISMATCH,
              "the certificate of Secret "
                  + name.get()
                  + (c.dnsNames().isEmpty()
                      ? " has no DNS subjectAltName"
                      : " covers " + String.join(", ", c.dnsNames()))
                  + ", not "
                  + String.join(", ", uncovered)
                  + "; "
                  + (uncovered.size() == 1 ? "that host is" : "those hosts are")
                  + " served without TLS"));
    }
  }

  /**
   * Passes the TLS of each of {@code hosts} through to {@code proxy}'s clusters, unless an older
   * route serves the host otherwise; adds such conflicts to {@code problems}.
   */
  void passThrough(ObjectRef route, List<String> hosts, TcpProxy proxy, List<Problem> problems) {
    HostTls.Passthrough passthrough = new HostTls.Passthrough(proxy);
    for (String host : hosts) {
      Optional<GraphBuilder.TlsClaim> held = graph.tlsClaim(host);
      Optional<ObjectRef> routed = graph.routesOwner(host);
      if (held.isPresent()) {
        if (!held.get().tls().equals(passthrough)) {
          problems.add(conflict(host, held.get(), passthrough));
        }
      } else if (routed.isPresent()) {
        problems.add(
            new Problem(
                CertificateProblems.CONFLICT,
                host
                    + " has HTTP routes of the older "
                    + routed.get()
                    + ", so it is not passed through for this route"));
      } else {
        graph.claimTls(host, passthrough, route);
      }
    }
  }

  /**
   * Returns the hosts among {@code hosts} that no older route passes through, and adds a problem
   * naming the others.
   */
  List<String> notPassedThrough(List<String> hosts, List<Problem> problems) {
    List<String> served = new ArrayList<>();
    for (String host : hosts) {
      graph
          .passthroughOwner(host)
          .ifPresentOrElse(
              owner ->
                  problems.add(
                      new Problem(
                          CertificateProblems.CONFLICT,
                          host
                              + " is passed through (TLS not terminated) by the older "
                              + owner
                              + "; this route's rules and TLS are not used for it")),
              () -> served.add(host));
    }
    return served;
  }

  /**
   * Returns the "namespace/name" of the Secret {@code ref} names, or empty with {@code
   * RefNotPermitted} when its namespace does not delegate it to the route's.
   */
  private Optional<String> secretName(
      String namespace, String ref, String withoutTls, List<Problem> problems) {
    int slash = ref.indexOf('/');
    if (slash < 0) {
      return Optional.of(namespace + "/" + ref);
    }
    String secretNamespace = ref.substring(0, slash);
    String secret = ref.substring(slash + 1);
    if (delegations.permits(secretNamespace, secret, namespace)) {
      return Optional.of(ref);
    }
    problems.add(
        new Problem(
            CertificateProblems.REF_NOT_PERMITTED,
            "spec.tls.secretName: \""
                + ref
                + "\" is in namespace "
                + secretNamespace
                + ", which does not delegate it to namespace "
                + namespace
                + " (expected: a TLSCertificateDelegation in namespace "
                + secretNamespace
                + " with secretName "
                + secret
                + " and targetNamespaces listing "
                + namespace
                + " or \"*\")"
                + withoutTls));
    return Optional.empty();
  }

  /**
   * Returns the handshake policy of {@code tls}, or empty when its client CA cannot be read (then
   * the hosts must not be served without the client validation they asked for).
   */
  private Optional<TlsPolicy> policy(
      String namespace, List<String> hosts, RouteTls tls, List<Problem> problems) {
    Optional<TlsPolicy.ClientValidation> client = Optional.empty();
    if (tls.clientValidation() != null) {
      Optional<String> ca =
          secrets.caBundle(
              namespace + "/" + tls.clientValidation().caSecretName(),
              " (clientValidation.caSecretName); "
                  + String.join(", ", hosts)
                  + verb(hosts)
                  + " served without TLS rather than without client validation",
              problems);
      if (ca.isEmpty()) {
        return Optional.empty();
      }
      client =
          Optional.of(
              new TlsPolicy.ClientValidation(
                  ca.get(),
                  tls.clientValidation().optionalOrDefault(),
                  tls.clientValidation().forwardCertificateOrDefault()));
    }
    return Optional.of(
        new TlsPolicy(
            "1.3".equals(tls.minVersion())
                ? TlsPolicy.TlsVersion.TLS_1_3
                : TlsPolicy.TlsVersion.TLS_1_2,
            tls.cipherSuitesOrEmpty().stream().map(TlsCipherSuite::name).distinct().toList(),
            client));
  }

  /** Returns the HSTS settings; maxAge was checked by {@link ProxyRouteValidator}. */
  static Hsts hsts(dev.gantry.crds.v1alpha1.Hsts hsts) {
    return new Hsts(
        maxAge(hsts.maxAge()).orElseThrow(),
        hsts.includeSubDomainsOrDefault(),
        hsts.preloadOrDefault());
  }

  /** Returns the duration of an HSTS maxAge: a number and one unit, d, h, m or s. */
  static Optional<Duration> maxAge(String text) {
    if (text == null || !text.matches(dev.gantry.crds.v1alpha1.Hsts.MAX_AGE)) {
      return Optional.empty();
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return Optional.of(
        switch (text.charAt(text.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        });
  }

  /** Phrases why {@code host} keeps the older {@code held} claim rather than {@code wanted}. */
  private static Problem conflict(String host, GraphBuilder.TlsClaim held, HostTls wanted) {
    String older = " of the older " + held.owner();
    String message =
        switch (held.tls()) {
          case HostTls.Passthrough p when wanted instanceof HostTls.Terminated t ->
              host
                  + " is passed through (TLS not terminated) by the older "
                  + held.owner()
                  + "; Secret "
                  + t.certificate().name()
                  + " is not used for it";
          case HostTls.Passthrough p ->
              host
                  + " is passed through to the backends"
                  + older
                  + "; this route's are not used for it";
          case HostTls.Terminated h when wanted instanceof HostTls.Passthrough ->
              host
                  + " is terminated with Secret "
                  + h.certificate().name()
                  + older
                  + ", so it is not passed through for this route";
          case HostTls.Terminated h
              when !h.certificate()
                  .name()
                  .equals(((HostTls.Terminated) wanted).certificate().name()) ->
              host
                  + " is served with Secret "
                  + h.certificate().name()
                  + older
                  + " (the oldest route's certificate wins); Secret "
                  + ((HostTls.Terminated) wanted).certificate().name()
                  + " is not used for it";
          case HostTls.Terminated h ->
              host
                  + " is served with the TLS settings"
                  + older
                  + ", which differ in "
                  + String.join(", ", h.differences((HostTls.Terminated) wanted))
                  + " (the oldest route's settings win); this route's are not used for it";
        };
    return new Problem(CertificateProblems.CONFLICT, message);
  }

  private static String verb(List<String> hosts) {
    return hosts.size() == 1 ? " is" : " are";
  }
}
