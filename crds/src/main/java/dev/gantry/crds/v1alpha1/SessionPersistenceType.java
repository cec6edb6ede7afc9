package dev.gantry.crds.v1alpha1;

/** How a session is identified: Gateway API's names. Only Cookie is supported. */
public enum SessionPersistenceType {
  Cookie,
  Header
}
