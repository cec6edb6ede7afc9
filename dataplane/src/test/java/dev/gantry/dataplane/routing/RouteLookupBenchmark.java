package dev.gantry.dataplane.routing;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.exact;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;

import dev.gantry.protocol.v1.Route;
import dev.gantry.protocol.v1.VirtualHost;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route lookup in a table of 10,000 routes: 500 exact hosts and 500 wildcard hosts, each with 10
 * routes (exact paths and prefixes of one to three segments). Run with {@code bench/jmh.sh
 * RouteLookupBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteLookupBenchmark {
  private static final int HOSTS = 500;
  private RoutingTable table;

  @Setup
  public void build() {
    List<VirtualHost> hosts = new ArrayList<>();
    for (int h = 0; h < HOSTS; h++) {
      hosts.add(host("exact-" + h, List.of("app" + h + ".example.com"), routes("e" + h)));
      hosts.add(host("wild-" + h, List.of("*.team" + h + ".example.org"), routes("w" + h)));
    }
    table =
        RoutingTable.from(
            snapshot(1, hosts, List.of(cluster("backend", new InetSocketAddress("10.0.0.1", 80)))));
    if (table.stats().routes() != 2 * HOSTS * 10) {
      throw new IllegalStateException("expected 10,000 routes: " + table.stats());
    }
  }

  private static Route[] routes(String name) {
    return new Route[] {
      exact(name + "-health", "/healthz", "backend"),
      exact(name + "-login", "/login", "backend"),
      prefix(name + "-v3", "/api/v3/orders", "backend"),
      prefix(name + "-v2", "/api/v2/orders", "backend"),
      prefix(name + "-api2", "/api/v2", "backend"),
      prefix(name + "-api", "/api", "backend"),
      prefix(name + "-static", "/static", "backend"),
      prefix(name + "-img", "/img", "backend"),
      prefix(name + "-docs", "/docs", "backend"),
      prefix(name + "-root", "/", "backend"),
    };
  }

  @Benchmark
  public Object exactHostLongPrefix() {
    return table.route("app250.example.com", "/api/v2/orders/42");
  }

  @Benchmark
  public Object exactHostWithPortRootFallback() {
    return table.route("app499.example.com:8080", "/checkout/cart");
  }

  @Benchmark
  public Object wildcardHostExactPath() {
    return table.route("shop.team250.example.org", "/login");
  }

  @Benchmark
  public Object unknownHost() {
    return table.route("nothing.example.net", "/");
  }
}
