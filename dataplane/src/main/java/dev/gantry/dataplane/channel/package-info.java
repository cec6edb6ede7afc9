/** Channel handlers that both sides of the proxy use: the client side and the upstream side. */
package dev.gantry.dataplane.channel;
