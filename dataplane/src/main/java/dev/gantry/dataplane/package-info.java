/**
 * The Gantry dataplane: {@link dev.gantry.dataplane.Dataplane#start} wires the snapshot client
 * ({@code snapshot}), the routing table ({@code routing}), the HTTP/1.1 proxy ({@code pipeline})
 * with its balancers ({@code balance}) and upstream pools ({@code upstream}), and the admin server
 * ({@code admin}).
 */
package dev.gantry.dataplane;
