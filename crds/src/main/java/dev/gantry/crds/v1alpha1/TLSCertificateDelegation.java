package dev.gantry.crds.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Lets ProxyRoutes in other namespaces serve certificates of Secrets in this one, as Contour's
 * TLSCertificateDelegation: the Secret's namespace decides who may use it.
 */
@Group(ProxyRoute.GROUP)
@Version(ProxyRoute.VERSION)
@Kind("TLSCertificateDelegation")
@Plural("tlscertificatedelegations")
@ShortNames("tlscertdelegation")
public final class TLSCertificateDelegation
    extends CustomResource<TLSCertificateDelegationSpec, Void> implements Namespaced {

  @Override
  protected TLSCertificateDelegationSpec initSpec() {
    return new TLSCertificateDelegationSpec(null);
  }
}
