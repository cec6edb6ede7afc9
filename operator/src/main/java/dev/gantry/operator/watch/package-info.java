/**
 * The input end: informers (or files) fill the {@link dev.gantry.operator.watch.SourceCache}; each
 * change requests a rebuild through the {@link dev.gantry.operator.watch.RebuildScheduler}, which
 * coalesces bursts.
 *
 * <pre>
 *   informer events --upsert/delete--> SourceCache --request()--> RebuildScheduler
 *                                                                   | hold-off 100 ms, at most 1 s
 *                                                                   v
 *                                   ControlPlane.rebuild(): compile -> translate -> SnapshotStore
 * </pre>
 */
package dev.gantry.operator.watch;
