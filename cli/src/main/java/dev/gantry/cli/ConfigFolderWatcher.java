package dev.gantry.cli;

import dev.gantry.operator.compile.Sources;
import dev.gantry.operator.watch.ManifestReader;
import dev.gantry.operator.watch.SourceCache;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a source cache from a folder of Kubernetes YAML, in place of informers. Re-reads the whole
 * folder when anything in it changes; a folder that does not read (a syntax error mid-edit) is
 * logged with its file and line and leaves the running world alone. Inotify events wake it early; a
 * fingerprint of names, sizes and modification times checked every second catches what events miss
 * (mounted volumes).
 */
final class ConfigFolderWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigFolderWatcher.class);

  private final Path dir;
  private final SourceCache cache;
  private final WatchService watch;
  private final Thread thread;
  private Map<Path, String> fingerprint = Map.of();
  private volatile String lastError;

  ConfigFolderWatcher(Path dir, SourceCache cache) throws IOException {
    this.dir = dir;
    this.cache = cache;
    this.watch = FileSystems.getDefault().newWatchService();
    this.thread = new Thread(this::loop, "gantry-config-watch");
    this.thread.setDaemon(true);
  }

  /**
   * Reads the folder once and starts watching it.
   *
   * @return false when the first read failed (the cache then starts empty and the problem is
   *     logged)
   */
  boolean start() {
    boolean ok = reload();
    if (!ok) {
      cache.replaceAll(Sources.EMPTY);
    }
    cache.markSynced();
    thread.start();
    return ok;
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        var key = watch.poll(1, TimeUnit.SECONDS);
        boolean notified = key != null;
        if (notified) {
          key.pollEvents();
          key.reset();
          // Let an editor finish writing (save = truncate + write, or write + rename).
          TimeUnit.MILLISECONDS.sleep(50);
          while ((key = watch.poll()) != null) {
            key.pollEvents();
            key.reset();
          }
        }
        // An event always reloads: a rewrite within one timestamp tick keeps size and mtime. The
        // fingerprint catches what events miss (an unwatched new folder, a full event queue).
        if (notified || !fingerprint().equals(fingerprint)) {
          reload();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.warn("watching {} failed; retrying: {}", dir, e.toString());
      }
    }
  }

  private boolean reload() {
    try {
      Map<Path, String> before = fingerprint();
      register();
      Sources sources = ManifestReader.readDirectory(dir);
      fingerprint = before;
      cache.replaceAll(sources);
      lastError = null;
      log.info(
          "read {}: {} ProxyRoutes, {} Ingresses, {} Services, {} EndpointSlices, {} Secrets",
          dir,
          sources.proxyRoutes().size(),
          sources.ingresses().size(),
          sources.services().size(),
          sources.endpointSlices().size(),
          sources.secrets().size());
      return true;
    } catch (ManifestReader.ManifestException e) {
      fingerprint = safeFingerprint();
      lastError = e.getMessage();
      log.error("not applied, still serving the previous configuration: {}", e.getMessage());
    } catch (IOException e) {
      fingerprint = safeFingerprint();
      lastError = e.toString();
      log.error("cannot read {}: {}; still serving the previous configuration", dir, e.toString());
    }
    return false;
  }

  /** Returns why the newest read of the folder failed, or empty when it was applied. */
  Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** Watches every folder under the config folder; new ones are picked up on the next reload. */
  private void register() throws IOException {
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(
            watch,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }

  private Map<Path, String> fingerprint() throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.put(p, a.size() + "@" + a.lastModifiedTime().toMillis());
      }
    }
    return out;
  }

  private Map<Path, String> safeFingerprint() {
    try {
      return fingerprint();
    } catch (IOException e) {
      return Map.of();
    }
  }

  @Override
  public void close() throws IOException {
    thread.interrupt();
    watch.close();
  }
}
