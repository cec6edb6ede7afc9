/**
 * Overload protection: tells the pipeline when the process is short of memory, so that it refuses
 * new requests (503) instead of running out of memory while it finishes the ones it has.
 */
package dev.gantry.dataplane.overload;
