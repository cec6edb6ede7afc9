#!/usr/bin/env bash
# Gantry as the system under test of ../shared/bench/peers.sh: standalone mode over a config folder made
# from the environment peers.sh gives (BACKEND_SMALL, BACKEND_BIG, SUT_PORT, SUT_THREADS, WORKDIR).
#
#   bin/gantry standalone --help >/dev/null   # build first: peers.sh waits only briefly for a start
#   SUT_NAME=gantry SUT_PORT=18093 SUT_WARMUP=15 \
#     SUT_CMD="exec $PWD/bench/gantry-sut.sh --no-access-log" ../shared/bench/peers.sh
#
# Arguments go to `gantry standalone` (the peers run with their access logs off: pass --no-access-log
# for a like-for-like run). JAVA_OPTS reaches the JVM (bin/gantry picks G1 unless it names a collector).
# Like the peers (nginx keepalive_requests 1000000, HAProxy without a limit), client connections are
# not closed after Gantry's default 1,000 requests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=$WORKDIR/gantry-config
mkdir -p "$config"

endpoint_slice() {  # $1 name, $2 host:port
  cat <<YAML
---
apiVersion: v1
kind: Service
metadata: {name: $1, namespace: bench}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: $1, namespace: bench, labels: {kubernetes.io/service-name: $1}}
addressType: IPv4
ports: [{name: http, port: ${2##*:}}]
endpoints: [{addresses: ["${2%:*}"]}]
YAML
}

{
  cat <<YAML
apiVersion: gantry.dev/v1alpha1
kind: ProxyRoute
metadata: {name: bench, namespace: bench}
spec:
  rules:
    - matches: [{path: {type: PathPrefix, value: /16k.bin}}]
      backendRefs: [{name: big, port: 80}]
    - backendRefs: [{name: small, port: 80}]
YAML
  endpoint_slice small "$BACKEND_SMALL"
  endpoint_slice big "$BACKEND_BIG"
} > "$config/bench.yaml"

# With SUT_TLS_PORT, peers.sh's certificate (TLS_CERT, TLS_KEY) becomes a kubernetes.io/tls Secret in the
# folder and the default certificate of an HTTPS listener there (the load generators send no SNI).
tls=()
if [[ -n ${SUT_TLS_PORT:-} ]]; then
  {
    printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: bench-tls, namespace: bench}\n'
    printf 'type: kubernetes.io/tls\nstringData:\n  tls.crt: |\n'
    sed 's/^/    /' "$TLS_CERT"
    printf '  tls.key: |\n'
    sed 's/^/    /' "$TLS_KEY"
  } > "$config/bench-tls.yaml"
  tls=(--https-port "$SUT_TLS_PORT" --default-certificate bench/bench-tls)
fi

exec "$root/bin/gantry" standalone --config "$config" --bind-address 127.0.0.1 \
  --http-port "$SUT_PORT" --admin-port "${SUT_ADMIN_PORT:-19901}" --worker-threads "${SUT_THREADS:-1}" \
  --max-requests-per-connection 1000000 "${tls[@]}" "$@"
