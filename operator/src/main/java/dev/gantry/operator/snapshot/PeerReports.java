package dev.gantry.operator.snapshot;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares between operator replicas which snapshot each one's dataplanes have applied, so that the
 * status writer counts every dataplane, not only those streaming from it. Every few seconds each
 * replica renews a Lease of its own ({@code gantry-dataplanes-<identity>}) listing its dataplanes
 * with the digest of the snapshot each ACKed, and reads the other replicas' fresh Leases: their
 * dataplanes join the registry with those ACKs mapped to this replica's own versions by digest
 * (replicas compile the same world into the same bytes; a digest this replica never published
 * counts as nothing ACKed yet). A Lease not renewed for 30 s is a replica gone, and ignored.
 */
public final class PeerReports implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerReports.class);
  static final String LABEL = "gantry.dev/dataplane-report";
  static final String ANNOTATION = "gantry.dev/dataplanes";
  private static final Duration PERIOD = Duration.ofSeconds(2);
  private static final int FRESH_SECONDS = 30;

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final String leaseName;
  private final SnapshotStore store;
  private final DataplaneRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gantry-peer-reports");
            t.setDaemon(true);
            return t;
          });

  /** One dataplane in a report: its node id and the digest it ACKed ({@code ""}: none). */
  record Entry(String node, String digest) {}

  public PeerReports(
      KubernetesClient client,
      String namespace,
      String identity,
      SnapshotStore store,
      DataplaneRegistry registry,
      Clock clock) {
    this.client = requireNonNull(client, "client");
    this.namespace = requireNonNull(namespace, "namespace");
    this.identity = requireNonNull(identity, "identity");
    this.leaseName =
        "gantry-dataplanes-" + identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    this.store = requireNonNull(store, "store");
    this.registry = requireNonNull(registry, "registry");
    this.clock = requireNonNull(clock, "clock");
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(this::round, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void round() {
    try {
      publish();
      read();
    } catch (KubernetesClientException | IllegalArgumentException e) {
      log.debug("dataplane report round failed: {}", e.toString());
    }
  }

  private void publish() {
    List<Entry> entries = new ArrayList<>();
    for (DataplaneRegistry.Dataplane d : registry.local()) {
      entries.add(new Entry(d.nodeId(), store.digestOf(d.ackedVersion()).orElse("")));
    }
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(leaseName)
            .withNamespace(namespace)
            .addToLabels(LABEL, "true")
            .addToAnnotations(ANNOTATION, Serialization.asJson(entries))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(identity)
            .withLeaseDurationSeconds(FRESH_SECONDS)
            .withRenewTime(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)))
            .endSpec()
            .build();
    client.leases().inNamespace(namespace).resource(lease).forceConflicts().serverSideApply();
  }

  private void read() {
    ZonedDateTime stale =
        ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)).minusSeconds(FRESH_SECONDS);
    List<DataplaneRegistry.Dataplane> peers = new ArrayList<>();
    for (Lease lease :
        client.leases().inNamespace(namespace).withLabel(LABEL, "true").list().getItems()) {
      if (lease.getMetadata().getName().equals(leaseName)
          || lease.getSpec() == null
          || lease.getSpec().getRenewTime() == null
          || lease.getSpec().getRenewTime().isBefore(stale)) {
        continue;
      }
      Map<String, String> annotations = lease.getMetadata().getAnnotations();
      String json = annotations == null ? null : annotations.get(ANNOTATION);
      if (json == null) {
        continue;
      }
      for (Entry e : Serialization.unmarshal(json, Entry[].class)) {
        long acked = e.digest().isEmpty() ? 0 : store.versionOf(e.digest()).orElse(0);
        peers.add(
            new DataplaneRegistry.Dataplane(
                "peer:" + lease.getSpec().getHolderIdentity() + ":" + e.node(),
                e.node(),
                acked,
                Optional.empty()));
      }
    }
    registry.peers(peers);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      client.leases().inNamespace(namespace).withName(leaseName).delete();
    } catch (KubernetesClientException e) {
      log.debug("cannot delete the dataplane report {}: {}", leaseName, e.toString());
    }
  }
}
