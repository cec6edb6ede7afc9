package dev.gantry.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A set of HTTP routes for some hostnames, in the vocabulary of Gateway API's HTTPRoute. {@code
 * kubectl get proxyroutes} shows its hostnames and whether it is Accepted and Programmed.
 */
@AdditionalPrinterColumn(name = "Hostnames", jsonPath = ".spec.hostnames")
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status")
@AdditionalPrinterColumn(
    name = "Programmed",
    jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@Group(ProxyRoute.GROUP)
@Version(ProxyRoute.VERSION)
@Kind("ProxyRoute")
@Plural("proxyroutes")
@ShortNames("pxr")
public final class ProxyRoute extends CustomResource<ProxyRouteSpec, ProxyRouteStatus>
    implements Namespaced {
  public static final String GROUP = "gantry.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected ProxyRouteSpec initSpec() {
    return new ProxyRouteSpec(null, null);
  }
}
