/**
 * The routing table: built once per snapshot, immutable, swapped whole by {@link
 * dev.gantry.dataplane.routing.RoutingTableHolder}. Host selection: exact domain, then the longest
 * {@code *.suffix}, then {@code *}; within a virtual host the first route whose match (path,
 * method, headers, query parameters) holds wins.
 */
package dev.gantry.dataplane.routing;
