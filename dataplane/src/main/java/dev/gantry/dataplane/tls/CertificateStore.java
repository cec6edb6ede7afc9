package dev.gantry.dataplane.tls;

import static java.util.Objects.requireNonNull;

import dev.gantry.protocol.v1.Snapshot;
import dev.gantry.protocol.v1.TlsCertificate;
import dev.gantry.protocol.v1.VirtualHost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of the HTTPS listener: turns each snapshot's {@code certificates} into server
 * contexts, one per certificate and {@link TlsPolicy} its hosts use, and its virtual hosts into a
 * {@link CertificateTable}, then swaps the table in whole, so that a new handshake sees the new
 * table while established connections keep the context they were handshaken with. Hands out the
 * {@link CertificateSniHandler} that picks from the current table.
 *
 * <p>Only the certificates a virtual host names, and the default one, are loaded: the snapshot also
 * carries client certificates for TLS to backends. A certificate that does not parse, or whose key
 * is not the leaf's, is skipped with an error log naming it and counted in {@code
 * gantry_dataplane_tls_certificates_invalid}; its hosts fall back to the default certificate. The
 * snapshot is never refused for it. A policy that cannot be built (a CA bundle that does not parse,
 * no cipher suite the provider supports) is logged naming its hosts and counted in {@code
 * gantry_dataplane_tls_policies_invalid}; handshakes for its hosts' names fail (counted in {@code
 * gantry_dataplane_tls_policy_refused_handshakes_total}), never falling back to a weaker context.
 * An unchanged (certificate, policy) pair is not rebuilt; a rotated certificate (other bytes under
 * the same name) or a changed policy is.
 *
 * <p>Thread-safe: snapshots arrive on the snapshot client's thread, one at a time; ticket keys
 * rotate on a scheduler without waiting for a snapshot being loaded; event loops read the current
 * table without a lock.
 */
public final class CertificateStore {

  private static final Logger log = LoggerFactory.getLogger(CertificateStore.class);

  private final ServerContextFactory factory;
  private final String defaultCertificate;
  private final SessionTicketKeys ticketKeys = new SessionTicketKeys();
  private final AtomicInteger servable = new AtomicInteger();
  private final AtomicInteger invalid = new AtomicInteger();
  private final AtomicInteger invalidPolicies = new AtomicInteger();
  private final Counter unknownServerNames;
  private final Counter refusedByPolicy;

  /** By certificate name; written under this. */
  private Map<String, Parsed> parsed = Map.of();

  /** By certificate and policy; written under this, read by the ticket-key rotation without it. */
  private volatile Map<Key, Built> built = Map.of();

  private volatile CertificateTable table = CertificateTable.empty();

  /**
   * @param defaultCertificate the {@code NAMESPACE/SECRET} served when the server name matches no
   *     host with a certificate, or when there is none; empty for no default (such handshakes fail)
   * @param registry where the certificate gauges are registered
   */
  public CertificateStore(String defaultCertificate, MeterRegistry registry) {
    this(ServerContextFactory.detect(), defaultCertificate, registry);
  }

  CertificateStore(
      ServerContextFactory factory, String defaultCertificate, MeterRegistry registry) {
    this.factory = requireNonNull(factory, "factory");
    this.defaultCertificate = requireNonNull(defaultCertificate, "defaultCertificate");
    requireNonNull(registry, "registry");
    Gauge.builder("gantry.dataplane.tls.certificates", servable, AtomicInteger::get)
        .description("Certificates of the served snapshot that handshakes can use")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gantry.dataplane.tls.certificates.invalid", invalid, AtomicInteger::get)
        .description(
            "Certificates of the served snapshot skipped: unreadable, or key not the leaf's")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gantry.dataplane.tls.policies.invalid", invalidPolicies, AtomicInteger::get)
        .description(
            "Virtual hosts of the served snapshot whose TLS policy cannot be built: their"
                + " handshakes fail")
        .strongReference(true)
        .register(registry);
    unknownServerNames =
        Counter.builder("gantry.dataplane.tls.unknown.server.names")
            .description(
                "Handshakes refused with unrecognized_name: no certificate for the server name and"
                    + " no default")
            .register(registry);
    refusedByPolicy =
        Counter.builder("gantry.dataplane.tls.policy.refused.handshakes")
            .description(
                "Handshakes refused because the TLS policy of the host the server name selects"
                    + " cannot be built")
            .register(registry);
  }

  /** Returns the TLS provider in use, for the start-up log line. */
  public String provider() {
    return factory.describe();
  }

  /**
   * Loads the certificates and TLS policies of {@code snapshot} and serves its table from now on.
   * Runs off the event loops: building a context parses keys.
   */
  public synchronized void apply(Snapshot snapshot) {
    // Which hosts use each (certificate, policy) pair: the contexts to build, the names to log.
    Map<Key, List<String>> wanted = new LinkedHashMap<>();
    for (VirtualHost host : snapshot.getVirtualHostsList()) {
      if (!host.getCertificate().isEmpty()) {
        wanted
            .computeIfAbsent(
                new Key(host.getCertificate(), TlsPolicy.of(host)), k -> new ArrayList<>())
            .add(host.getName());
      }
    }
    Key fallbackKey = new Key(defaultCertificate, TlsPolicy.DEFAULT);
    if (!defaultCertificate.isEmpty()) {
      wanted.computeIfAbsent(fallbackKey, k -> new ArrayList<>());
    }
    Set<String> served = new LinkedHashSet<>();
    wanted.keySet().forEach(key -> served.add(key.certificate()));
    Map<String, Parsed> nextParsed = new HashMap<>();
    for (TlsCertificate certificate : snapshot.getCertificatesList()) {
      if (served.contains(certificate.getName())) { // else e.g. a client certificate for a backend
        nextParsed.put(certificate.getName(), parse(certificate));
      }
    }
    Map<Key, Built> nextBuilt = new HashMap<>();
    Set<String> unusable = new LinkedHashSet<>();
    int hostsRefused = 0;
    for (Map.Entry<Key, List<String>> entry : wanted.entrySet()) {
      Key key = entry.getKey();
      Parsed certificate = nextParsed.get(key.certificate());
      if (certificate == null || certificate.material() == null) {
        continue; // missing (warned below) or unreadable (logged when parsed)
      }
      Built context = build(key, certificate, entry.getValue());
      nextBuilt.put(key, context);
      if (context.certificateInvalid()) {
        unusable.add(key.certificate());
      } else if (context.context() == null) {
        hostsRefused += entry.getValue().size();
      }
    }
    nextParsed.forEach(
        (name, certificate) -> {
          if (certificate.material() == null) {
            unusable.add(name);
          }
        });
    Selection fallback = null;
    if (!defaultCertificate.isEmpty()) {
      Built context = nextBuilt.get(fallbackKey);
      if (context != null && context.context() != null) {
        fallback = new Selection(context.context(), TlsPolicy.DEFAULT, "");
      } else if (!nextParsed.containsKey(defaultCertificate)) {
        log.warn(
            "default certificate {} is not in snapshot version {}: handshakes naming no host with a"
                + " certificate fail",
            defaultCertificate,
            snapshot.getVersion());
      }
    }
    warnAboutMissing(snapshot, nextParsed);
    parsed = nextParsed;
    built = nextBuilt;
    servable.set(nextParsed.size() - unusable.size());
    invalid.set(unusable.size());
    invalidPolicies.set(hostsRefused);
    Map<Key, Built> contexts = nextBuilt;
    table =
        new CertificateTable(
            snapshot.getVirtualHostsList(),
            host -> {
              TlsPolicy policy = TlsPolicy.of(host);
              Built context = contexts.get(new Key(host.getCertificate(), policy));
              return context == null || context.certificateInvalid()
                  ? null
                  : new Selection(context.context(), policy, host.getName());
            },
            fallback);
  }

  /**
   * Rotates the session-ticket keys of every context every {@link SessionTicketKeys#ROTATION} on
   * {@code scheduler}, until it shuts down. Each rotation is quick and never waits for a snapshot.
   */
  public ScheduledFuture<?> scheduleTicketKeyRotation(ScheduledExecutorService scheduler) {
    long period = SessionTicketKeys.ROTATION.toMillis();
    return scheduler.scheduleAtFixedRate(
        this::rotateTicketKeys, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Makes a new session-ticket key current in every context; see {@link SessionTicketKeys}. A
   * context built meanwhile by a snapshot may keep the keys before: its tickets still resume for
   * one period, then rotate with the others.
   */
  void rotateTicketKeys() {
    ticketKeys.rotate();
    for (Built entry : built.values()) {
      if (entry.context() != null) {
        ticketKeys.applyTo(entry.context());
      }
    }
  }

  /**
   * Returns the handler that reads a connection's ClientHello and replaces itself with the {@code
   * SslHandler} of the certificate selected, or refuses the handshake when none is.
   */
  public ChannelHandler newSniHandler() {
    return new CertificateSniHandler(this::selectCounted);
  }

  /** Returns the context for {@code serverName} in the current table, or null. */
  SslContext select(String serverName) {
    Selection selection = table.select(serverName);
    return selection == null ? null : selection.context();
  }

  /** Returns the selection for {@code serverName} in the current table, or null. */
  Selection selection(String serverName) {
    return table.select(serverName);
  }

  /** Selects for a handshake, counting the refusals. */
  private Selection selectCounted(String serverName) {
    Selection selection = table.select(serverName);
    if (selection == null) {
      unknownServerNames.increment();
    } else if (selection.refused()) {
      refusedByPolicy.increment();
      log.debug(
          "TLS handshake for server name {} refused: the TLS policy of virtual host {} cannot be"
              + " built",
          serverName,
          selection.host());
    }
    return selection;
  }

  /** Returns the cached material when the bytes are unchanged, else parses them. */
  private Parsed parse(TlsCertificate certificate) {
    String digest = digest(certificate);
    Parsed previous = parsed.get(certificate.getName());
    if (previous != null && previous.digest().equals(digest)) {
      return previous;
    }
    try {
      KeyMaterial material =
          KeyMaterial.parse(
              certificate.getCertificateChain().toByteArray(),
              certificate.getPrivateKey().toByteArray());
      if (material.leaf().getNotAfter().toInstant().isBefore(Instant.now())) {
        // Served all the same, as other proxies do: clients decide; the operator reports it.
        log.warn(
            "TLS certificate {} expired at {}",
            certificate.getName(),
            material.leaf().getNotAfter().toInstant());
      }
      log.info(
          "TLS certificate {} {}: {}, valid until {}",
          certificate.getName(),
          previous == null ? "loaded" : "reloaded",
          material.leaf().getSubjectX500Principal().getName(),
          material.leaf().getNotAfter().toInstant());
      return new Parsed(digest, material);
    } catch (InvalidCertificateException e) {
      logSkipped(certificate.getName(), e.getMessage(), null);
      return new Parsed(digest, null);
    } catch (RuntimeException e) { // a parser's surprise: still only this certificate's problem
      logSkipped(certificate.getName(), e.toString(), e);
      return new Parsed(digest, null);
    }
  }

  /** Returns the cached context when certificate and policy are unchanged, else builds one. */
  private Built build(Key key, Parsed certificate, List<String> hosts) {
    Built previous = built.get(key);
    if (previous != null && previous.digest().equals(certificate.digest())) {
      return previous;
    }
    try {
      SslContext context = factory.build(certificate.material(), key.policy());
      ticketKeys.applyTo(context);
      return new Built(certificate.digest(), context, false);
    } catch (InvalidPolicyException e) {
      log.error(
          "TLS policy of virtual hosts {} cannot be built, handshakes for their names fail: {}",
          hosts,
          e.getMessage());
      return new Built(certificate.digest(), null, false);
    } catch (InvalidCertificateException e) {
      logSkipped(key.certificate(), e.getMessage(), null);
      return new Built(certificate.digest(), null, true);
    } catch (RuntimeException e) {
      logSkipped(key.certificate(), e.toString(), e);
      return new Built(certificate.digest(), null, true);
    }
  }

  private static void logSkipped(String certificate, String reason, Throwable cause) {
    log.error(
        "TLS certificate {} skipped, its hosts get the default certificate: {}",
        certificate,
        reason,
        cause);
  }

  private static void warnAboutMissing(Snapshot snapshot, Map<String, Parsed> certificates) {
    Set<String> missing = new LinkedHashSet<>();
    for (VirtualHost host : snapshot.getVirtualHostsList()) {
      if (!host.getCertificate().isEmpty() && !certificates.containsKey(host.getCertificate())) {
        missing.add(host.getCertificate());
      }
    }
    if (!missing.isEmpty()) {
      log.warn(
          "virtual hosts of snapshot version {} name certificates it does not carry, their hosts get"
              + " the default certificate: {}",
          snapshot.getVersion(),
          missing);
    }
  }

  private static String digest(TlsCertificate certificate) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(certificate.getCertificateChain().asReadOnlyByteBuffer());
      sha256.update((byte) 0);
      sha256.update(certificate.getPrivateKey().asReadOnlyByteBuffer());
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** A certificate under a policy: what one server context serves. */
  private record Key(String certificate, TlsPolicy policy) {}

  /**
   * A certificate as last seen.
   *
   * @param digest SHA-256 of its chain and key bytes
   * @param material its key and chain; {@code null} when they did not parse (logged once per bytes)
   */
  private record Parsed(String digest, KeyMaterial material) {}

  /**
   * A server context as last built.
   *
   * @param digest the certificate's, as in {@link Parsed}
   * @param context the context; {@code null} when it could not be built (logged once)
   * @param certificateInvalid whether the provider refused the certificate (its hosts then get the
   *     default certificate) rather than the policy (their handshakes fail)
   */
  private record Built(String digest, SslContext context, boolean certificateInvalid) {}
}
