package dev.gantry.crds.v1alpha1;

/** How a redirect or rewrite changes the path; names as in Gateway API. */
public enum PathModifierType {
  ReplaceFullPath,
  ReplacePrefixMatch
}
