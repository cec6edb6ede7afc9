#!/usr/bin/env bash
# Builds h2spec (the HTTP/2 conformance tester) from its Go module and caches it in
# $H2SPEC_CACHE/<version>/h2spec. Builds only when missing, so a warm cache costs nothing. Prints the
# binary's path on stdout.
#
#   H2SPEC_VERSION (v2.2.1+incompatible)  the newest version the Go module proxy serves: later tags
#                  (v2.3.0 … v2.6.0) carry a go.mod without the /v2 suffix, so the proxy refuses them
#   H2SPEC_CACHE   (~/.cache/gantry/h2spec)
set -euo pipefail

H2SPEC_VERSION=${H2SPEC_VERSION:-v2.2.1+incompatible}
H2SPEC_CACHE=${H2SPEC_CACHE:-$HOME/.cache/gantry/h2spec}
out=$H2SPEC_CACHE/$H2SPEC_VERSION
log() { echo "h2spec: $*" >&2; }

if [[ -x $out/h2spec ]]; then
  echo "$out/h2spec"; exit 0
fi
command -v go >/dev/null || { log "needs Go to build h2spec"; exit 1; }

work=$(mktemp -d /tmp/h2spec.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$SECONDS
log "building github.com/summerwind/h2spec/cmd/h2spec@$H2SPEC_VERSION"
GOBIN=$work go install -trimpath -ldflags "-s -w" "github.com/summerwind/h2spec/cmd/h2spec@$H2SPEC_VERSION"
mkdir -p "$out"
mv "$work/h2spec" "$out/h2spec"
log "built in $((SECONDS - start)) s into $out"
echo "$out/h2spec"
