#!/usr/bin/env bash
# tls-handshakes.sh: full TLS handshakes per second through nginx, HAProxy and Gantry, one pinned core
# each, side by side in one run (../shared/bench/peers.sh measures TLS keep-alive requests, not
# handshakes).
#
#   bin/gantry --version >/dev/null     # build first
#   RUNS=3 DURATION=4 bench/tls-handshakes.sh
#
# TARGETS (default "nginx haproxy gantry") picks the proxies. PERF_OUT=FILE records Gantry's first
# measured run with `perf record -g` (JIT symbols from `jcmd Compiler.perfmap`; needs root). Each request is `GET /` over a new TLS connection (wrk -H 'Connection: close': OpenSSL's client keeps no
# session cache, so every handshake is a full one: TLS 1.3, X25519, an RSA-2048 certificate for
# 127.0.0.1). The proxy runs one worker on CPU $PROXY_CPU; wrk and an nginx backend ("ok\n") share CPU
# $LOADGEN_CPU. Printed per proxy: the median handshakes/s of RUNS runs, p50/p99 latency of a whole
# connection + request, and the proxy's CPU microseconds per handshake (its whole process, from /proc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=${TARGETS:-"nginx haproxy gantry"} RUNS=${RUNS:-3} DURATION=${DURATION:-4} CONNS=${CONNS:-50} WARMUP=${WARMUP:-3} SUT_WARMUP=${SUT_WARMUP:-30}
LOADGEN_CPU=${LOADGEN_CPU:-0} PROXY_CPU=${PROXY_CPU:-1}
BACKEND_PORT=18180 NGINX_PORT=18443 HAPROXY_PORT=18444 GANTRY_PORT=18445 GANTRY_HTTP_PORT=18093
work=$(mktemp -d /tmp/tlsbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
            rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/logs" "$work/tmp"

openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat "$work/cert.pem" "$work/key.pem" > "$work/cert-key.pem"
temp_paths() { local k; for k in client_body proxy fastcgi uwsgi scgi; do echo "  ${k}_temp_path $work/tmp/$1-$k;"; done; }

cat > "$work/backend.conf" <<EOF
worker_processes 1;
pid $work/backend.pid;
events { worker_connections 4096; }
http {
  access_log off;
$(temp_paths backend)
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$BACKEND_PORT; location / { return 200 "ok\n"; } }
}
EOF
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
$(temp_paths nginx)
  upstream small { server 127.0.0.1:$BACKEND_PORT; keepalive 64; keepalive_requests 1000000; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate $work/cert.pem;
  ssl_certificate_key $work/key.pem;
  server { listen 127.0.0.1:$NGINX_PORT ssl; location / { proxy_pass http://small; } }
}
EOF
cat > "$work/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT ssl crt $work/cert-key.pem alpn h2,http/1.1
  default_backend small
backend small
  server s1 127.0.0.1:$BACKEND_PORT
EOF
cat > "$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.1f %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
EOF

# shellcheck source=lib/procs.sh
source "$root/bench/lib/procs.sh"
wait_tls() { for _ in $(seq 150); do curl -skf -o /dev/null "https://127.0.0.1:$1/" && return 0; sleep 0.2; done
             echo "$2 did not answer on $1" >&2; return 1; }
load() {  # $1 port, $2 seconds
  taskset -c "$LOADGEN_CPU" wrk -t1 -c"$CONNS" -d"$2"s -H 'Connection: close' -s "$work/report.lua" \
    "https://127.0.0.1:$1/" 2>/dev/null | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}

start backend "$LOADGEN_CPU" nginx -c "$work/backend.conf" -p "$work" -g 'daemon off;'
hz=$(getconf CLK_TCK)
printf "%-8s %10s %7s %7s %10s %5s  %s\n" target "hs/s" p50ms p99ms "us/hs" err "hs/s of each run"
for target in $TARGETS; do
  case $target in
    nginx) port=$NGINX_PORT; warm=$WARMUP
      start nginx "$PROXY_CPU" nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' ;;
    haproxy) port=$HAPROXY_PORT; warm=$WARMUP
      start haproxy "$PROXY_CPU" haproxy -db -f "$work/haproxy.cfg" ;;
    gantry) port=$GANTRY_PORT; warm=$SUT_WARMUP
      start gantry "$PROXY_CPU" env WORKDIR="$work" SUT_PORT=$GANTRY_HTTP_PORT \
        SUT_TLS_PORT=$GANTRY_PORT SUT_THREADS=1 TLS_CERT="$work/cert.pem" TLS_KEY="$work/key.pem" \
        BACKEND_SMALL=127.0.0.1:$BACKEND_PORT BACKEND_BIG=127.0.0.1:$BACKEND_PORT \
        "$root/bench/gantry-sut.sh" --no-access-log ;;
  esac
  wait_tls "$port" "$target"
  load "$port" "$warm" > /dev/null
  rates=() p50s=() p99s=() us=() errs=0
  for run in $(seq "$RUNS"); do
    recorder=
    if [[ -n ${PERF_OUT:-} && $target == gantry && $run == 1 ]]; then
      java=$(pgrep -g "$group" java | head -1)
      "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$java" Compiler.perfmap > /dev/null  # /tmp/perf-<pid>.map: JIT-compiled symbols
      perf record -F 499 -g -p "$java" -o "$PERF_OUT" -- sleep "$DURATION" 2> /dev/null &
      recorder=$!
    fi
    t0=$(ticks "$group")
    read -r n micros p50 p99 err < <(load "$port" "$DURATION")
    t1=$(ticks "$group")
    [[ -n $recorder ]] && wait "$recorder"
    rates+=("$(awk -v n="$n" -v d="$micros" 'BEGIN {printf "%d", n / (d / 1e6)}')")
    p50s+=("$p50") p99s+=("$p99")
    us+=("$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')")
    errs=$((errs + err))
  done
    printf "%-8s %10s %7.2f %7.2f %10s %5d  %s\n" "$target" "$(median "${rates[@]}")" \
    "$(awk -v v="$(median "${p50s[@]}")" 'BEGIN {print v / 1000}')" \
    "$(awk -v v="$(median "${p99s[@]}")" 'BEGIN {print v / 1000}')" "$(median "${us[@]}")" "$errs" "${rates[*]}"
  kill -- -"$group" 2>/dev/null || true
  sleep 1
done
