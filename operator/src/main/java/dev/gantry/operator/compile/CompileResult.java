package dev.gantry.operator.compile;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.ir.ObjectRef;
import dev.gantry.operator.ir.RouteGraph;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The route graph compiled from one {@link Sources}, and a report for every object it read routes
 * from.
 */
public record CompileResult(RouteGraph graph, Map<ObjectRef, ObjectReport> reports) {
  public static final CompileResult EMPTY = new CompileResult(RouteGraph.EMPTY, Map.of());

  public CompileResult {
    requireNonNull(graph, "graph");
    // Sorted, so that logs and golden files list objects in a stable order.
    reports =
        java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(reports, "reports")));
  }

  public Optional<ObjectReport> report(ObjectRef ref) {
    return Optional.ofNullable(reports.get(ref));
  }
}
