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
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of the HTTPS listener: turns each snapshot's {@code certificates} into server
 * contexts and its virtual hosts into a {@link CertificateTable}, then swaps the table in whole, so
 * that a new handshake sees the new table while established connections keep the context they were
 * handshaken with. Hands out the {@link CertificateSniHandler} that picks from the current table.
 *
 * <p>Only the certificates a virtual host names, and the default one, are loaded: the snapshot also
 * carries client certificates for TLS to backends. A certificate that does not parse, or whose key
 * is not the leaf's, is skipped with an error log naming it and counted in {@code
 * gantry_dataplane_tls_certificates_invalid}; its hosts fall back to the default certificate. The
 * snapshot is never refused for it. An unchanged certificate is not rebuilt; a rotated one (other
 * bytes under the same name) is.
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
  private final AsyncMapping<String, SslContext> mapping = this::map;
  private final AtomicInteger servable = new AtomicInteger();
  private final AtomicInteger invalid = new AtomicInteger();
  private final Counter unknownServerNames;

  /** By certificate name; written under this, read by the ticket-key rotation without it. */
  private volatile Map<String, Loaded> loaded = Map.of();

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
    unknownServerNames =
        Counter.builder("gantry.dataplane.tls.unknown.server.names")
            .description(
                "Handshakes refused with unrecognized_name: no certificate for the server name and"
                    + " no default")
            .register(registry);
  }

  /** Returns the TLS provider in use, for the start-up log line. */
  public String provider() {
    return factory.describe();
  }

  /**
   * Loads the certificates of {@code snapshot} and serves its table from now on. Runs off the event
   * loops: building a context parses keys.
   */
  public synchronized void apply(Snapshot snapshot) {
    Set<String> served = new HashSet<>();
    snapshot.getVirtualHostsList().forEach(host -> served.add(host.getCertificate()));
    served.add(defaultCertificate);
    Map<String, Loaded> next = new HashMap<>();
    Map<String, SslContext> contexts = new HashMap<>();
    for (TlsCertificate certificate : snapshot.getCertificatesList()) {
      if (!served.contains(certificate.getName())) {
        continue; // e.g. a client certificate for TLS to a backend: not this listener's
      }
      Loaded entry = load(certificate);
      next.put(certificate.getName(), entry);
      if (entry.context() != null) {
        contexts.put(certificate.getName(), entry.context());
      }
    }
    SslContext fallback = null;
    if (!defaultCertificate.isEmpty()) {
      fallback = contexts.get(defaultCertificate);
      if (fallback == null && !next.containsKey(defaultCertificate)) {
        log.warn(
            "default certificate {} is not in snapshot version {}: handshakes naming no host with a"
                + " certificate fail",
            defaultCertificate,
            snapshot.getVersion());
      }
    }
    warnAboutMissing(snapshot, next);
    loaded = next;
    servable.set(contexts.size());
    invalid.set(next.size() - contexts.size());
    table = new CertificateTable(snapshot.getVirtualHostsList(), contexts, fallback);
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
    for (Loaded entry : loaded.values()) {
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
    return new CertificateSniHandler(mapping);
  }

  /** Returns the context for {@code serverName} in the current table, or null. */
  SslContext select(String serverName) {
    return table.select(serverName);
  }

  private Future<SslContext> map(String serverName, Promise<SslContext> promise) {
    SslContext context = table.select(serverName);
    if (context != null) {
      return promise.setSuccess(context);
    }
    unknownServerNames.increment();
    return promise.setFailure(
        new SSLHandshakeException(
            "no certificate for server name "
                + (serverName == null ? "(none sent)" : serverName)
                + " and no default certificate"));
  }

  /** Returns the cached entry when the bytes are unchanged, else builds a new one. */
  private Loaded load(TlsCertificate certificate) {
    String digest = digest(certificate);
    Loaded previous = loaded.get(certificate.getName());
    if (previous != null && previous.digest().equals(digest)) {
      return previous;
    }
    try {
      KeyMaterial material =
          KeyMaterial.parse(
              certificate.getCertificateChain().toByteArray(),
              certificate.getPrivateKey().toByteArray());
      SslContext context = factory.build(material);
      ticketKeys.applyTo(context);
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
      return new Loaded(digest, context);
    } catch (InvalidCertificateException e) {
      log.error(
          "TLS certificate {} skipped, its hosts get the default certificate: {}",
          certificate.getName(),
          e.getMessage());
      return new Loaded(digest, null);
    } catch (RuntimeException e) { // a parser's surprise: still only this certificate's problem
      log.error(
          "TLS certificate {} skipped, its hosts get the default certificate: {}",
          certificate.getName(),
          e.toString(),
          e);
      return new Loaded(digest, null);
    }
  }

  private static void warnAboutMissing(Snapshot snapshot, Map<String, Loaded> certificates) {
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

  /**
   * A certificate as last seen.
   *
   * @param digest SHA-256 of its chain and key bytes
   * @param context its server context; {@code null} when it did not load (logged once per bytes)
   */
  private record Loaded(String digest, SslContext context) {}
}
