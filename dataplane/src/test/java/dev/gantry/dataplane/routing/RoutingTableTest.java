package dev.gantry.dataplane.routing;

import static dev.gantry.dataplane.testing.Snapshots.cluster;
import static dev.gantry.dataplane.testing.Snapshots.exact;
import static dev.gantry.dataplane.testing.Snapshots.host;
import static dev.gantry.dataplane.testing.Snapshots.prefix;
import static dev.gantry.dataplane.testing.Snapshots.snapshot;
import static dev.gantry.dataplane.testing.Snapshots.withBodyLimit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.gantry.dataplane.tls.TlsPolicy;
import dev.gantry.protocol.v1.ClientValidation;
import dev.gantry.protocol.v1.Cluster;
import dev.gantry.protocol.v1.UpstreamTls;
import dev.gantry.protocol.v1.VirtualHost;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static final List<Cluster> CLUSTERS =
      List.of(cluster("c", new InetSocketAddress("127.0.0.1", 9000)));

  private static RoutingTable table(VirtualHost... hosts) {
    return RoutingTable.from(snapshot(7, List.of(hosts), CLUSTERS));
  }

  private static String routeName(RoutingTable table, String authority, String path) {
    Route route = table.route(authority, path);
    return route == null ? null : route.name();
  }

  @Test
  void prefersExactHostOverWildcard() {
    RoutingTable table =
        table(
            host("wild", List.of("*.example.com"), prefix("wild", "/", "c")),
            host("exact", List.of("api.example.com"), prefix("exact", "/", "c")));

    assertThat(routeName(table, "api.example.com", "/")).isEqualTo("exact");
    assertThat(routeName(table, "web.example.com", "/")).isEqualTo("wild");
  }

  @Test
  void prefersLongestWildcardSuffix() {
    RoutingTable table =
        table(
            host("short", List.of("*.example.com"), prefix("short", "/", "c")),
            host("long", List.of("*.eu.example.com"), prefix("long", "/", "c")));

    assertThat(routeName(table, "a.eu.example.com", "/")).isEqualTo("long");
    assertThat(routeName(table, "a.b.eu.example.com", "/")).isEqualTo("long");
    assertThat(routeName(table, "a.us.example.com", "/")).isEqualTo("short");
  }

  @Test
  void wildcardNeedsAtLeastOneLabelBeforeItsSuffix() {
    RoutingTable table = table(host("wild", List.of("*.example.com"), prefix("wild", "/", "c")));

    assertThat(routeName(table, "example.com", "/")).isNull();
    assertThat(routeName(table, "notexample.com", "/")).isNull();
    assertThat(routeName(table, "x.example.com", "/")).isEqualTo("wild");
  }

  @Test
  void fallsBackToTheCatchAllHost() {
    RoutingTable table =
        table(
            host("any", List.of("*"), prefix("any", "/", "c")),
            host("wild", List.of("*.example.com"), prefix("wild", "/", "c")));

    assertThat(routeName(table, "other.org", "/")).isEqualTo("any");
    assertThat(routeName(table, null, "/")).isEqualTo("any");
    assertThat(routeName(table, "x.example.com", "/")).isEqualTo("wild");
  }

  @Test
  void ignoresPortCaseAndTrailingDotOfTheHostHeader() {
    RoutingTable table =
        table(host("exact", List.of("api.example.com"), prefix("exact", "/", "c")));

    assertThat(routeName(table, "API.Example.COM:8080", "/")).isEqualTo("exact");
    assertThat(routeName(table, "api.example.com.", "/")).isEqualTo("exact");
  }

  @Test
  void matchesIpv6HostWithPort() {
    RoutingTable table = table(host("v6", List.of("[::1]"), prefix("v6", "/", "c")));

    assertThat(routeName(table, "[::1]:8080", "/")).isEqualTo("v6");
  }

  @Test
  void prefixMatchesWholeSegmentsOnly() {
    RoutingTable table = table(host("h", List.of("*"), prefix("foo", "/foo", "c")));

    assertThat(routeName(table, "h", "/foo")).isEqualTo("foo");
    assertThat(routeName(table, "h", "/foo/")).isEqualTo("foo");
    assertThat(routeName(table, "h", "/foo/bar")).isEqualTo("foo");
    assertThat(routeName(table, "h", "/foobar")).isNull();
    assertThat(routeName(table, "h", "/fo")).isNull();
  }

  @Test
  void prefixWithTrailingSlashBehavesAsWithout() {
    RoutingTable table = table(host("h", List.of("*"), prefix("foo", "/foo/", "c")));

    assertThat(routeName(table, "h", "/foo")).isEqualTo("foo");
    assertThat(routeName(table, "h", "/foo/bar")).isEqualTo("foo");
    assertThat(routeName(table, "h", "/foobar")).isNull();
  }

  @Test
  void rootPrefixMatchesEveryPath() {
    RoutingTable table = table(host("h", List.of("*"), prefix("root", "/", "c")));

    assertThat(routeName(table, "h", "/")).isEqualTo("root");
    assertThat(routeName(table, "h", "/anything/at/all")).isEqualTo("root");
  }

  @Test
  void firstMatchingRouteWinsInSnapshotOrder() {
    RoutingTable exactFirst =
        table(
            host(
                "h",
                List.of("*"),
                exact("exact", "/api", "c"),
                prefix("prefix", "/api", "c"),
                prefix("root", "/", "c")));
    RoutingTable prefixFirst =
        table(host("h", List.of("*"), prefix("prefix", "/api", "c"), exact("exact", "/api", "c")));

    assertThat(routeName(exactFirst, "h", "/api")).isEqualTo("exact");
    assertThat(routeName(exactFirst, "h", "/api/v1")).isEqualTo("prefix");
    assertThat(routeName(exactFirst, "h", "/other")).isEqualTo("root");
    assertThat(routeName(prefixFirst, "h", "/api")).isEqualTo("prefix");
  }

  @Test
  void exactMatchIgnoresNothingButTheQuery() {
    RoutingTable table = table(host("h", List.of("*"), exact("exact", "/api", "c")));

    assertThat(routeName(table, "h", "/api")).isEqualTo("exact");
    assertThat(routeName(table, "h", "/api/")).isNull();
    assertThat(routeName(table, "h", "/API")).isNull();
  }

  @Test
  void emptyTableRoutesNothingAtVersionZero() {
    RoutingTable empty = RoutingTable.empty();

    assertThat(empty.version()).isZero();
    assertThat(empty.digest()).isEmpty();
    assertThat(empty.route("anything", "/")).isNull();
  }

  @Test
  void refusesADomainClaimedByTwoVirtualHosts() {
    assertThatThrownBy(
            () ->
                table(
                    host("a", List.of("dup.example.com"), prefix("a", "/", "c")),
                    host("b", List.of("DUP.example.com"), prefix("b", "/", "c"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is claimed by virtual hosts a and b");
  }

  @Test
  void refusesRetryCodesOutsideErrorStatusesAndTooManyAttempts() {
    dev.gantry.protocol.v1.Route route = prefix("r", "/", "c");
    assertThatThrownBy(
            () ->
                table(
                    host(
                        "a",
                        List.of("a"),
                        route.toBuilder()
                            .setRetry(dev.gantry.protocol.v1.RetryPolicy.newBuilder().addCodes(200))
                            .build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry.codes: 200 (expected: 400..599)");
    assertThatThrownBy(
            () ->
                table(
                    host(
                        "a",
                        List.of("a"),
                        route.toBuilder()
                            .setRetry(
                                dev.gantry.protocol.v1.RetryPolicy.newBuilder().setAttempts(11))
                            .build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry.attempts: 11 (expected: 0..10)");
  }

  @Test
  void refusesARetryBudgetOverAHundredPercent() {
    Cluster limited =
        CLUSTERS.getFirst().toBuilder()
            .setCircuitBreakers(
                dev.gantry.protocol.v1.CircuitBreakers.newBuilder()
                    .setRetryBudget(
                        dev.gantry.protocol.v1.RetryBudget.newBuilder().setBudgetPercent(101)))
            .build();
    assertThatThrownBy(
            () ->
                RoutingTable.from(
                    snapshot(
                        7,
                        List.of(host("a", List.of("a"), prefix("r", "/", "c"))),
                        List.of(limited))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster c: circuit_breakers budgetPercent: 101 (expected: 0..100)");
  }

  @Test
  void countsWhatTheSnapshotHolds() {
    RoutingTable table =
        table(
            host("a", List.of("a"), prefix("a1", "/x", "c"), prefix("a2", "/", "c")),
            host("b", List.of("b"), prefix("b1", "/", "c")));

    assertThat(table.version()).isEqualTo(7);
    assertThat(table.stats()).isEqualTo(new RoutingTable.Stats(2, 3, 1, 1));
  }

  @Test
  void holderSwapsWholeTablesAndKnowsWhetherOneWasApplied() {
    RoutingTableHolder holder = new RoutingTableHolder();
    RoutingTable first = holder.current();
    RoutingTable next = table(host("a", List.of("a"), prefix("a", "/", "c")));

    assertThat(holder.hasApplied()).isFalse();
    assertThat(holder.swap(next)).isSameAs(first);
    assertThat(holder.current()).isSameAs(next);
    assertThat(holder.hasApplied()).isTrue();
  }

  @Test
  void takesTheFirstRouteWhoseConditionsAllHold() {
    dev.gantry.protocol.v1.Route canaryPost =
        prefix("canary-post", "/api", "c").toBuilder()
            .setMatch(
                dev.gantry.protocol.v1.RouteMatch.newBuilder()
                    .setPrefix("/api")
                    .setMethod("POST")
                    .addHeaders(
                        dev.gantry.protocol.v1.HeaderMatch.newBuilder()
                            .setName("x-canary")
                            .setExact("true")))
            .build();
    dev.gantry.protocol.v1.Route v2 =
        prefix("v2", "/api", "c").toBuilder()
            .setMatch(
                dev.gantry.protocol.v1.RouteMatch.newBuilder()
                    .setPrefix("/api")
                    .addQueryParams(
                        dev.gantry.protocol.v1.QueryParamMatch.newBuilder()
                            .setName("v")
                            .setRegex("2|3")))
            .build();
    dev.gantry.protocol.v1.Route user =
        prefix("user", "/", "c").toBuilder()
            .setMatch(dev.gantry.protocol.v1.RouteMatch.newBuilder().setRegex("/users/[0-9]+"))
            .build();
    RoutingTable table =
        table(host("h", List.of("h"), canaryPost, v2, prefix("api", "/api", "c"), user));
    var canary = new io.netty.handler.codec.http.DefaultHttpHeaders().add("X-Canary", "true");
    var none = io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE;
    var post = io.netty.handler.codec.http.HttpMethod.POST;
    var get = io.netty.handler.codec.http.HttpMethod.GET;

    assertThat(table.route("h", "/api/x", post, canary, "/api/x?v=2").name())
        .isEqualTo("canary-post");
    assertThat(table.route("h", "/api/x", get, canary, "/api/x?v=2").name()).isEqualTo("v2");
    assertThat(table.route("h", "/api/x", get, none, "/api/x?v=4").name()).isEqualTo("api");
    assertThat(table.route("h", "/users/7", get, none, "/users/7").name()).isEqualTo("user");
    assertThat(table.route("h", "/users/me", get, none, "/users/me")).isNull();
  }

  @Test
  void refusesAPatternRe2CannotCompile() {
    dev.gantry.protocol.v1.Route bad =
        prefix("bad", "/", "c").toBuilder()
            .setMatch(dev.gantry.protocol.v1.RouteMatch.newBuilder().setRegex("(?<!x)y"))
            .build();

    assertThatThrownBy(() -> table(host("h", List.of("h"), bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("route bad")
        .hasMessageContaining("(?<!x)y");
  }

  @Test
  void carriesEachRoutesRequestBodyLimitWithZeroForNone() {
    RoutingTable table =
        table(
            host(
                "h",
                List.of("h"),
                withBodyLimit(prefix("small", "/small", "c"), 1024),
                prefix("free", "/", "c")));

    assertThat(table.route("h", "/small").maxRequestBodyBytes()).isEqualTo(1024);
    assertThat(table.route("h", "/").maxRequestBodyBytes()).isZero();
  }

  @Test
  void aNewSnapshotKeepsTheTlsContextOfAClusterWhoseSettingsDidNotChange() {
    Cluster tls =
        cluster("c", new InetSocketAddress("127.0.0.1", 9000)).toBuilder()
            .setTls(UpstreamTls.newBuilder().setServerName("c.shop.svc"))
            .build();
    List<VirtualHost> hosts = List.of(host("h", List.of("h"), prefix("r", "/", "c")));
    RoutingTable first = RoutingTable.from(snapshot(1, hosts, List.of(tls)));

    RoutingTable same = RoutingTable.from(snapshot(2, hosts, List.of(tls)), first);
    RoutingTable changed =
        RoutingTable.from(
            snapshot(
                3,
                hosts,
                List.of(
                    tls.toBuilder()
                        .setTls(UpstreamTls.newBuilder().setServerName("other.shop.svc"))
                        .build())),
            same);

    assertThat(contextOf(same)).isSameAs(contextOf(first));
    assertThat(contextOf(changed)).isNotSameAs(contextOf(first));
  }

  private static io.netty.handler.ssl.SslContext contextOf(RoutingTable table) {
    return table.clusters().get(0).transport().tls().orElseThrow().context();
  }

  private static VirtualHost mtls(String name, boolean optional, boolean httpsRedirect) {
    return host(name, List.of(name + ".example.com"), prefix(name, "/", "c")).toBuilder()
        .setCertificate("shop/tls")
        .setHttpsRedirect(httpsRedirect)
        .setTlsPolicy(
            dev.gantry.protocol.v1.TlsPolicy.newBuilder()
                .setClientValidation(
                    ClientValidation.newBuilder()
                        .setCaBundle(ByteString.copyFromUtf8("a CA"))
                        .setOptional(optional)))
        .build();
  }

  @Test
  void hostsWithEqualPoliciesShareThemAcrossSnapshots() {
    RoutingTable table =
        table(
            mtls("required", false, false),
            mtls("again", false, false),
            host("plain", List.of("plain.example.com"), prefix("plain", "/", "c")));
    TlsPolicy required =
        TlsPolicy.of(
            snapshot(1, List.of(mtls("required", false, false)), CLUSTERS).getVirtualHosts(0));

    assertThat(table.host("required.example.com").tlsPolicy().sameAs(TlsPolicy.DEFAULT)).isFalse();
    assertThat(table.host("plain.example.com:443").tlsPolicy().sameAs(required)).isFalse();
    assertThat(table.host("again.example.com").tlsPolicy().sameAs(required))
        .as("an equal policy of another snapshot")
        .isTrue();
    assertThat(table.host("plain.example.com").tlsPolicy()).isSameAs(TlsPolicy.DEFAULT);
  }

  @Test
  void aCleartextRequestIsRefusedOnlyForAHostRequiringCertificatesWithoutRedirect() {
    RoutingTable table =
        table(
            mtls("required", false, false),
            mtls("optional", true, false),
            mtls("redirected", false, true),
            host("plain", List.of("plain.example.com"), prefix("plain", "/", "c")));

    assertThat(table.host("required.example.com").refusesCleartext("/")).isTrue();
    assertThat(table.host("required.example.com").refusesCleartext("/.well-known/acme-challenge/x"))
        .as("no redirect: nothing would answer the challenge over https either")
        .isTrue();
    assertThat(table.host("optional.example.com").refusesCleartext("/")).isFalse();
    assertThat(table.host("redirected.example.com").refusesCleartext("/"))
        .as("refused, after the 308 that answers first")
        .isTrue();
    assertThat(
            table.host("redirected.example.com").refusesCleartext("/.well-known/acme-challenge/x"))
        .as("HTTP-01 challenges are routed")
        .isFalse();
    assertThat(table.host("plain.example.com").refusesCleartext("/")).isFalse();
  }
}
