#!/usr/bin/env bash
# websocket.sh: WebSocket echo throughput and round trips, straight to a backend and through nginx,
# HAProxy and Gantry, side by side in one run.
#
#   bin/gantry --version >/dev/null     # build first
#   RUNS=3 bench/websocket.sh
#
# The backend and the load client are bench/wsbench (Go, gorilla/websocket; built here into
# bench/wsbench/target), outside any JVM. The client keeps WINDOW binary messages of each SIZES size in
# flight on each of CONNECTIONS connections and sends one more per echo; after WARMUP_MESSAGES echoes
# it times the next MESSAGES (a fixed amount of work, bounded by a timeout, never a time window). Like
# the other benchmarks each proxy runs one worker on CPU $PROXY_CPU, and the client and the backend share
# CPU $LOADGEN_CPU ("direct" moves the backend to $PROXY_CPU). Printed per size and target: the median
# messages/s of RUNS runs, MiB/s one way, p50/p99 round trip (ms), and the CPU microseconds per echoed
# message of the proxy (of the backend for "direct"). TARGETS (default "direct nginx haproxy gantry").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=${TARGETS:-"direct nginx haproxy gantry"} RUNS=${RUNS:-3} SIZES=${SIZES:-"128 16384"}
CONNECTIONS=${CONNECTIONS:-16} WINDOW=${WINDOW:-8} SUT_WARMUP_MESSAGES=${SUT_WARMUP_MESSAGES:-400000}
LOADGEN_CPU=${LOADGEN_CPU:-0} PROXY_CPU=${PROXY_CPU:-1}
BACKEND_PORT=18380 NGINX_PORT=18390 HAPROXY_PORT=18391 GANTRY_PORT=18393
work=$(mktemp -d /tmp/wsbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
            [[ ${KEEP_WORKDIR:-0} == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/logs" "$work/tmp" "$work/gantry"
(cd "$root/bench/wsbench" && go build -o target/wsbench .)
wsbench=$root/bench/wsbench/target/wsbench
temp_paths() { local k; for k in client_body proxy fastcgi uwsgi scgi; do echo "  ${k}_temp_path $work/tmp/$1-$k;"; done; }

cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
$(temp_paths nginx)
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://127.0.0.1:$BACKEND_PORT;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_read_timeout 1h;
    }
  }
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
  timeout tunnel 1h
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend ws
backend ws
  server s1 127.0.0.1:$BACKEND_PORT
EOF
cat > "$work/gantry/bench.yaml" <<EOF
apiVersion: gantry.dev/v1alpha1
kind: ProxyRoute
metadata: {name: bench, namespace: bench}
spec:
  rules:
    - backendRefs: [{name: ws, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: ws, namespace: bench}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ws, namespace: bench, labels: {kubernetes.io/service-name: ws}}
addressType: IPv4
ports: [{name: http, port: $BACKEND_PORT}]
endpoints: [{addresses: ["127.0.0.1"]}]
EOF

# shellcheck source=lib/procs.sh
source "$root/bench/lib/procs.sh"
load() {  # $1 port, $2 size, $3 warm-up echoes, $4 timed echoes: prints wsbench's line
  taskset -c "$LOADGEN_CPU" "$wsbench" load -url "ws://127.0.0.1:$1/" -connections "$CONNECTIONS" \
    -window "$WINDOW" -size "$2" -warmup "$3" -messages "$4"
}
wait_ws() { for _ in $(seq 150); do
    load "$1" 16 1 10 > /dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$2 did not relay on $1" >&2; return 1; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }

hz=$(getconf CLK_TCK)
printf "%-6s %-8s %10s %8s %7s %7s %8s  %s\n" size target "msgs/s" "MiB/s" p50ms p99ms "us/msg" "msgs/s of each run"
for target in $TARGETS; do
  backend_cpu=$LOADGEN_CPU
  [[ $target == direct ]] && backend_cpu=$PROXY_CPU
  start backend "$backend_cpu" "$wsbench" echo -listen "127.0.0.1:$BACKEND_PORT"
  backend_group=$group
  case $target in
    direct) port=$BACKEND_PORT; measured=$backend_group ;;
    nginx) port=$NGINX_PORT
      start nginx "$PROXY_CPU" nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;'; measured=$group ;;
    haproxy) port=$HAPROXY_PORT
      start haproxy "$PROXY_CPU" haproxy -db -f "$work/haproxy.cfg"; measured=$group ;;
    gantry) port=$GANTRY_PORT
      start gantry "$PROXY_CPU" "$root/bin/gantry" standalone --config "$work/gantry" \
        --bind-address 127.0.0.1 --http-port "$GANTRY_PORT" --admin-port 19903 --worker-threads 1 \
        --no-access-log
      measured=$group ;;
  esac
  wait_ws "$port" "$target"
  # The JIT needs its warm-up: Gantry gets SUT_WARMUP_MESSAGES small echoes first, the others a few.
  warm=20000
  [[ $target == gantry ]] && warm=$SUT_WARMUP_MESSAGES
  load "$port" 128 "$warm" 1000 > /dev/null
  for size in $SIZES; do
    # About 64 MiB one way per timed run, at least 20,000 messages; a tenth of that as warm-up.
    messages=$(( 64 * 1024 * 1024 / size )); (( messages < 20000 )) && messages=20000
    (( messages > 400000 )) && messages=400000
    rates=() mibs=() p50s=() p99s=() us=()
    for run in $(seq "$RUNS"); do
      t0=$(ticks "$measured")
      line=$(load "$port" "$size" $((messages / 10)) "$messages")
      t1=$(ticks "$measured")
      rates+=("$(field 'messages\/s' "$line")") mibs+=("$(field 'MiB\/s' "$line")")
      p50s+=("$(field p50_ms "$line")") p99s+=("$(field p99_ms "$line")")
      # Ticks cover the warm-up echoes too: divide by everything echoed in the run.
      us+=("$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n=$((messages + messages / 10)) 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')")
    done
    printf "%-6s %-8s %10s %8s %7s %7s %8s  %s\n" "$size" "$target" "$(median "${rates[@]}")" \
      "$(median "${mibs[@]}")" "$(median "${p50s[@]}")" "$(median "${p99s[@]}")" "$(median "${us[@]}")" "${rates[*]}"
  done
  [[ $target != direct ]] && kill -- -"$group" 2>/dev/null || true
  kill -- -"$backend_group" 2>/dev/null || true
  sleep 1
done
