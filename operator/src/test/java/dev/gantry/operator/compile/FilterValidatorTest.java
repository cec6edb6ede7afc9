package dev.gantry.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.crds.v1alpha1.BackendRef;
import dev.gantry.crds.v1alpha1.Filter;
import dev.gantry.crds.v1alpha1.FilterType;
import dev.gantry.crds.v1alpha1.HeaderModifier;
import dev.gantry.crds.v1alpha1.HeaderValue;
import dev.gantry.crds.v1alpha1.Match;
import dev.gantry.crds.v1alpha1.PathMatch;
import dev.gantry.crds.v1alpha1.PathModifier;
import dev.gantry.crds.v1alpha1.PathModifierType;
import dev.gantry.crds.v1alpha1.RequestMirror;
import dev.gantry.crds.v1alpha1.RequestRedirect;
import dev.gantry.crds.v1alpha1.Rule;
import dev.gantry.crds.v1alpha1.Timeouts;
import dev.gantry.crds.v1alpha1.UrlRewrite;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterValidatorTest {

  private static final List<BackendRef> WEB = List.of(new BackendRef("web", 80, null, null));

  private static Rule forwarding(List<Match> matches, Timeouts timeouts, Filter... filters) {
    return new Rule(
        matches, WEB, null, List.of(filters), timeouts, null, null, null, null, null, null, null);
  }

  private static Filter requestHeaders(HeaderModifier m) {
    return new Filter(FilterType.RequestHeaderModifier, m, null, null, null, null);
  }

  private static Filter rewrite(UrlRewrite r) {
    return new Filter(FilterType.URLRewrite, null, null, null, r, null);
  }

  private static Filter redirect(RequestRedirect r) {
    return new Filter(FilterType.RequestRedirect, null, null, r, null, null);
  }

  private static Filter mirror(String service, int port) {
    return new Filter(
        FilterType.RequestMirror,
        null,
        null,
        null,
        null,
        new RequestMirror(new BackendRef(service, port, null, null)));
  }

  /** Each row: a rule, and the problem it must be reported with (empty: valid). */
  static Stream<Arguments> rules() {
    PathModifier prefix = new PathModifier(PathModifierType.ReplacePrefixMatch, null, "/b");
    return Stream.of(
        Arguments.of(forwarding(null, null, mirror("shadow", 80), mirror("other", 81)), ""),
        Arguments.of(
            forwarding(
                null,
                null,
                requestHeaders(new HeaderModifier(null, null, List.of("x-a"))),
                requestHeaders(new HeaderModifier(null, null, List.of("x-b")))),
            ".filters[1].type: RequestHeaderModifier may appear once per rule"),
        Arguments.of(
            forwarding(
                null,
                null,
                requestHeaders(
                    new HeaderModifier(
                        List.of(new HeaderValue("X-A", "1")), null, List.of("x-a")))),
            "header x-a is modified twice"),
        Arguments.of(
            forwarding(null, null, rewrite(new UrlRewrite("Not_A_Host", null))),
            ".filters[0].urlRewrite.hostname: must be a lower-case DNS name"),
        Arguments.of(
            forwarding(
                null,
                null,
                rewrite(
                    new UrlRewrite(
                        null, new PathModifier(PathModifierType.ReplaceFullPath, "/a", "/b")))),
            "type ReplaceFullPath needs replaceFullPath and nothing else"),
        Arguments.of(
            forwarding(
                List.of(Match.path(PathMatch.regex("/a.*"))),
                null,
                rewrite(new UrlRewrite(null, prefix))),
            "ReplacePrefixMatch needs every match of the rule to be a PathPrefix"),
        Arguments.of(
            forwarding(
                List.of(Match.path(PathMatch.prefix("/a"))),
                null,
                rewrite(new UrlRewrite(null, prefix))),
            ""),
        Arguments.of(
            new Rule(
                null,
                null,
                null,
                List.of(redirect(new RequestRedirect("ftp", null, null, null, null))),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            ".filters[0].requestRedirect.scheme: must be http or https"),
        Arguments.of(
            forwarding(null, null, mirror("Shadow", 80)),
            ".filters[0].requestMirror.backendRef.name: must name a Service"),
        Arguments.of(
            forwarding(null, new Timeouts("10s", "0s"), new Filter[0]),
            ".timeouts.backendRequest: must not be longer than request"),
        Arguments.of(forwarding(null, new Timeouts("0s", "10s"), new Filter[0]), ""));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void reportsTheFirstProblemOfARule(Rule rule, String problem) {
    if (problem.isEmpty()) {
      assertThat(FilterValidator.validate(rule)).isEmpty();
    } else {
      assertThat(FilterValidator.validate(rule))
          .hasValueSatisfying(p -> assertThat(p).contains(problem));
    }
  }
}
