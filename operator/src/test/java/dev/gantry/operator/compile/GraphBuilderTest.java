package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.PathMatch;
import dev.gantry.operator.ir.Route;
import dev.gantry.operator.ir.RouteAction;
import dev.gantry.operator.ir.RouteMatch;
import dev.gantry.operator.ir.ValueMatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GraphBuilderTest {

  private static final RouteAction OK = new RouteAction.DirectResponse(200, "");
  private static final ObjectRef REF = new ObjectRef("ProxyRoute", "a", "r");

  /** Each row: a route that must come before the other, and why. */
  static Stream<Arguments> precedence() {
    return Stream.of(
        row("Exact before PathPrefix", path(PathMatch.exact("/a")), path(PathMatch.prefix("/a/b"))),
        row(
            "longer PathPrefix first",
            path(PathMatch.prefix("/a/b")),
            path(PathMatch.prefix("/a"))),
        row(
            "PathPrefix before RegularExpression",
            path(PathMatch.prefix("/")),
            path(PathMatch.regex("/a/.*/very/long"))),
        row(
            "longer RegularExpression first",
            path(PathMatch.regex("/users/[0-9]+")),
            path(PathMatch.regex("/u/.*"))),
        row(
            "path before method",
            path(PathMatch.prefix("/a/b")),
            new RouteMatch(PathMatch.prefix("/a"), List.of(), List.of(), Optional.of("GET"))),
        row(
            "method before headers",
            new RouteMatch(PathMatch.prefix("/a"), List.of(), List.of(), Optional.of("GET")),
            new RouteMatch(PathMatch.prefix("/a"), values(3), List.of(), Optional.empty())),
        row(
            "more headers first",
            new RouteMatch(PathMatch.prefix("/a"), values(2), List.of(), Optional.empty()),
            new RouteMatch(PathMatch.prefix("/a"), values(1), values(3), Optional.empty())),
        row(
            "headers before query parameters",
            new RouteMatch(PathMatch.prefix("/a"), values(1), List.of(), Optional.empty()),
            new RouteMatch(PathMatch.prefix("/a"), List.of(), values(3), Optional.empty())),
        row(
            "more query parameters first",
            new RouteMatch(PathMatch.prefix("/a"), List.of(), values(2), Optional.empty()),
            new RouteMatch(PathMatch.prefix("/a"), List.of(), values(1), Optional.empty())),
        row(
            "query parameters before no condition",
            new RouteMatch(PathMatch.prefix("/a"), List.of(), values(1), Optional.empty()),
            path(PathMatch.prefix("/a"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("precedence")
  void ordersRoutesByPrecedence(String why, RouteMatch first, RouteMatch second) {
    for (List<RouteMatch> offered : List.of(List.of(first, second), List.of(second, first))) {
      GraphBuilder graph = new GraphBuilder();
      for (int i = 0; i < offered.size(); i++) {
        graph.addRoute("h", new Route("rule-" + i, offered.get(i), OK, REF));
      }

      List<RouteMatch> ordered =
          graph.build().graph().virtualHosts().get(0).routes().stream().map(Route::match).toList();

      assertThat(ordered).as(why).containsExactly(first, second);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("precedence")
  void comparatorAgreesWithEveryRow(String why, RouteMatch first, RouteMatch second) {
    assertThat(
            GraphBuilder.PRECEDENCE.compare(
                new Route("x", first, OK, REF), new Route("y", second, OK, REF)))
        .as(why)
        .isNegative();
  }

  @org.junit.jupiter.api.Test
  void breaksTiesByOfferOrderSoTheOldestObjectAndFirstRuleWin() {
    List<Route> offered = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      offered.add(new Route("rule-" + i, path(PathMatch.regex("/x" + i + ".*")), OK, REF));
    }
    GraphBuilder graph = new GraphBuilder();
    offered.forEach(r -> graph.addRoute("h", r));

    assertThat(graph.build().graph().virtualHosts().get(0).routes()).isEqualTo(offered);
  }

  @org.junit.jupiter.api.Test
  void firstClaimOnEqualConditionsWins() {
    RouteMatch a =
        new RouteMatch(
            PathMatch.prefix("/a"),
            List.of(new ValueMatch("x-b", ValueMatch.Kind.EXACT, "1"), value(0)),
            List.of(),
            Optional.empty());
    RouteMatch sameConditionsReordered =
        new RouteMatch(
            PathMatch.prefix("/a"),
            List.of(value(0), new ValueMatch("x-b", ValueMatch.Kind.EXACT, "1")),
            List.of(),
            Optional.empty());
    GraphBuilder graph = new GraphBuilder();
    graph.addRoute("h", new Route("older", a, OK, REF));
    graph.addRoute("h", new Route("newer", sameConditionsReordered, OK, REF));

    assertThat(graph.build().graph().virtualHosts().get(0).routes())
        .extracting(Route::name)
        .containsExactly("older");
  }

  private static Arguments row(String why, RouteMatch first, RouteMatch second) {
    return Arguments.of(why, first, second);
  }

  private static RouteMatch path(PathMatch path) {
    return RouteMatch.of(path);
  }

  private static List<ValueMatch> values(int n) {
    List<ValueMatch> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(value(i));
    }
    Collections.shuffle(values, new Random(n));
    return values;
  }

  private static ValueMatch value(int i) {
    return new ValueMatch("x-" + i, ValueMatch.Kind.EXACT, "v");
  }
}
