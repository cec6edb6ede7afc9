#!/usr/bin/env bash
# websocket.sh: WebSocket echo throughput straight to a backend and through Gantry, in one run.
#
#   CONNECTIONS=16 WINDOW=8 MEASURED_MIB=8 bench/websocket.sh
#
# Runs dataplane's WebSocketThroughputBench: a Netty WebSocket echo backend, a Gantry dataplane and
# Netty WebSocket clients in one JVM on loopback (so they share the CPUs: the figures compare the two
# paths, they are no capacity figure). Each client connection keeps WINDOW
# binary messages in flight, 128 B and then 16 KiB, and sends one more per echo; once WARMUP_MIB have
# been echoed, the time the next MEASURED_MIB take is measured. Prints one line per size and target:
# messages/s and MiB/s one way.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bin/lib/java-home.sh
./mvnw -B -q -o test -pl dataplane -am \
  -Dtest=WebSocketThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dws.connections="${CONNECTIONS:-16}" -Dws.window="${WINDOW:-8}" \
  -Dws.warmupMiB="${WARMUP_MIB:-2}" -Dws.measuredMiB="${MEASURED_MIB:-8}" 2>&1 \
  | grep --line-buffered '^websocket-bench' || { echo "websocket.sh: the run failed" >&2; exit 1; }
