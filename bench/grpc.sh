#!/usr/bin/env bash
# grpc.sh: gRPC unary calls per second and latency, straight to a backend and through Gantry, nginx
# (grpc_pass) and HAProxy (h2 both sides), side by side in one run.
#
#   bin/gantry --version >/dev/null     # build first
#   RUNS=3 DURATION=5 bench/grpc.sh
#
# The backend is an nginx h2c server that answers every POST with one gRPC message ("ok\n") and the
# trailer grpc-status: 0, so the figures are the proxies' and not a gRPC library's. h2load sends unary
# calls (POST, content-type application/grpc, te: trailers, a 5-byte-framed 16-byte message) over
# $CLIENTS h2c connections with $STREAMS calls in flight each; latency percentiles come from its
# per-request log. Like the other benchmarks: each proxy runs one worker on CPU $PROXY_CPU; h2load and
# the backend share CPU $LOADGEN_CPU ("direct" moves the backend to $PROXY_CPU). Printed per target: the
# median calls/s of RUNS runs, p50/p99 latency (ms), the CPU microseconds per call of the proxy (of the
# backend for "direct"), non-2xx and failed calls. TARGETS (default "direct nginx haproxy gantry").
# PERF_OUT=FILE records Gantry's first measured run with `perf record -g` (needs root); KEEP_WORKDIR=1
# keeps the temp dir (configs, logs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=${TARGETS:-"direct nginx haproxy gantry"} RUNS=${RUNS:-3} DURATION=${DURATION:-5}
CLIENTS=${CLIENTS:-10} STREAMS=${STREAMS:-10} WARMUP=${WARMUP:-3} SUT_WARMUP=${SUT_WARMUP:-30}
LOADGEN_CPU=${LOADGEN_CPU:-0} PROXY_CPU=${PROXY_CPU:-1}
BACKEND_PORT=18280 NGINX_PORT=18290 HAPROXY_PORT=18291 GANTRY_PORT=18293
work=$(mktemp -d /tmp/grpcbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
            [[ ${KEEP_WORKDIR:-0} == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/logs" "$work/tmp" "$work/www" "$work/gantry"
temp_paths() { local k; for k in client_body proxy fastcgi uwsgi scgi; do echo "  ${k}_temp_path $work/tmp/$1-$k;"; done; }

printf '\0\0\0\0\3ok\n' > "$work/www/reply.bin"                       # one gRPC message: "ok\n"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/reply.bin"      # nginx's workers read it
printf '\0\0\0\0\x0bbench-call!' > "$work/request.bin"                # the call's message (16 bytes)

cat > "$work/backend.conf" <<EOF
worker_processes 1;
pid $work/backend.pid;
events { worker_connections 4096; }
http {
  access_log off;
$(temp_paths backend)
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT http2;
    # A POST to a static file is a 405, turned into a GET of the reply (error_page changes the method).
    root $work/www;
    default_type application/grpc;
    location / { try_files /reply.bin =404; error_page 405 =200 /reply.bin; }
    location = /reply.bin { add_trailer grpc-status 0; }
  }
}
EOF
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
$(temp_paths nginx)
  keepalive_requests 1000000;
  upstream grpcs { server 127.0.0.1:$BACKEND_PORT; keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$NGINX_PORT http2; location / { grpc_pass grpc://grpcs; } }
}
EOF
cat > "$work/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT proto h2
  default_backend grpcs
backend grpcs
  server s1 127.0.0.1:$BACKEND_PORT proto h2
EOF
cat > "$work/gantry/bench.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: ProxyRoute
metadata: {name: bench, namespace: bench}
spec:
  rules:
    - backendRefs: [{name: grpcs, port: 50051}]
---
apiVersion: v1
kind: Service
metadata: {name: grpcs, namespace: bench}
spec: {ports: [{name: grpc, port: 50051, appProtocol: grpc}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: grpcs, namespace: bench, labels: {kubernetes.io/service-name: grpcs}}
addressType: IPv4
ports: [{name: grpc, port: $BACKEND_PORT}]
endpoints: [{addresses: ["127.0.0.1"]}]
EOF

# shellcheck source=lib/procs.sh
source "$root/bench/lib/procs.sh"
load() {  # $1 port, $2 seconds, $3 log file (or /dev/null): prints "calls seconds non2xx failed"
  taskset -c "$LOADGEN_CPU" h2load -D "$2" -c "$CLIENTS" -m "$STREAMS" -d "$work/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' --log-file="$3" \
    "http://127.0.0.1:$1/bench.Echo/Unary" 2>/dev/null |
    awk '/^finished in/ {s = $3 + 0}
         /^requests:/ {n = $8; fail = $10}
         /^status codes:/ {bad = $5 + $7 + $9}
         END {print n, s, bad, fail}'
}
wait_grpc() { for _ in $(seq 150); do
    [[ $(load "$1" 1 /dev/null | awk '{print $1}') -gt 0 ]] 2>/dev/null && return 0; sleep 0.2; done
  echo "$2 did not answer on $1" >&2; return 1; }
percentile() {  # $1 log, $2 fraction: the latency (ms) below which that fraction of calls finished
  awk '{print $3}' "$1" | sort -n | awk -v f="$2" '{a[NR] = $1} END {i = int(NR * f); if (i < 1) i = 1; printf "%.2f", a[i] / 1000}'
}

hz=$(getconf CLK_TCK)
printf "%-8s %10s %7s %7s %9s %6s  %s\n" target "calls/s" p50ms p99ms "us/call" errors "calls/s of each run"
for target in $TARGETS; do
  backend_cpu=$LOADGEN_CPU
  [[ $target == direct ]] && backend_cpu=$PROXY_CPU
  start backend "$backend_cpu" nginx -c "$work/backend.conf" -p "$work" -g 'daemon off;'
  backend_group=$group
  warm=$WARMUP
  case $target in
    direct) port=$BACKEND_PORT; measured=$backend_group ;;
    nginx) port=$NGINX_PORT
      start nginx "$PROXY_CPU" nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;'; measured=$group ;;
    haproxy) port=$HAPROXY_PORT
      start haproxy "$PROXY_CPU" haproxy -db -f "$work/haproxy.cfg"; measured=$group ;;
    gantry) port=$GANTRY_PORT; warm=$SUT_WARMUP
      start gantry "$PROXY_CPU" "$root/bin/gantry" standalone --config "$work/gantry" \
        --bind-address 127.0.0.1 --http-port "$GANTRY_PORT" --admin-port 19902 --worker-threads 1 \
        --max-requests-per-connection 1000000 --no-access-log
      measured=$group ;;
  esac
  wait_grpc "$port" "$target"
  load "$port" "$warm" /dev/null > /dev/null
  rates=() p50s=() p99s=() us=() errs=0
  for run in $(seq "$RUNS"); do
    recorder=
    if [[ -n ${PERF_OUT:-} && $target == gantry && $run == 1 ]]; then
      java=$(pgrep -g "$group" java | head -1)
      "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$java" Compiler.perfmap > /dev/null  # JIT symbols
      perf record -F 499 -g -p "$java" -o "$PERF_OUT" -- sleep "$DURATION" 2> /dev/null &
      recorder=$!
    fi
    t0=$(ticks "$measured")
    read -r n secs bad fail < <(load "$port" "$DURATION" "$work/latency.log")
    t1=$(ticks "$measured")
    [[ -n $recorder ]] && wait "$recorder"
    rates+=("$(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%d", n / s}')")
    p50s+=("$(percentile "$work/latency.log" 0.50)") p99s+=("$(percentile "$work/latency.log" 0.99)")
    us+=("$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')")
    errs=$((errs + bad + fail))
  done
  printf "%-8s %10s %7s %7s %9s %6d  %s\n" "$target" "$(median "${rates[@]}")" "$(median "${p50s[@]}")" \
    "$(median "${p99s[@]}")" "$(median "${us[@]}")" "$errs" "${rates[*]}"
  [[ $target != direct ]] && kill -- -"$group" 2>/dev/null || true
  kill -- -"$backend_group" 2>/dev/null || true
  sleep 1
done
