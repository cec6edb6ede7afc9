/**
 * The {@code gantry.dev/v1alpha1} custom resource types. The CRD YAML in {@code crds/} is generated
 * from them by the build; {@code CrdDriftTest} fails when the checked-in copy is stale.
 */
package dev.gantry.crds.v1alpha1;
