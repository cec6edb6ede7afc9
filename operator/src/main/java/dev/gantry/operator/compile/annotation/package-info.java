/**
 * Ingress annotations read strictly into typed values: {@code gantry.dev/*} and the common {@code
 * nginx.ingress.kubernetes.io/*} ones. A value is parsed, never pasted into anything; one that does
 * not parse is reported (and left out) without affecting the rest of the Ingress.
 */
package dev.gantry.operator.compile.annotation;
