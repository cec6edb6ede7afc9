package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.RouteGraph;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The route graph compiled from one {@link Sources}, a report for every object it read routes from,
 * the problems that belong to no object (an unusable default certificate), and the next instant at
 * which the same sources would compile differently (a certificate expires or becomes valid).
 */
public record CompileResult(
    RouteGraph graph,
    Map<ObjectRef, ObjectReport> reports,
    List<Problem> problems,
    Optional<Instant> recompileAt) {
  public static final CompileResult EMPTY = new CompileResult(RouteGraph.EMPTY, Map.of());

  public CompileResult {
    requireNonNull(graph, "graph");
    problems = List.copyOf(requireNonNull(problems, "problems"));
    requireNonNull(recompileAt, "recompileAt");
    // Sorted, so that logs and golden files list objects in a stable order.
    reports =
        java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(reports, "reports")));
  }

  /** A result with no problem outside the objects' reports. */
  public CompileResult(RouteGraph graph, Map<ObjectRef, ObjectReport> reports) {
    this(graph, reports, List.of(), Optional.empty());
  }

  public Optional<ObjectReport> report(ObjectRef ref) {
    return Optional.ofNullable(reports.get(ref));
  }
}
