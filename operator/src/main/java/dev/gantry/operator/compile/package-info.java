/**
 * The compiler: observed Kubernetes objects in, one {@link dev.gantry.operator.ir.RouteGraph} and a
 * report per object out. One processor per input kind; the graph builder orders routes by
 * precedence and settles conflicting claims (the oldest object wins).
 */
package dev.gantry.operator.compile;
