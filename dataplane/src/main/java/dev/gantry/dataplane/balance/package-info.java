/** Endpoint and cluster selection: balancers built once per snapshot, picked from without locks. */
package dev.gantry.dataplane.balance;
