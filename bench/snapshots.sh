#!/usr/bin/env bash
# snapshots.sh: snapshot compile time and propagation (a route's change until every dataplane applied
# it) at 100, 1,000 and 10,000 ProxyRoutes on a real kube-apiserver, with DATAPLANES dataplanes.
#
#   ROUTES=100,1000,10000 DATAPLANES=3 CHANGES=20 bench/snapshots.sh
#
# Runs e2e's SnapshotPropagationBench (needs the Kubernetes test binaries: .ci/kube-test-binaries.sh).
# The API server, the operator, the dataplanes and the bench share one machine (and all but the API
# server and etcd one JVM). Prints one line per size.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bin/lib/java-home.sh
./mvnw -B -q -o test -pl e2e -am \
  -Dtest=SnapshotPropagationBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.routes="${ROUTES:-100,1000,10000}" -Dbench.dataplanes="${DATAPLANES:-3}" \
  -Dbench.changes="${CHANGES:-20}" 2>&1 \
  | grep --line-buffered '^snapshot-bench' || { echo "snapshots.sh: the run failed" >&2; exit 1; }
