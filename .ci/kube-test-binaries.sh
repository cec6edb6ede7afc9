#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from their Go modules and puts them where fabric8's
# kube-api-test looks for them offline: $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/.
# Builds only what is missing, so a warm cache costs nothing. Prints the test dir on stdout.
#
#   KUBE_VERSION      (1.36.3)  Kubernetes release; its staging modules must all be on the module proxy
#   ETCD_VERSION      (3.6.8)   the etcd release that Kubernetes version pins in its go.mod
#   KUBE_API_TEST_DIR (~/.cache/gantry/kubeapitest)
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-1.36.3}
ETCD_VERSION=${ETCD_VERSION:-3.6.8}
KUBE_API_TEST_DIR=${KUBE_API_TEST_DIR:-$HOME/.cache/gantry/kubeapitest}
out=$KUBE_API_TEST_DIR/k8s/$KUBE_VERSION-linux-amd64
log() { echo "kube-test-binaries: $*" >&2; }

if [[ -x $out/kube-apiserver && -x $out/kubectl && -x $out/etcd ]]; then
  echo "$KUBE_API_TEST_DIR"; exit 0
fi
command -v go >/dev/null || { log "needs Go (1.26 or newer) to build the test binaries"; exit 1; }

work=$(mktemp -d /tmp/kube-test-binaries.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0
start=$SECONDS

# kube-apiserver and kubectl: k8s.io/kubernetes replaces its staging modules with ./staging/...,
# which `go install` refuses; a wrapper module replaces each with its published v0.Y.Z instead.
if [[ ! -x $out/kube-apiserver || ! -x $out/kubectl ]]; then
  gomod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  staging=$(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/.*|\1|p' "$gomod")
  godebug=$(sed -n 's/^godebug \(.*\)/\1/p' "$gomod")
  goline=$(sed -n 's/^go \(.*\)/\1/p' "$gomod")
  mkdir -p "$work/k8s"
  {
    echo "module gantry.dev/kube-test-binaries"
    echo "go $goline"
    [[ -n $godebug ]] && echo "godebug $godebug"
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    for m in $staging; do echo "replace $m => $m v0.${KUBE_VERSION#1.}"; done
  } > "$work/k8s/go.mod"
  cat > "$work/k8s/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  minor=$(cut -d. -f2 <<<"$KUBE_VERSION")
  ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld="$ld -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  log "resolving k8s.io/kubernetes v$KUBE_VERSION"
  (cd "$work/k8s" && go mod tidy -e >/dev/null 2>&1 || true; go mod download)
  mkdir -p "$work/bin"
  for cmd in kube-apiserver kubectl; do
    log "building $cmd (a cold build takes many minutes)"
    (cd "$work/k8s" && go build -tags tools -trimpath -ldflags "$ld" -o "$work/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  done
  mkdir -p "$out"
  mv "$work/bin/kube-apiserver" "$work/bin/kubectl" "$out/"
fi

if [[ ! -x $out/etcd ]]; then
  mkdir -p "$work/etcd"
  printf 'module gantry.dev/etcd-binary\ngo 1.24\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" > "$work/etcd/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$work/etcd/tools.go"
  log "building etcd v$ETCD_VERSION"
  (cd "$work/etcd" && go mod tidy -e >/dev/null 2>&1 || true; go build -tags tools -trimpath -ldflags "-s -w" -o "$work/etcd-bin" go.etcd.io/etcd/server/v3)
  mkdir -p "$out"
  mv "$work/etcd-bin" "$out/etcd"
fi
log "built in $((SECONDS - start)) s into $out"
echo "$KUBE_API_TEST_DIR"
