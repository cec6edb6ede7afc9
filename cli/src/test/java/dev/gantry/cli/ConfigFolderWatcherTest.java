package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.watch.SourceCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFolderWatcherTest {
  @TempDir Path dir;

  private final SourceCache cache = new SourceCache(() -> {});

  private static String route(String name, int status) {
    return """
    apiVersion: gantry.dev/v1alpha1
    kind: ProxyRoute
    metadata: {name: %s}
    spec: {rules: [{directResponse: {status: %d}}]}
    """
        .formatted(name, status);
  }

  private int statusOfFirstRoute() {
    return cache.snapshot().proxyRoutes().get(0).getSpec().rules().get(0).directResponse().status();
  }

  @Test
  void appliesEditsToTheFolderLive() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), route("a", 200));
    try (ConfigFolderWatcher watcher = new ConfigFolderWatcher(dir, cache)) {
      assertThat(watcher.start()).isTrue();
      assertThat(cache.isSynced()).isTrue();
      assertThat(statusOfFirstRoute()).isEqualTo(200);

      Files.writeString(dir.resolve("a.yaml"), route("a", 204));
      await().until(() -> statusOfFirstRoute() == 204);

      Files.createDirectories(dir.resolve("more"));
      Files.writeString(dir.resolve("more/b.yml"), route("b", 201));
      await().until(() -> cache.snapshot().proxyRoutes().size() == 2);

      Files.delete(dir.resolve("more/b.yml"));
      await().until(() -> cache.snapshot().proxyRoutes().size() == 1);
    }
  }

  @Test
  void keepsThePreviousWorldWhenAFileStopsParsing() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), route("a", 200));
    try (ConfigFolderWatcher watcher = new ConfigFolderWatcher(dir, cache)) {
      watcher.start();

      Files.writeString(
          dir.resolve("a.yaml"),
          "apiVersion: gantry.dev/v1alpha1\nkind: ProxyRoute\nmetadata: {name: a\n");
      Files.writeString(dir.resolve("z.yaml"), route("z", 201));
      await()
          .until(
              () ->
                  watcher
                      .lastError()
                      .filter(e -> e.startsWith(dir.resolve("a.yaml") + ":"))
                      .isPresent());
      // Nothing from the folder is applied while a file in it does not parse, not even the good
      // file beside it.
      assertThat(cache.snapshot().proxyRoutes()).hasSize(1);
      assertThat(statusOfFirstRoute()).isEqualTo(200);

      Files.writeString(dir.resolve("a.yaml"), route("a", 202));
      await()
          .until(() -> cache.snapshot().proxyRoutes().size() == 2 && statusOfFirstRoute() == 202);
      assertThat(watcher.lastError()).isEmpty();
    }
  }

  @Test
  void startsEmptyWhenTheFirstReadFails() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "kind: [");
    try (ConfigFolderWatcher watcher = new ConfigFolderWatcher(dir, cache)) {
      assertThat(watcher.start()).isFalse();
      assertThat(cache.isSynced()).isTrue();
      assertThat(cache.snapshot().proxyRoutes()).isEmpty();

      Files.writeString(dir.resolve("a.yaml"), route("a", 200));
      await().until(() -> cache.snapshot().proxyRoutes().size() == 1);
    }
  }
}
